import { z } from 'zod';

// Keys that would reach Object.prototype if a record were built with plain assignment.
const FORBIDDEN_KEYS: readonly string[] = Object.freeze(['__proto__', 'constructor', 'prototype']);

export const TOOL_NAMES = ['shell', 'read', 'save', 'append', 'patch'] as const;
export const toolNameSchema = z.enum(TOOL_NAMES);
export type ToolName = z.infer<typeof toolNameSchema>;

export const envNameSchema = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'must be an environment variable name')
  .refine((key) => !FORBIDDEN_KEYS.includes(key), 'is a reserved name');

const modelIdSchema = z.string().trim().min(1).max(200);

export const providerSchema = z.strictObject({
  baseUrl: z
    .url({ protocol: /^https?$/ })
    .max(2048)
    .optional(),
  apiKey: z.string().min(1).max(4096).optional(),
});

/**
 * A conversation's approval grant: `{ shell: 'always' }` lets those tools run without asking (what
 * "Always allow shell" on a card saves). A bare `always` is every tool: a program may set it for the
 * running window (tests, the CLI), but it is not restored from a saved conversation, where it can
 * only come from before grants were per tool: asking again is the safe reading.
 */
const toolGrantsSchema = z.partialRecord(toolNameSchema, z.literal('always'));
type ToolGrants = z.infer<typeof toolGrantsSchema>;
const autoApproveSchema = z.union([
  z.literal('always'),
  z.number().int().min(0).max(10_000),
  toolGrantsSchema,
]);

const envRecordSchema = z.record(envNameSchema, z.string().max(32_768));

/** One MCP server as gptme's `[[mcp.servers]]` describes it: a command to start, or a URL. */
const mcpServerSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  enabled: z.boolean().optional(),
  command: z.string().max(4096).optional(),
  args: z.array(z.string().max(4096)).max(200).optional(),
  env: envRecordSchema.optional(),
  url: z.string().max(2048).optional(),
  headers: z.record(z.string().max(200), z.string().max(8192)).optional(),
});
export type McpServer = z.infer<typeof mcpServerSchema>;

/** gptme's `[mcp]` table. Read, validated and shown for trust; no server is started from it yet. */
export const mcpConfigSchema = z.strictObject({
  enabled: z.boolean().optional(),
  auto_start: z.boolean().optional(),
  servers: z.array(mcpServerSchema).max(50).optional(),
});
export type McpConfig = z.infer<typeof mcpConfigSchema>;

/** Everything a config layer may hold. Every layer is a partial of this. */
export const configValuesSchema = z.strictObject({
  provider: providerSchema.optional(),
  model: modelIdSchema.optional(),
  temperature: z.number().min(0).max(2).optional(),
  prompt: z.string().max(100_000).optional(),
  /** Replaces the opening of the system prompt (who the assistant is); gptme's `base_prompt`. */
  basePrompt: z.string().max(100_000).optional(),
  files: z.array(z.string().min(1).max(4096)).max(200).optional(),
  /** A shell command whose output joins the system prompt; gptme's `context_cmd`. Needs trust. */
  contextCmd: z.string().trim().min(1).max(4096).optional(),
  env: envRecordSchema.optional(),
  mcp: mcpConfigSchema.optional(),
  tools: z.array(toolNameSchema).max(TOOL_NAMES.length).optional(),
  autoApprove: autoApproveSchema.optional(),
  maxSteps: z.number().int().min(1).max(500).optional(),
  /** The provider must send something at least this often, or the turn fails. */
  requestTimeoutMs: z.number().int().min(100).max(600_000).optional(),
  /** A shell command is killed after this long. */
  shellTimeoutMs: z.number().int().min(100).max(3_600_000).optional(),
});
export type ConfigValues = z.infer<typeof configValuesSchema>;

/** What a conversation may change for itself. */
export const chatConfigSchema = configValuesSchema
  .pick({ model: true, temperature: true, tools: true })
  .extend({
    // A count ("auto next N") is given on a card, for that card's tool, and lives in the approval
    // gate: a count in the chat config would be accepted and never used.
    autoApprove: autoApproveSchema
      .refine((grant) => typeof grant !== 'number', {
        error:
          'must be "always" or per-tool grants such as { shell: "always" }; "auto next N" is given on a tool card',
      })
      .optional(),
  });
export type ChatConfig = z.infer<typeof chatConfigSchema>;

/** What the user's settings may hold. */
export const userConfigSchema = configValuesSchema.pick({
  provider: true,
  model: true,
  temperature: true,
  prompt: true,
  tools: true,
  maxSteps: true,
  requestTimeoutMs: true,
  shellTimeoutMs: true,
});
export type UserConfig = z.infer<typeof userConfigSchema>;

/** What a project file may set: never the provider, whose URL and key would leak to a stranger's server. */
export const projectConfigSchema = configValuesSchema.pick({
  model: true,
  temperature: true,
  prompt: true,
  basePrompt: true,
  files: true,
  contextCmd: true,
  env: true,
  mcp: true,
  tools: true,
  shellTimeoutMs: true,
});
export interface EffectiveConfig {
  provider: { baseUrl: string; apiKey?: string };
  model: string;
  temperature?: number;
  prompt: string;
  basePrompt?: string;
  /** Unset: the files a gptme user expects (README, AGENTS.md, the manifest...); [] includes none. */
  files?: string[];
  contextCmd?: string;
  env: Record<string, string>;
  mcp?: McpConfig;
  tools: ToolName[];
  autoApprove: number | 'always' | ToolGrants;
  maxSteps: number;
  requestTimeoutMs: number;
  shellTimeoutMs: number;
}

/** Lowest precedence first. */
export type LayerSource = 'defaults' | 'environment' | 'user' | 'project' | 'chat';

export interface ConfigProblem {
  /** File the problem was found in, when it came from a file. */
  path?: string;
  line?: number;
  column?: number;
  /** The text of that line, to show beside the problem. */
  excerpt?: string;
  message: string;
  /** Held back until the workspace is trusted (the trust prompt lists it), not refused. */
  untilTrusted?: true;
}

export interface ConfigLayer {
  source: LayerSource;
  /** The file this layer was read from, for file-backed layers. */
  path?: string;
  values: ConfigValues;
  /** Things that were ignored or could not be read; the layer still applies what it could. */
  problems: ConfigProblem[];
}

export interface ConfigSnapshot {
  workspace: string | null;
  effective: EffectiveConfig;
  /** Lowest precedence first. */
  layers: ConfigLayer[];
  warnings: ConfigProblem[];
}

/** A provider is usable once it has a key, or points somewhere other than OpenAI (local servers need none). */
export function isProviderReady(config: Pick<EffectiveConfig, 'provider'>): boolean {
  return Boolean(config.provider.apiKey) || !/^https:\/\/api\.openai\.com\b/.test(config.provider.baseUrl);
}
