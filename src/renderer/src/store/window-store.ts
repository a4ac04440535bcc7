import { createStore, type StoreApi } from 'zustand/vanilla';
import { isProviderReady } from '../../../shared/config';
import type { EventName, EventPayload, LiveTurn } from '../../../shared/contract';
import type { ConversationDetail } from '../../../shared/domain';
import { isNamedError } from '../../../shared/errors';
import type { RpcClient } from '../rpc-client';
import { appendAt } from './append-at';
import { endedStatus, viewOfMessages } from './conversation-view';
import { EventGate } from './event-gate';
import { initialState, type ToolCallView, type TurnPhase, type WindowState } from './window-state';

/** A window's store, with the gate its events pass while it draws itself from a snapshot. */
export type WindowStore = StoreApi<WindowState> & { events: EventGate };

const patchTool = (state: WindowState, callId: string, patch: Partial<ToolCallView>) => {
  const current = state.toolCalls[callId] ?? {
    callId,
    tool: '?',
    args: {},
    status: 'queued' as const,
    output: '',
  };
  return { toolCalls: { ...state.toolCalls, [callId]: { ...current, ...patch } } };
};

function unreadableNotice(detail: ConversationDetail): WindowState['notice'] {
  const lines = (detail.skippedLines ?? 0) + (detail.truncatedTail ? 1 : 0);
  return lines ? { kind: 'unreadable', name: detail.name, lines } : null;
}

/** Shows a conversation (opened, created or reloaded) in the window. */
export function showConversation(store: WindowStore, detail: ConversationDetail | null): void {
  store.setState({
    conversation: detail ? { id: detail.id, name: detail.name } : null,
    ...viewOfMessages(detail?.messages ?? []),
    // A conversation on screen answers any notice about where one was; one with lines it could
    // not read says so (the lines stay in the file).
    ...(detail ? { notice: unreadableNotice(detail) } : {}),
  });
}

/**
 * Feeds a window's store from its own client's events, outside React (setState), so components
 * that select one message re-render when that message changes and nothing else does.
 */
