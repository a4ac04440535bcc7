import { createHash } from 'node:crypto';
import type { ConfigLayer, ConfigProblem, ConfigValues, ToolName } from '../../../shared/config';
import type { TrustRequest } from '../../../shared/workspace-trust';
import { deepFreeze } from '../base/deep-freeze';
import { envRisk } from './env-risk';

// What a project file may set only in a trusted workspace: whatever changes the processes tools
// start. Content (model, temperature, prompt, files, a narrower tools list) needs no trust.
const TRUST_ONLY: ReadonlyArray<keyof ConfigValues> = Object.freeze(['env', 'shellTimeoutMs']);

/** What trust would add, merged as the layers merge (a later file wins), each entry with its file. */
export function trustRequestOf(projectLayers: readonly ConfigLayer[]): TrustRequest {
  const env = new Map<string, TrustRequest['env'][number]>();
  const settings = new Map<string, TrustRequest['settings'][number]>();
  for (const layer of projectLayers) {
    const file = layer.path ?? 'project';
    for (const [name, value] of Object.entries(layer.values.env ?? {})) {
      const risk = envRisk(name);
      env.set(name, { name, value, file, ...(risk ? { risk } : {}) });
    }
    for (const key of TRUST_ONLY) {
      const value = layer.values[key];
      if (key !== 'env' && value !== undefined) settings.set(key, { key, value: String(value), file });
    }
  }
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
  return {
    env: [...env.values()].sort(byName),
    // Stryker disable next-line MethodExpression,ArrowFunction: shellTimeoutMs is the one trust-only setting so far; sorted for the next
    settings: [...settings.values()].sort((a, b) => a.key.localeCompare(b.key)),
  };
}

/** Identifies exactly what was granted: trust given to one request does not cover a different one. */
export function fingerprintOf(request: TrustRequest): string {
  const canonical = JSON.stringify([
    request.env.map(({ name, value }) => [name, value]),
    request.settings.map(({ key, value }) => [key, value]),
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

function without(values: ConfigValues, keys: readonly string[]): ConfigValues {
  // The filter sits outside the cast: StrykerJS does not mutate code under `as` (stryker-js#6208).
  const kept = Object.entries(values).filter(([key]) => !keys.includes(key));
  return Object.fromEntries(kept) as ConfigValues;
}

/**
 * The project layers as they apply: untrusted, without what needs trust (each withheld key listed
 * among the problems); trusted or not, a tools list that can only narrow the tools below it.
 */
export function applyTrust(
  projectLayers: readonly ConfigLayer[],
  options: { trusted: boolean; toolsBelow: readonly ToolName[] },
): ConfigLayer[] {
  return projectLayers.map((layer) => {
    const problems: ConfigProblem[] = [...layer.problems];
    const at = layer.path === undefined ? {} : { path: layer.path };
    let values = layer.values;
    if (!options.trusted) {
      const withheld = TRUST_ONLY.filter((key) => values[key] !== undefined);
      for (const key of withheld) {
        const what = key === 'env' ? `env (${Object.keys(values.env ?? {}).join(', ')})` : key;
        problems.push({
          ...at,
          message: `${what}: not applied, this workspace is not trusted`,
          untilTrusted: true,
        });
      }
      values = without(values, withheld);
    }
    if (values.tools) {
      const allowed = values.tools.filter((tool) => options.toolsBelow.includes(tool));
      const widened = values.tools.filter((tool) => !options.toolsBelow.includes(tool));
      if (widened.length > 0) {
        problems.push({
          ...at,
          message: `tools: ${widened.join(', ')} ignored, a project file can only turn tools off`,
        });
        values = { ...values, tools: allowed };
      }
    }
    if (values === layer.values) return layer;
    return deepFreeze({ ...layer, values, problems });
  });
}
