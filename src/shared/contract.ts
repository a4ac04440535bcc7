// The one declaration of the Deskmate protocol. The router in main, the preload API, the web bridge
// and the renderer client are all derived from these two tables; a channel name is never written
// anywhere else. Inputs are strict objects: unknown keys (`__proto__` included) are refused.
import { z } from 'zod';
import {
  chatConfigSchema,
  providerSchema,
  userConfigSchema,
  type ConfigSnapshot,
  type UserConfig,
} from './config';
import type {
  ApprovalGrant,
  ConversationDetail,
  ConversationSummary,
  Message,
  ModelInfo,
  ToolResult,
  TurnEndReason,
} from './domain';
import type { ContextCommandRun } from './context-command';
import type { ContextView } from './context-view';
import type { ImportProgress, ImportSummary } from './import-summary';
import type { RpcErrorShape } from './errors';
import { EXPORT_FORMATS } from './export-format';
import type { TrustedFolder, WorkspaceTrust } from './workspace-trust';

/** A request: its validated input schema, and its output type carried as a phantom. */
interface RequestDef<I extends z.ZodType, O> {
  readonly input: I;
  readonly output?: O;
}

function request<O>() {
  return <I extends z.ZodType>(input: I): RequestDef<I, O> => ({ input });
}

const empty = z.strictObject({});
const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'must be an id of letters, digits, . _ -');
const absolutePath = z
  .string()
  .min(1)
  .max(4096)
  .refine(
    (p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\'),
    'must be an absolute path',
  )
  .refine((p) => !p.includes('\0'), 'must not contain NUL');
const name = z.string().trim().min(1).max(200);
/** The settings a scope may unset: the ones its values may hold, named from that same schema, each once. */
const unsetKeys = <Shape extends z.ZodRawShape>(values: z.ZodObject<Shape, z.core.$strict>) =>
  z.array(values.keyof()).max(values.keyof().options.length);

const toolAction = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('approve') }),
  z.strictObject({ action: z.literal('skip') }),
  z.strictObject({ action: z.literal('edit'), args: z.record(z.string().max(200), z.unknown()) }),
  z.strictObject({ action: z.literal('auto'), count: z.number().int().min(1).max(1000) }),
  z.strictObject({ action: z.literal('always') }),
]);

/** A tool's name, or `*` for the every-tool grant. */
const grantedTool = z.string().regex(/^(\*|[A-Za-z][A-Za-z0-9_]{0,127})$/, 'must be a tool name or *');
/** A file name as the conversation store writes it under artifacts/: one plain name, no path. */
const artifactName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'must be the file name of an artifact, without a folder');

/** A kept tool output: its text from the start, cut at the bound the request allows. */
export interface ArtifactText {
  name: string;
  text: string;
  /** The artifact's size; more than `text` holds when it was cut. */
  bytes: number;
  truncated: boolean;
}

export interface SettingsView {
  values: UserConfig;
  /** The key is never sent to a renderer; this says whether one is stored. */
  hasApiKey: boolean;
  /** `keyring`: encrypted by the OS. `file`: unencrypted, in a file only the user can read. */
  keyStorage: 'keyring' | 'file';
  path: string | null;
}

export interface WorkspaceInfo {
  workspace: string | null;
  projectFiles: string[];
  trust: WorkspaceTrust;
  /** The open conversation's recorded folder, not opened because the user never opened it here. */
  suggested?: WorkspaceSuggestion;
}

/** A folder offered to the user (an "Open" action, through workspace.open), never opened for them. */
export interface WorkspaceSuggestion {
  folder: string;
  conversationId: string;
}

export interface PendingTool {
  callId: string;
  tool: string;
  args: Record<string, unknown>;
  /** Why the user should look twice (a dangerous command), asked even under a grant. */
  warning?: string;
}

/** The running turn's unrecorded part, for a window that (re)draws itself in the middle of it. */
export interface LiveTurn {
  /** The reply being streamed, its text so far. */
  draft: Message | null;
  /** Tools running now, with their output so far. */
  running: Array<{ callId: string; output: string }>;
}

export interface WindowState {
  conversation: ConversationDetail | null;
  workspace: WorkspaceInfo;
  /** The running turn, if any. */
  turnId: string | null;
  /** When the running turn started (ms since the epoch): a reloaded window's timer goes on from it. */
  turnStartedAt?: number | null;
  pending: PendingTool[];
  /** Absent or null when no turn runs. */
  live?: LiveTurn | null;
  /** False until a provider is usable: the window shows settings instead of an empty chat. */
  providerReady: boolean;
  /** What runs without asking in this window now, per tool (the engine always sends it). */
  grants?: ApprovalGrant[];
}

/** What a host offers its windows; the renderer hides or replaces what is missing. */
export interface HostCapabilities {
  /** What the user calls one of its views: a desktop window, or a browser tab. */
  view: 'window' | 'tab';
  /** A native folder dialog (workspace.pick); without one, the header's path field. */
  folderDialog: boolean;
  /** window.new opens windows; a browser tab opens a new tab of its own instead. */
  openWindow: boolean;
  /** Another window can be brought forward (window.new of a conversation open there). */
  focusWindow: boolean;
  /** A chosen or dropped file comes with its real path; a browser hides paths, so they are typed. */
  filePaths: boolean;
}

