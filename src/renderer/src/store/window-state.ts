import { UNTRUSTED } from '../../../shared/workspace-trust';
import type { ConfigSnapshot } from '../../../shared/config';
import type { HostCapabilities, WorkspaceInfo } from '../../../shared/contract';
import type {
  ApprovalGrant,
  ConversationSummary,
  Message,
  ModelInfo,
  ToolResult,
} from '../../../shared/domain';
import type { RpcErrorShape } from '../../../shared/errors';

/** How a call stands; `failed` includes a command that ran and exited non-zero (its code is on `result`). */
export type ToolCallStatus =
  'queued' | 'pending' | 'running' | 'completed' | 'failed' | 'skipped' | 'stopped';

export interface ToolCallView {
  callId: string;
  tool: string;
  args: Record<string, unknown>;
  status: ToolCallStatus;
  /** Streamed output while running. */
  output: string;
  result?: ToolResult;
  startedAt?: number;
  /** The user changed the arguments before it ran; `args` are the ones that ran. */
  edited?: boolean;
  /** Why the engine asks about this call even under a grant (a dangerous command). */
  warning?: string;
}

export interface MessageView extends Message {
  streaming?: boolean;
}

/** A conversation that is, or was, somewhere else: said in the window, with what the user can do. */
type ConversationNotice =
  | { kind: 'open-elsewhere'; conversationId: string; name: string }
  | { kind: 'taken'; name: string }
  /** Lines of its log that could not be read: kept in the file, left out here. */
  | { kind: 'unreadable'; name: string; lines: number };

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
  /** The sidebar's search: every refresh of the list (another window changed it) keeps to it. */
  conversationQuery: string;
  models: ModelInfo[] | null;
  view: 'chat' | 'settings';
  error: string | null;
  /** The error's stable name (ProviderAuth, …), which decides what the banner offers. */
  errorName?: string | null;
  attachments: string[];
  /** The trust prompt, reopened from the header after it was declined. */
  trustPromptOpen: boolean;
  /** Tools that run without asking in this window's conversation. */
  grants: ApprovalGrant[];
  /** What the host can do (asked once); null until known. */
  host: HostCapabilities | null;
  notice: ConversationNotice | null;
  /** Bumped to open (or focus) the header's path field: the folder dialog of a host without one. */
  pathFieldRequests: number;
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
  conversationQuery: '',
  models: null,
  view: 'chat',
  error: null,
  attachments: [],
  trustPromptOpen: false,
  grants: [],
  host: null,
  notice: null,
  pathFieldRequests: 0,
  deleting: [],
});
