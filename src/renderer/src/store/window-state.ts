import { UNTRUSTED } from '../../../shared/workspace-trust';
import type { ConfigSnapshot } from '../../../shared/config';
import type { WorkspaceInfo } from '../../../shared/contract';
import type { ConversationSummary, Message, ModelInfo, ToolResult } from '../../../shared/domain';
import type { RpcErrorShape } from '../../../shared/errors';

export type ToolCallStatus = 'queued' | 'pending' | 'running' | 'completed' | 'failed' | 'skipped';

export interface ToolCallView {
  callId: string;
  tool: string;
  args: Record<string, unknown>;
  status: ToolCallStatus;
  /** Streamed output while running. */
  output: string;
  result?: ToolResult;
  startedAt?: number;
}

export interface MessageView extends Message {
  streaming?: boolean;
}

export type TurnPhase = 'thinking' | 'streaming' | 'waiting' | 'running';

export interface WindowState {
  loaded: boolean;
  providerReady: boolean;
  config: ConfigSnapshot | null;
  workspace: WorkspaceInfo;
  recent: string[];
  conversation: { id: string; name: string } | null;
  /** Message order; changes only when a message is added, so a delta never re-renders the list. */
  messageIds: string[];
  messages: Record<string, MessageView>;
  toolCalls: Record<string, ToolCallView>;
  turn: { id: string; phase: TurnPhase; since: number } | null;
  /** The conversation's last turn failed: shown after its last message, with a Retry. */
  failure: RpcErrorShape | null;
  conversations: ConversationSummary[];
  models: ModelInfo[] | null;
  view: 'chat' | 'settings';
  error: string | null;
  attachments: string[];
  /** The trust prompt, reopened from the header after it was declined. */
  trustPromptOpen: boolean;
  /** Conversations the user deleted that an Undo can still bring back (deleted when it expires). */
  deleting: ConversationSummary[];
}

export const initialState = (): WindowState => ({
  loaded: false,
  providerReady: true,
  config: null,
  workspace: { workspace: null, projectFiles: [], trust: UNTRUSTED },
  recent: [],
  conversation: null,
  messageIds: [],
  messages: {},
  toolCalls: {},
  turn: null,
  failure: null,
  conversations: [],
  models: null,
  view: 'chat',
  error: null,
  attachments: [],
  trustPromptOpen: false,
  deleting: [],
});
