import type { ApprovalAction } from './approval-action';
import type { RpcClient } from '../rpc-client';
import { newTabAddress } from '../web-bridge';
import type { ConversationSummary } from '../../../shared/domain';
import { loadWindow, refreshConversations, showConversation, type WindowStore } from './window-store';

/** How long a deleted conversation can be brought back. */
export const UNDO_DELETE_MS = 6_000;

/** Every user action of a window: calls its own client, shows failures in its own banner. */
export function createActions(store: WindowStore, client: RpcClient) {
  const fail = (error: unknown) =>
    store.setState({ error: error instanceof Error ? error.message : String(error) });
  const attempt = async <T>(work: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await work();
    } catch (error) {
      fail(error);
      return undefined;
    }
  };

  const deleteTimers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Deleted while on screen: an Undo shows it again. */
  const wasShown = new Set<string>();
  const forget = (id: string) => {
    clearTimeout(deleteTimers.get(id));
    deleteTimers.delete(id);
    wasShown.delete(id);
    store.setState((s) => ({ deleting: s.deleting.filter((c) => c.id !== id) }));
  };
  const reallyDelete = async (id: string) => {
    try {
      await client.call('conversation.delete', { id });
    } catch (error) {
      fail(error); // it stays in the list: nothing was deleted
    } finally {
      forget(id);
      await refreshConversations(store, client);
    }
  };

  return {
    load: () => loadWindow(store, client),
    dismissError: () => store.setState({ error: null }),
    reportError: (message: string) => store.setState({ error: message }),
    showSettings: (show: boolean) => store.setState({ view: show ? 'settings' : 'chat' }),

    async send(text: string): Promise<boolean> {
      const trimmed = text.trim();
      if (!trimmed || store.getState().turn) return false;
      const attachments = store.getState().attachments;
      const sent = await attempt(() =>
        client.call('chat.send', { text: trimmed, ...(attachments.length ? { attachments } : {}) }),
      );
      if (sent) store.setState({ attachments: [] });
      return sent !== undefined;
    },
    stop: () => attempt(() => client.call('chat.interrupt', {})),
    /** The last turn again: after a failure from where it failed, else a new last reply. */
    retry: () => attempt(() => client.call('chat.retry', {})),
    deleteMessage: (messageId: string) =>
      attempt(async () => {
        await client.call('chat.delete', { messageId });
        await refreshConversations(store, client);
      }),
    respond: (callId: string, response: ApprovalAction) =>
      attempt(() => client.call('tool.respond', { callId, response })),

    openFolder: () =>
      attempt(async () => {
        try {
          await client.call('workspace.pick', {});
        } catch (error) {
          // A browser tab has no native folder picker: the header offers a path field instead.
          if ((error as Error).name === 'Unsupported')
            store.setState({ error: 'Type the folder path in the header to open it.' });
          else throw error;
        }
      }),
    openPath: (path: string) => attempt(() => client.call('workspace.open', { path })),
    /** With the fingerprint of the list on screen: main refuses it if the files changed meanwhile. */
    trust: (trusted: boolean, fingerprint?: string) =>
      attempt(async () => {
        const workspace = await client.call('workspace.trust', {
          trusted,
          ...(fingerprint ? { fingerprint } : {}),
        });
        store.setState({ workspace, trustPromptOpen: false });
      }),
    reviewTrust: () => store.setState({ trustPromptOpen: true }),
    closeTrust: () => store.setState({ trustPromptOpen: false }),

    newConversation: () =>
      attempt(async () => {
        const created = await client.call('conversation.new', {});
        showConversation(store, { ...created, messages: [] });
        await refreshConversations(store, client);
      }),
    openConversation: (id: string) =>
      attempt(async () => {
        try {
          showConversation(store, await client.call('conversation.open', { id }));
        } catch (error) {
          // Already open in another window: main brought that window forward.
          if ((error as Error).name !== 'AlreadyOpen') throw error;
        }
      }),
    openInNewWindow: (id: string) => attempt(() => client.call('window.new', { conversation: id })),
    newWindow: () =>
      attempt(async () => {
        try {
          await client.call('window.new', {});
        } catch (error) {
          if ((error as Error).name !== 'Unsupported') throw error;
          // A browser tab: the new tab has its own sessionStorage, so its address carries the token.
          window.open(newTabAddress(window.location.href), '_blank', 'noopener');
        }
      }),
    renameConversation: (id: string, name: string) =>
      attempt(async () => {
        await client.call('conversation.rename', { id, name });
        await refreshConversations(store, client);
      }),
    deleteConversation: (id: string) =>
      attempt(async () => {
        await client.call('conversation.delete', { id });
        if (store.getState().conversation?.id === id) showConversation(store, null);
        await refreshConversations(store, client);
      }),
    /**
     * Takes the conversation off the list at once and deletes it only when the Undo offer runs
     * out. The one on screen is swapped for a new conversation first, so nothing the user types
     * meanwhile lands in a conversation about to go.
     */
    deleteWithUndo: (item: ConversationSummary) =>
      attempt(async () => {
        const state = store.getState();
        if (state.deleting.some((c) => c.id === item.id)) return;
        if (state.conversation?.id === item.id) {
          if (state.turn) throw new Error('Stop the running turn before deleting this conversation');
          const created = await client.call('conversation.new', {});
          showConversation(store, { ...created, messages: [] });
          wasShown.add(item.id);
        }
        store.setState((s) => ({ deleting: [...s.deleting, item] }));
        deleteTimers.set(
          item.id,
          setTimeout(() => void reallyDelete(item.id), UNDO_DELETE_MS),
        );
      }),
    undoDelete: (id: string) =>
      attempt(async () => {
        if (!deleteTimers.has(id)) return;
        const reopen = wasShown.has(id);
        forget(id);
        const state = store.getState();
        // Back on screen, unless the user has started on something else meanwhile.
        if (reopen && !state.turn && state.messageIds.length === 0)
          showConversation(store, await client.call('conversation.open', { id }));
        await refreshConversations(store, client);
      }),
    searchConversations: (query: string) =>
      attempt(async () => {
        const { items } = await client.call('conversation.list', { limit: 200, ...(query ? { query } : {}) });
        store.setState({ conversations: items });
      }),

    loadModels: () =>
      attempt(async () => {
        const { models } = await client.call('models.list', {});
        store.setState({ models });
      }),
    setModel: (model: string) =>
      attempt(() => client.call('config.set', { scope: 'chat', values: { model } })),

    addAttachments: (paths: string[]) =>
      store.setState((s) => ({ attachments: [...new Set([...s.attachments, ...paths])] })),
    removeAttachment: (path: string) =>
      store.setState((s) => ({ attachments: s.attachments.filter((p) => p !== path) })),
  };
}

export type Actions = ReturnType<typeof createActions>;
