import { createHash } from 'node:crypto';
import type { ConfigLayer, ConfigProblem, ConfigValues, McpConfig, ToolName } from '../../../shared/config';
import type { TrustRequest } from '../../../shared/workspace-trust';
import { deepFreeze } from '../base/deep-freeze';
import { envRisk } from './env-risk';
import { mergeMcp } from './merge';

// What a project file may set only in a trusted workspace: whatever starts a process or changes
// the processes tools start. Content (model, temperature, prompt, files, a narrower tools list)
// needs no trust.
const TRUST_ONLY: ReadonlyArray<keyof ConfigValues> = Object.freeze([
  'env',
  'shellTimeoutMs',
  'contextCmd',
  'mcp',
]);
// Named in the trust prompt and in problems as the file spells them.
const SHOWN_AS: Partial<Record<keyof ConfigValues, string>> = Object.freeze({ contextCmd: 'context_cmd' });
const shownAs = (key: keyof ConfigValues) => SHOWN_AS[key] ?? key;

/** One line per MCP server (and one for the table's switches), each saying all that would start it. */
interface McpLine {
  key: string;
  value: string;
  server?: string;
}

function mcpSettings(mcp: McpConfig): McpLine[] {
  const pairs = (record: Record<string, string> | undefined, sep: string) =>
    Object.entries(record ?? {}).map(([name, value]) => `${name}${sep}${value}`);
  const lines: McpLine[] = [];
  const switches = [
    mcp.enabled === undefined ? '' : `enabled = ${mcp.enabled}`,
    mcp.auto_start === undefined ? '' : `auto_start = ${mcp.auto_start}`,
  ].filter(Boolean);
  if (switches.length) lines.push({ key: 'mcp', value: switches.join(', ') });
  for (const server of mcp.servers ?? []) {
    const parts = [
      server.url ?? [server.command ?? '', ...(server.args ?? [])].join(' ').trim(),
      ...pairs(server.env, '='),
      ...pairs(server.headers, ': '),
      ...(server.enabled === false ? ['(disabled)'] : []),
    ];
    lines.push({ key: `mcp server ${server.name}`, value: parts.join('  '), server: server.name });
  }
  return lines;
}

/** What trust would add, merged as the layers merge (a later file wins), each entry with its file. */
export function trustRequestOf(projectLayers: readonly ConfigLayer[]): TrustRequest {
  const env = new Map<string, TrustRequest['env'][number]>();
  const settings = new Map<string, TrustRequest['settings'][number]>();
  // MCP servers merge by name across the files: each is listed as it would start, with the file
  // that last changed it.
  let mcp: McpConfig | undefined;
  const mcpFiles = new Map<string | undefined, string>();
  for (const layer of projectLayers) {
    const file = layer.path ?? 'project';
    for (const [name, value] of Object.entries(layer.values.env ?? {})) {
      const risk = envRisk(name);
      env.set(name, { name, value, file, ...(risk ? { risk } : {}) });
    }
    for (const key of TRUST_ONLY) {
      const value = layer.values[key];
      if (key === 'env' || value === undefined) continue;
      if (key === 'mcp') {
        const table = value as McpConfig;
        mcp = mergeMcp(mcp, table);
        if (table.enabled !== undefined || table.auto_start !== undefined) mcpFiles.set(undefined, file);
        for (const server of table.servers ?? []) mcpFiles.set(server.name, file);
      } else settings.set(key, { key: shownAs(key), value: String(value), file });
    }
  }
  for (const { key, value, server } of mcp ? mcpSettings(mcp) : []) {
    settings.set(key, { key, value, file: mcpFiles.get(server)! });
  }
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
  return {
    env: [...env.values()].sort(byName),
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
        const what = key === 'env' ? `env (${Object.keys(values.env ?? {}).join(', ')})` : shownAs(key);
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