// Frozen rather than `as const`: the same readonly type, a table no code can change at run time, and
// schemas StrykerJS can mutate (it skips everything under an `as` cast, stryker-js#6208).
export const requests = Object.freeze({
  'conversation.list': request<{ items: ConversationSummary[]; total: number }>()(
    z.strictObject({
      query: z.string().max(200).optional(),
      offset: z.number().int().min(0).max(1_000_000).optional(),
      limit: z.number().int().min(1).max(500).optional(),
    }),
  ),
  'conversation.new': request<ConversationSummary>()(z.strictObject({ name: name.optional() })),
  /** `takeOver`: open it here even if another window has it; that one is stopped and told. */
  'conversation.open': request<ConversationDetail>()(
    z.strictObject({ id, takeOver: z.boolean().optional() }),
  ),
  'conversation.rename': request<ConversationSummary>()(z.strictObject({ id, name })),
  'conversation.delete': request<{ deleted: boolean }>()(z.strictObject({ id })),
  'conversation.fork': request<ConversationSummary>()(
    z.strictObject({ id, atMessage: z.number().int().min(0).max(10_000_000).optional() }),
  ),
  /**
   * The conversation as a file to save: Markdown, one self-contained HTML page, or its log as gptme
   * reads it (`jsonl`, every line as it is on disk). Read only: from any window, open elsewhere or not.
   */
  'conversation.export': request<{ fileName: string; text: string }>()(
    z.strictObject({ id, format: z.enum(EXPORT_FORMATS) }),
  ),
  /**
   * Copies gptme's conversations into the data folder: from `path`, else from gptme's log folder
   * on the machine the engine runs on. `import.progress` after every hundred; a conversation
   * imported before is already present, so a second import adds nothing.
   */
  'conversation.import': request<ImportSummary>()(z.strictObject({ path: absolutePath.optional() })),
  'chat.send': request<{ turnId: string }>()(
    z.strictObject({
      text: z.string().min(1).max(1_000_000),
      attachments: z.array(absolutePath).max(50).optional(),
    }),
  ),
  'chat.interrupt': request<{ interrupted: boolean }>()(empty),
  /**
   * Runs the last turn again from the same history: after a failure from where it failed, else
   * replacing the last reply. `NothingToRetry` when the conversation ends with neither.
   */
  'chat.retry': request<{ turnId: string }>()(empty),
  /**
   * Deletes a message from the conversation and its log: a user message with its whole turn, a
   * reply with its tool results. Refused (`Busy`) while a turn runs.
   */
  'chat.delete': request<{ removed: string[] }>()(z.strictObject({ messageId: id })),
  'tool.respond': request<{ accepted: boolean }>()(z.strictObject({ callId: id, response: toolAction })),
  /** Takes back a grant ("always" or "auto next N") of this window's conversation; the tool asks again. */
  'grants.revoke': request<{ grants: ApprovalGrant[] }>()(z.strictObject({ tool: grantedTool })),
  /** A full tool output kept beside this window's conversation; never any other file. */
  'artifact.read': request<ArtifactText>()(z.strictObject({ name: artifactName })),
  /**
   * Runs the workspace's `context_cmd` again for this window's conversation (trusted workspaces
   * only; `run` is null when there is none to run): its next turns see the new output.
   */
  'context.refresh': request<{ run: ContextCommandRun | null }>()(empty),
  /** What the model sees from this window: the system prompt, its files, the context command, the config. */
  'context.get': request<ContextView>()(empty),
  'config.get': request<ConfigSnapshot>()(empty),
  /** The conversation's own config (the chat layer); the user's settings are `settings.set`. */
  'config.set': request<ConfigSnapshot>()(
    z.strictObject({
      scope: z.literal('chat'),
      values: chatConfigSchema,
      unset: unsetKeys(chatConfigSchema).optional(),
    }),
  ),
  'workspace.open': request<WorkspaceInfo>()(z.strictObject({ path: absolutePath })),
  'workspace.pick': request<WorkspaceInfo>()(empty),
  'workspace.recent': request<{ items: string[] }>()(empty),
  /** The answer to the trust prompt for this window's workspace: trust it as it asks now, or not. */
  'workspace.trust': request<WorkspaceInfo>()(
    z.strictObject({
      trusted: z.boolean(),
      /** The request the user answered (`trust.fingerprint`): refused if the files changed since. */
      fingerprint: z
        .string()
        .regex(/^[0-9a-f]{64}$/)
        .optional(),
    }),
  ),
  'trust.list': request<{ folders: TrustedFolder[] }>()(empty),
  'trust.revoke': request<{ revoked: boolean }>()(z.strictObject({ path: absolutePath })),
  'models.list': request<{ models: ModelInfo[] }>()(empty),
  'settings.get': request<SettingsView>()(empty),
  'settings.set': request<SettingsView>()(
    z.strictObject({ values: userConfigSchema, unset: unsetKeys(userConfigSchema).optional() }),
  ),
  /**
   * Tests a provider (the given URL and key, else the stored ones) by listing its models; with
   * `list`, answers their ids too, for the user to pick a default model from.
   */
  'settings.test': request<{ ok: true; models: number; ids?: string[] }>()(
    // The provider's own schema: a URL or key that could not be saved cannot be tested either.
    providerSchema.extend({ list: z.boolean().optional() }),
  ),
  /** Everything a window needs to draw itself after a (re)load: its conversation, turn and approvals. */
  'window.state': request<WindowState>()(empty),
  'window.new': request<{ opened: boolean }>()(
    z.strictObject({ workspace: absolutePath.optional(), conversation: id.optional() }),
  ),
  /** What this host can do: asked once, so a window shows only the controls that work in it. */
  'host.capabilities': request<HostCapabilities>()(empty),
});