export function connectStore(store: WindowStore, client: RpcClient): () => void {
  const set = store.setState;
  const on = <E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void) =>
    client.on(name, (payload) => store.events.deliver(() => listener(payload)));
  const offs = [
    on('message.added', ({ message }) => {
      if (message.role === 'tool' || message.role === 'system') return;
      set((s) => ({
        messageIds: s.messageIds.includes(message.id) ? s.messageIds : [...s.messageIds, message.id],
        // Already drawn from a snapshot with its text so far: the text stays.
        messages: s.messages[message.id]
          ? s.messages
          : { ...s.messages, [message.id]: { ...message, streaming: message.role === 'assistant' } },
        turn:
          s.turn && message.role === 'assistant'
            ? { ...s.turn, phase: 'thinking', since: Date.now() }
            : s.turn,
      }));
    }),
    on('message.delta', ({ messageId, text, offset }) => {
      set((s) => {
        const message = s.messages[messageId];
        if (!message) return {};
        const content = appendAt(message.content, text, offset);
        if (content === message.content) return {};
        return {
          messages: { ...s.messages, [messageId]: { ...message, content } },
          turn: s.turn && s.turn.phase !== 'streaming' ? { ...s.turn, phase: 'streaming' } : s.turn,
        };
      });
    }),
    on('message.completed', ({ message }) => {
      if (message.role === 'tool' || message.role === 'system') return;
      set((s) => {
        const toolCalls = { ...s.toolCalls };
        for (const call of message.tool_calls ?? []) {
          toolCalls[call.id] ??= {
            callId: call.id,
            tool: call.name,
            args: call.args,
            status: 'queued',
            output: '',
          };
        }
        return {
          messageIds: s.messageIds.includes(message.id) ? s.messageIds : [...s.messageIds, message.id],
          messages: { ...s.messages, [message.id]: { ...message, streaming: false } },
          toolCalls,
        };
      });
    }),
    on('message.removed', ({ messageIds }) =>
      set((s) => {
        const messages = { ...s.messages };
        for (const id of messageIds) delete messages[id];
        const kept = s.messageIds.filter((id) => !messageIds.includes(id));
        // The failure belonged to the turn's last message: gone with it.
        const failure = kept.at(-1) === s.messageIds.at(-1) ? s.failure : null;
        return { messageIds: kept, messages, failure };
      }),
    ),
    on('tool.pending', ({ callId, tool, args, warning }) =>
      set((s) => ({
        ...patchTool(s, callId, { tool, args, status: 'pending', ...(warning ? { warning } : {}) }),
        turn: s.turn ? { ...s.turn, phase: 'waiting', since: Date.now() } : s.turn,
      })),
    ),
    on('tool.started', ({ callId, args, edited }) =>
      set((s) => ({
        // An edited call runs with other arguments: the card shows those, and says so.
        ...patchTool(s, callId, {
          status: 'running',
          startedAt: Date.now(),
          ...(edited && args ? { args, edited } : {}),
        }),
        turn: s.turn ? { ...s.turn, phase: 'running', since: Date.now() } : s.turn,
      })),
    ),
    on('tool.output', ({ callId, chunk, offset }) =>
      set((s) =>
        patchTool(s, callId, { output: appendAt(s.toolCalls[callId]?.output ?? '', chunk, offset) }),
      ),
    ),
    on('tool.completed', ({ callId, status, result }) =>
      set((s) =>
        patchTool(s, callId, {
          status: endedStatus(status, result),
          result,
          // A window reloaded while an edited call ran learns what ran from its result.
          ...(result.edited && result.args ? { args: result.args, edited: true } : {}),
        }),
      ),
    ),
    on('grants.changed', ({ grants }) => set({ grants })),
    on('turn.started', ({ conversationId, turnId }) =>
      set((s) => ({
        turn: { id: turnId, phase: 'thinking', since: Date.now() },
        error: null,
        failure: null,
        conversation:
          s.conversation?.id === conversationId
            ? s.conversation
            : { id: conversationId, name: 'New conversation' },
      })),
    ),
    on('turn.completed', () => {
      set((s) => ({ turn: null, messages: settle(s.messages) }));
      void refreshConversations(store, client);
    }),
    on('turn.failed', ({ error }) => {
      // Said once, where the reply would be (with Retry and, where it helps, Settings): not also
      // in the banner, which is for what the user did outside a turn.
      set((s) => ({ turn: null, failure: error, ...withoutEmptyDrafts(s) }));
      void refreshConversations(store, client);
    }),
    on('config.changed', (config) => set({ config, providerReady: isProviderReady(config.effective) })),
    // A conversation created, renamed, deleted or talked to in any window (this one too).
    on('conversations.changed', () => void refreshConversations(store, client)),
    on('conversation.taken', ({ conversationId }) => {
      // Another window took this one's conversation over: say so, and leave a new, empty chat.
      const name = nameOf(store.getState(), conversationId);
      showConversation(store, null);
      set({ turn: null, notice: { kind: 'taken', name } });
      void refreshConversations(store, client);
    }),
    client.onHostError?.((error) => {
      // The address's conversation is open elsewhere: the same notice as a click in the sidebar.
      const conversationId = (error.data as { conversationId?: unknown } | undefined)?.conversationId;
      if (isNamedError(error, 'AlreadyOpen') && typeof conversationId === 'string') {
        showOpenElsewhere(store, conversationId);
      } else {
        set({ error: error.message, errorName: error.name });
      }
    }) ?? (() => {}),
    on('workspace.changed', (workspace) => {
      // Another folder, or the same one asking for something else: the prompt decides afresh.
      set((s) => ({
        workspace,
        trustPromptOpen: s.trustPromptOpen && s.workspace.workspace === workspace.workspace,
      }));
      void client.call('workspace.recent', {}).then(
        ({ items }) => set({ recent: items }),
        () => undefined,
      );
    }),
  ];
  return () => offs.forEach((off) => off());
}

/**
 * A reply that never got a word or a tool call is no reply: it leaves the list (the failure shows in
 * its place), settled like the rest.
 */
function withoutEmptyDrafts(s: WindowState): Pick<WindowState, 'messageIds' | 'messages'> {
  const empty = (id: string) => {
    const m = s.messages[id];
    return Boolean(m?.streaming && m.role === 'assistant' && !m.content && !m.tool_calls?.length);
  };
  const messageIds = s.messageIds.some(empty) ? s.messageIds.filter((id) => !empty(id)) : s.messageIds;
  return { messageIds, messages: settle(s.messages) };
}

/** A conversation's name as the window knows it, for a notice about it. */
function nameOf(state: WindowState, conversationId: string): string {
  if (state.conversation?.id === conversationId) return state.conversation.name;
  return state.conversations.find((c) => c.id === conversationId)?.name ?? 'This conversation';
}

/** Says that the conversation is open in another window, with what the user can do about it. */
export function showOpenElsewhere(store: WindowStore, conversationId: string): void {
  store.setState((s) => ({
    notice: { kind: 'open-elsewhere', conversationId, name: nameOf(s, conversationId) },
  }));
}

