import type { ConfigLayer, ConfigValues, EffectiveConfig, McpConfig } from './config';
import type { ConfigValueSource } from './context-view';

// A long prompt is shown whole in the system prompt itself; its config row only says what it is.
const MAX_SHOWN_CHARS = 160;
// Named as the project file spells them, where a gptme user wrote them.
const SHOWN_AS: Readonly<Record<string, string>> = Object.freeze({
  contextCmd: 'context_cmd',
  basePrompt: 'base_prompt',
});
// In the order a user reads them: what answers, what it is told, what it may do, its bounds.
const PLAIN_KEYS = Object.freeze([
  'model',
  'temperature',
  'prompt',
  'basePrompt',
  'files',
  'contextCmd',
  'tools',
  'autoApprove',
  'maxSteps',
  'requestTimeoutMs',
  'shellTimeoutMs',
] as const satisfies ReadonlyArray<keyof ConfigValues & keyof EffectiveConfig>);

interface Row {
  key: string;
  value: string;
  /** Whether a layer holds this very value (compared as shown, so a redacted key matches its redaction). */
  holds: (values: ConfigValues) => boolean;
}

function shown(value: unknown): string {
  if (typeof value === 'string') {
    const line = value.replace(/\s+/g, ' ').trim();
    return line.length > MAX_SHOWN_CHARS ? `${line.slice(0, MAX_SHOWN_CHARS).trimEnd()}…` : line;
  }
  if (Array.isArray(value)) return value.length ? value.map(String).join(', ') : '(none)';
  // Stryker disable next-line ConditionalExpression: no config value is null; the check is for the type
  if (typeof value === 'object' && value !== null)
    return Object.entries(value)
      .map(([name, grant]) => `${name}: ${String(grant)}`)
      .join(', ');
  return String(value);
}

function mcpShown(mcp: McpConfig): string {
  const switches = [
    mcp.enabled === undefined ? '' : `enabled = ${mcp.enabled}`,
    mcp.auto_start === undefined ? '' : `auto_start = ${mcp.auto_start}`,
  ];
  // A server's env and headers may hold tokens: named only (the trust prompt shows them in full).
  const servers = (mcp.servers ?? []).map((server) => server.name);
  return [...switches, servers.length ? `servers: ${servers.join(', ')}` : ''].filter(Boolean).join('; ');
}

function rowsOf(effective: EffectiveConfig): Row[] {
  const rows: Row[] = [];
  const { provider } = effective;
  rows.push({
    key: 'provider.baseUrl',
    value: provider.baseUrl,
    holds: (values) => values.provider?.baseUrl === provider.baseUrl,
  });
  // The key itself never becomes a row's text, redacted or not: only that there is one.
  if (provider.apiKey !== undefined)
    rows.push({
      key: 'provider.apiKey',
      value: 'set (hidden)',
      holds: (values) => values.provider?.apiKey === provider.apiKey,
    });
  for (const key of PLAIN_KEYS) {
    const value = effective[key];
    // An empty prompt or base prompt is not used (the system prompt leaves it out): no row either.
    if (value === undefined || value === '') continue;
    rows.push({
      key: SHOWN_AS[key] ?? key,
      value: shown(value),
      holds: (values) => values[key] !== undefined && shown(values[key]) === shown(value),
    });
  }
  for (const [name, value] of Object.entries(effective.env).sort(([a], [b]) => a.localeCompare(b)))
    rows.push({ key: `env.${name}`, value, holds: (values) => values.env?.[name] === value });
  if (effective.mcp)
    // Merged across layers server by server: the last layer that touched it is named.
    rows.push({ key: 'mcp', value: mcpShown(effective.mcp), holds: (values) => values.mcp !== undefined });
  return rows;
}

/**
 * Each effective value, with the layer it came from: the highest layer (the last one merged) that
 * holds that very value; a value no layer holds is the built-in default. Never the API key's text.
 */
export function configSources(snapshot: {
  effective: EffectiveConfig;
  layers: readonly ConfigLayer[];
}): ConfigValueSource[] {
  const highestFirst: readonly ConfigLayer[] = [...snapshot.layers].reverse();
  return rowsOf(snapshot.effective).map(({ key, value, holds }) => {
    const layer = highestFirst.find((candidate) => holds(candidate.values));
    return {
      key,
      value,
      source: layer?.source ?? 'defaults',
      ...(layer?.path === undefined ? {} : { path: layer.path }),
    };
  });
}
