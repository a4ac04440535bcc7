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
}

/** gptme's message schema, plus the ids and tool calls needed to resume a conversation exactly. */
export interface Message {
  id: string;
  role: Role;
  content: string;
  /** ISO 8601. */
  timestamp: string;
  files?: string[];
  call_id?: string;
  tool_calls?: ToolCall[];
  metadata?: {
    model?: string;
    usage?: Usage;
    interrupted?: boolean;
    error?: string;
    /**
     * On the last message of a turn that failed: why. Metadata, so gptme (which drops nothing from
     * metadata and sends none of it) reads the log as it would without it. Gone once retried.
     */
    failure?: { name: string; message: string };
  };
}

export interface ConversationSummary {
  id: string;
  name: string;
  messageCount: number;
  /** ISO 8601 of the last change. */
  updatedAt: string;
  workspace: string | null;
}

export interface ConversationDetail extends ConversationSummary {
  messages: Message[];
}

export interface ModelInfo {
  id: string;
  ownedBy?: string;
}

export type ToolStatus = 'pending' | 'running' | 'completed' | 'failed' | 'skipped';

export interface ToolResult {
  ok: boolean;
  output: string;
  error?: RpcErrorShape;
}

export type TurnEndReason = 'stop' | 'interrupted' | 'max-steps';