/** An event: its payload type, carried as a phantom like a request's output. */
export interface EventDef<P> {
  readonly payload?: P;
}

function event<P>(): EventDef<P> {
  return {};
}

/**
 * Every event and its payload. Payloads are the engine's own values, typed here and never parsed,
 * so only the names exist at run time (`eventNames`, this table's keys).
 */
const events = Object.freeze({
  'message.added': event<{ conversationId: string; message: Message }>(),
  /**
   * Batched: text accumulated since the last delta for this message. `offset` is the length of the
   * message's text before it, so a window drawn from a snapshot can skip what it already has.
   */
  'message.delta': event<{
    conversationId: string;
    messageId: string;
    text: string;
    offset?: number | undefined;
  }>(),
  'message.completed': event<{ conversationId: string; message: Message }>(),
  /** Messages taken out of the conversation (a reply being retried, a deleted exchange). */
  'message.removed': event<{ conversationId: string; messageIds: string[] }>(),
  'tool.pending': event<{
    conversationId: string;
    callId: string;
    tool: string;
    args: Record<string, unknown>;
    /** Why the user should look twice (a dangerous command); such a call is asked even under a grant. */
    warning?: string;
  }>(),
  /** With `args` and `edited` when the user changed the call before approving it: what runs. */
  'tool.started': event<{
    conversationId: string;
    callId: string;
    args?: Record<string, unknown> | undefined;
    edited?: true | undefined;
  }>(),
  /** Batched like message.delta, `offset` likewise. */
  'tool.output': event<{
    conversationId: string;
    callId: string;
    chunk: string;
    offset?: number | undefined;
  }>(),
  'tool.completed': event<{
    conversationId: string;
    callId: string;
    status: 'completed' | 'failed' | 'skipped';
    result: ToolResult;
  }>(),
  'turn.started': event<{ conversationId: string; turnId: string }>(),
  'turn.completed': event<{ conversationId: string; turnId: string; reason: TurnEndReason }>(),
  'turn.failed': event<{ conversationId: string; turnId: string; error: RpcErrorShape }>(),
  'config.changed': event<ConfigSnapshot>(),
  'workspace.changed': event<WorkspaceInfo>(),
  'grants.changed': event<{ grants: ApprovalGrant[] }>(),
  /** Another window took this window's conversation over: the window is left with a new, empty chat. */
  'conversation.taken': event<{ conversationId: string }>(),
  /**
   * The conversation list changed somewhere (any window, this one too): list again. Says nothing
   * of what or whose, so a window learns only what `conversation.list` would tell it; at most one
   * a second while a turn streams.
   */
  'conversations.changed': event<Record<string, never>>(),
  /** This window's import (conversation.import): how far it got, after every hundred conversations. */
  'import.progress': event<ImportProgress>(),
  /** A host's menu asks the window to do something it shows itself (the import dialog). */
  'window.command': event<{ command: 'import-gptme' }>(),
});

type EventPayloads = { [E in keyof typeof events]: NonNullable<(typeof events)[E]['payload']> };

type Requests = typeof requests;
export type RequestName = keyof Requests;
export type RequestInput<M extends RequestName> = z.input<Requests[M]['input']>;
export type ParsedInput<M extends RequestName> = z.output<Requests[M]['input']>;
export type RequestOutput<M extends RequestName> = NonNullable<Requests[M]['output']>;

export type EventName = keyof EventPayloads;
export type EventPayload<E extends EventName> = EventPayloads[E];

export const requestNames = Object.freeze(Object.keys(requests) as RequestName[]);
export const eventNames = Object.freeze(Object.keys(events) as EventName[]);
// Typed as a set of anything so that any value can be asked: `has` compares without converting, so
// a non-string (an array holding a name, say) is never found and needs no check of its own.
const EVENT_NAME_SET: ReadonlySet<unknown> = new Set(eventNames);

export function isRequestName(value: unknown): value is RequestName {
  return typeof value === 'string' && Object.hasOwn(requests, value);
}

export function isEventName(value: unknown): value is EventName {
  return EVENT_NAME_SET.has(value);
}
