import type { Message, Role, Usage } from '../../../shared/domain';
import { parseGptmeTimestamp } from './gptme-timestamp';
import { gptmeCallId, joinToolCalls, splitToolCalls } from './gptme-tool-call';

type Json = Record<string, unknown>;
type Metadata = NonNullable<Message['metadata']>;

const GPTME_ROLES: readonly string[] = Object.freeze(['system', 'user', 'assistant']);
const TOKEN_KEYS = Object.freeze([
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_creation_tokens',
]);

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const count = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

/** gptme's usage, nested under `usage` or (older logs) flat beside `model`, as Deskmate's Usage. */
function usageOf(metadata: Json): Usage | undefined {
  const source = isRecord(metadata.usage) ? metadata.usage : metadata;
  if (!TOKEN_KEYS.some((key) => key in source)) return undefined;
  const read = count(source.cache_read_tokens);
  const created = count(source.cache_creation_tokens);
  return {
    promptTokens: count(source.input_tokens) ?? 0,
    completionTokens: count(source.output_tokens) ?? 0,
    ...(read !== undefined ? { cacheReadTokens: read } : {}),
    ...(created !== undefined ? { cacheCreationTokens: created } : {}),
  };
}

/** Deskmate's metadata from a line's: its id taken out, usage in Deskmate's names, the rest kept. */
function metadataOf(raw: unknown): { id?: string; metadata?: Metadata } {
  if (!isRecord(raw)) return {};
  const { id, usage: _usage, ...rest } = raw;
  for (const key of TOKEN_KEYS) delete rest[key];
  const usage = usageOf(raw);
  const metadata = { ...rest, ...(usage ? { usage } : {}) } as Metadata;
  return {
    ...(typeof id === 'string' && id ? { id } : {}),
    ...(Object.keys(metadata).length ? { metadata } : {}),
  };
}

/** A line Deskmate wrote before it wrote gptme's form: a top-level id, maybe a `tool` role. */
function legacyMessage(raw: Json): Message | undefined {
  const roles: readonly unknown[] = [...GPTME_ROLES, 'tool'];
  if (typeof raw.id !== 'string' || typeof raw.content !== 'string' || typeof raw.timestamp !== 'string')
    return undefined;
  return roles.includes(raw.role) ? (raw as unknown as Message) : undefined;
}

export interface LineContext {
  /** The id a line without one gets: derived from the line, so every read gives the same. */
  id: string;
  /** The time a line without a timestamp gets (gptme uses the file's modification time). */
  timestamp?: string;
}

/**
 * A message from one parsed line, read as gptme reads it: roles system/user/assistant, a `system`
 * message with `call_id` is a tool result, tool calls are `@name(call_id): {json}` in the
 * assistant's content. `undefined` when gptme could not load it either.
 */
export function messageFromLine(raw: unknown, context: LineContext): Message | undefined {
  if (!isRecord(raw)) return undefined;
  if (raw.role === 'tool' || 'id' in raw) return legacyMessage(raw);
  if (!GPTME_ROLES.includes(raw.role as string) || typeof raw.content !== 'string') return undefined;
  const timestamp =
    raw.timestamp === undefined
      ? context.timestamp
      : typeof raw.timestamp === 'string'
        ? parseGptmeTimestamp(raw.timestamp)
        : undefined;
  if (timestamp === undefined) return undefined;
  const { id, metadata } = metadataOf(raw.metadata);
  const callId = typeof raw.call_id === 'string' && raw.call_id ? raw.call_id : undefined;
  const role: Role = raw.role === 'system' && callId ? 'tool' : (raw.role as Role);
  const { text, calls } =
    role === 'assistant' ? splitToolCalls(raw.content) : { text: raw.content, calls: [] };
  const files = Array.isArray(raw.files) ? raw.files.filter((f): f is string => typeof f === 'string') : [];
  return {
    id: id ?? context.id,
    role,
    content: text,
    timestamp,
    ...(files.length ? { files } : {}),
    ...(role === 'tool' ? { call_id: callId } : {}),
    ...(calls.length ? { tool_calls: calls } : {}),
    ...(raw.hide === true ? { hide: true } : {}),
    ...(raw.pinned === true ? { pinned: true } : {}),
    ...(isRecord(raw.file_hashes) ? { file_hashes: raw.file_hashes as Record<string, string> } : {}),
    ...(Number.isInteger(raw.ephemeral_ttl) ? { ephemeral_ttl: raw.ephemeral_ttl as number } : {}),
    ...(metadata ? { metadata } : {}),
  };
}

function gptmeUsage(usage: Usage): Json {
  return {
    input_tokens: usage.promptTokens,
    output_tokens: usage.completionTokens,
    ...(usage.cacheReadTokens !== undefined ? { cache_read_tokens: usage.cacheReadTokens } : {}),
    ...(usage.cacheCreationTokens !== undefined ? { cache_creation_tokens: usage.cacheCreationTokens } : {}),
  };
}

/**
 * The line gptme would write for this message. Deskmate's own fields (the id, how a tool ran, a
 * failure) go in `metadata`, which gptme keeps as it is and never sends to a model; a top-level key
 * it does not know would be dropped with a warning (and refused outright by older versions).
 */
export function lineOfMessage(message: Message): Json {
  const { usage, ...rest } = message.metadata ?? {};
  const isTool = message.role === 'tool';
  return {
    role: isTool ? 'system' : message.role,
    content:
      message.role === 'assistant'
        ? joinToolCalls(message.content, message.tool_calls ?? [])
        : message.content,
    timestamp: message.timestamp,
    ...(message.files?.length ? { files: message.files } : {}),
    ...(message.file_hashes ? { file_hashes: message.file_hashes } : {}),
    ...(message.pinned ? { pinned: true } : {}),
    ...(message.hide ? { hide: true } : {}),
    ...(message.ephemeral_ttl !== undefined ? { ephemeral_ttl: message.ephemeral_ttl } : {}),
    ...(isTool ? { call_id: gptmeCallId(message.call_id ?? '') } : {}),
    metadata: { ...rest, ...(usage ? { usage: gptmeUsage(usage) } : {}), id: message.id },
  };
}
