import type { ConfigLayer, ConfigProblem, EffectiveConfig, McpConfig } from '../../../shared/config';
import { sameEndpoint } from '../../../shared/endpoint';
import { DEFAULT_CONFIG } from './defaults';
import { deepFreeze } from '../base/deep-freeze';

/**
 * Precedence, lowest first: defaults < environment < user < project < chat.
 * A later layer wins key by key. `provider` and `env` merge field by field (a project's env adds to
 * the user's), except that a provider URL set without a key drops the key of the layers below: a key
 * belongs to its URL. `mcp` merges as gptme merges gptme.local.toml over gptme.toml: its servers by
 * name, a server field by field and its env by variable. Other lists (`files`, `tools`) are
 * replaced whole, never concatenated.
 */
export function mergeLayers(layers: readonly ConfigLayer[]): EffectiveConfig {
  const merged: EffectiveConfig = structuredClone(DEFAULT_CONFIG);
  for (const { values } of layers) {
    const { provider, env, mcp, ...rest } = values;
    if (provider) {
      // A key goes only to the URL it was given with: a layer that points elsewhere without a key
      // of its own starts keyless rather than sending a lower layer's key to a new server.
      const moved =
        provider.baseUrl !== undefined && !sameEndpoint(provider.baseUrl, merged.provider.baseUrl);
      merged.provider = moved
        ? { ...provider, baseUrl: provider.baseUrl! }
        : { ...merged.provider, ...provider };
    }
    merged.env = { ...merged.env, ...env };
    if (mcp) merged.mcp = mergeMcp(merged.mcp, mcp);
    Object.assign(merged, structuredClone(rest));
  }
  return deepFreeze(merged);
}

/** gptme's merge of one `[mcp]` table over another. */
export function mergeMcp(below: McpConfig | undefined, above: McpConfig): McpConfig {
  const { servers: lower = [], ...belowRest } = structuredClone(below ?? {});
  const { servers: upper, ...aboveRest } = structuredClone(above);
  const servers = [...lower];
  for (const server of upper ?? []) {
    const at = servers.findIndex((s) => s.name === server.name);
    if (at === -1) servers.push(server);
    else {
      const env = { ...servers[at]!.env, ...server.env };
      servers[at] = { ...servers[at]!, ...server, ...(Object.keys(env).length ? { env } : {}) };
    }
  }
  return { ...belowRest, ...aboveRest, ...(servers.length ? { servers } : {}) };
}

export function collectProblems(layers: readonly ConfigLayer[]): ConfigProblem[] {
  return layers.flatMap((layer) => layer.problems);
}