/** A turn that ended leaves no message marked as streaming. */
function settle(messages: WindowState['messages']): WindowState['messages'] {
  const streaming = Object.values(messages).filter((m) => m.streaming);
  if (streaming.length === 0) return messages;
  const next = { ...messages };
  for (const message of streaming) next[message.id] = { ...message, streaming: false };
  return next;
}

/** The latest list asked for, per window: an older answer arriving after it is dropped. */
const listRequests = new WeakMap<WindowStore, number>();

/** Lists again, within the search; `fail` hears why it could not (the user's own search, say). */
export async function refreshConversations(
  store: WindowStore,
  client: RpcClient,
  fail?: (error: unknown) => void,
): Promise<void> {
  const request = (listRequests.get(store) ?? 0) + 1;
  listRequests.set(store, request);
  try {
    const query = store.getState().conversationQuery;
    const { items } = await client.call('conversation.list', { limit: 200, ...(query ? { query } : {}) });
    if (listRequests.get(store) !== request) return;
    store.setState((s) => ({
      conversations: items,
      conversation: s.conversation
        ? (items.find((c) => c.id === s.conversation!.id) ?? s.conversation)
        : null,
    }));
  } catch (error) {
    // The sidebar keeps its last list; the banner is for things the user did.
    fail?.(error);
  }
}

/** Loads everything a window shows: its own state (after a reload too), config, lists. */
export async function loadWindow(store: WindowStore, client: RpcClient): Promise<void> {
  // Events that arrive while the snapshot is on its way wait for it, then apply on top of it.
  const release = store.events.hold();
  try {
    const [state, config, recent] = await Promise.all([
      client.call('window.state', {}),
      client.call('config.get', {}),
      client.call('workspace.recent', {}),
    ]);
    showConversation(store, state.conversation);
    showLiveTurn(store, state.live ?? null);
    store.setState((s) => {
      let toolCalls = s.toolCalls;
      for (const pending of state.pending) {
        toolCalls = { ...toolCalls, [pending.callId]: { ...pending, status: 'pending', output: '' } };
      }
      return {
        loaded: true,
        config,
        workspace: state.workspace,
        recent: recent.items,
        providerReady: state.providerReady,
        view: state.providerReady ? s.view : 'settings',
        toolCalls,
        grants: state.grants ?? [],
        turn: state.turnId
          ? turnOf(state.turnId, state.pending.length, state.live ?? null, state.turnStartedAt)
          : null,
      };
    });
  } catch (error) {
    store.setState({ loaded: true, error: (error as Error).message });
  } finally {
    release();
  }
  await Promise.all([refreshConversations(store, client), loadHostCapabilities(store, client)]);
}

/** Asked once: which controls work in this host. Unknown, each control tries and falls back. */
async function loadHostCapabilities(store: WindowStore, client: RpcClient): Promise<void> {
  try {
    store.setState({ host: await client.call('host.capabilities', {}) });
  } catch {
    // An older host: the controls find out by trying.
  }
}

/**
 * The running turn as a reloaded window shows it: its timer goes on from when the reply being
 * written began (or the turn, when that is all the host says), not from the reload.
 */
function turnOf(
  id: string,
  pending: number,
  live: LiveTurn | null,
  startedAt: number | null | undefined,
): NonNullable<WindowState['turn']> {
  const phase = phaseOf(pending, live);
  const replyAt = live?.draft ? Date.parse(live.draft.timestamp) : NaN;
  const since =
    (phase === 'thinking' || phase === 'streaming') && Number.isFinite(replyAt)
      ? replyAt
      : (startedAt ?? Date.now());
  return { id, phase, since };
}

function phaseOf(pending: number, live: LiveTurn | null): TurnPhase {
  if (pending) return 'waiting';
  if (live?.running.length) return 'running';
  return live?.draft?.content ? 'streaming' : 'thinking';
}

/** Draws the running turn's unrecorded part: the reply streamed so far, the output of running tools. */
function showLiveTurn(store: WindowStore, live: LiveTurn | null): void {
  if (!live) return;
  store.setState((s) => {
    const { draft } = live;
    let toolCalls = s.toolCalls;
    for (const { callId, output } of live.running)
      toolCalls = patchTool({ ...s, toolCalls }, callId, {
        status: 'running',
        output,
        startedAt: Date.now(),
      }).toolCalls;
    if (!draft) return { toolCalls };
    return {
      toolCalls,
      messageIds: s.messageIds.includes(draft.id) ? s.messageIds : [...s.messageIds, draft.id],
      messages: { ...s.messages, [draft.id]: { ...draft, streaming: true } },
    };
  });
}

export function createWindowStore(): WindowStore {
  return Object.assign(
    createStore<WindowState>(() => initialState()),
    { events: new EventGate() },
  );
}
