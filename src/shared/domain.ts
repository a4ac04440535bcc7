import type { RpcErrorShape } from './errors';

export type Role = 'system' | 'user' | 'assistant' | 'tool';

export interface ToolCall {
  id: string;
  name: string;
  /** Arguments as the model sent them, parsed. */
  args: Record<string, unknown>;
}

export interface Usage {
  promptTokens: number;
  completionTokens: number;
  /** gptme's `cache_read_tokens` / `cache_creation_tokens`, kept when a gptme log has them. */
  cacheReadTokens?: number;
  cacheCreationTokens?: number;
}

/**
 * A message as the engine and the window see it. On disk it is a line of gptme's schema
 * (conversation-store/gptme-line.ts): a `tool` result is a `system` message with `call_id`, the
 * tool calls are `@name(call_id): {json}` lines in the assistant's content, and the id is metadata.
 */
export interface Message {
  id: string;
  role: Role;
  content: string;
  /** ISO 8601. */
  timestamp: string;
  files?: string[];
  call_id?: string;
  tool_calls?: ToolCall[];
  /** gptme's: kept out of the conversation's view, still sent to the model. */
  hide?: boolean;
  /** gptme's: never trimmed from the model's context. */
  pinned?: boolean;
  /** gptme's, kept as they were read so a rewrite loses nothing. */
  file_hashes?: Record<string, string>;
  ephemeral_ttl?: number;
  metadata?: {
    model?: string;
    /** In USD, as gptme records it. */
    cost?: number;
    usage?: Usage;
    interrupted?: boolean;
    error?: string;
    /**
     * On the last message of a turn that failed: why. Metadata, so gptme (which drops nothing from
     * metadata and sends none of it) reads the log as it would without it. Gone once retried.
     */
    failure?: { name: string; message: string };
  } & ToolRunFacts;
}

/**
 * What the log keeps about a tool call's run beside the text the model reads (Deskmate's own
 * fields on a tool result's metadata; gptme ignores them): the card is rebuilt from these.
 */
export interface ToolRunFacts {
  /** The arguments that ran, when the user edited the call before approving it. */
  args?: Record<string, unknown>;
  edited?: true;
  /** A command's exit status; absent when it was killed or for tools without one. */
  exitCode?: number;
  /** Stopped by the user while it ran. */
  stopped?: true;
  /** The file name, under the conversation's artifacts, of an output cut for the model. */
  artifact?: string;
}

export interface ConversationSummary {
  id: string;
  name: string;
  /**
   * Every message in the log, tool results and system messages included: the log's own count
   * (what gptme would count in its folder).
   */
  messageCount: number;
  /** User and assistant messages: what the conversation shows (tool results live in their cards). */
  shownCount: number;
  /**
   * ISO 8601 of the last message added or changed. A rename or a settings change leaves it, so
   * the list's order and date groups follow what was said, not what was tidied.
   */
  updatedAt: string;
  workspace: string | null;
}

export interface ConversationDetail extends ConversationSummary {
  messages: Message[];
  /** Lines of the log that could not be read: kept on disk, skipped here, said in the window. */
  skippedLines?: number;
  /** The last line could not be read: the message being written when the process stopped. */
  truncatedTail?: boolean;
}

export interface ModelInfo {
  id: string;
  ownedBy?: string;
}

export interface ToolResult extends ToolRunFacts {
  ok: boolean;
  output: string;
  error?: RpcErrorShape;
}

/**
 * A grant that lets a tool run without asking in this conversation: `always`, or a count of calls
 * still approved. `tool` is `*` for every tool (the chat config's bare `always`, set by a program).
 */
export interface ApprovalGrant {
  tool: string;
  grant: 'always' | number;
}

export type TurnEndReason = 'stop' | 'interrupted' | 'max-steps';
