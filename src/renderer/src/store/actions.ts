import type { ApprovalAction } from './approval-action';
import type { RpcClient } from '../rpc-client';
import { newTabAddress } from '../web-bridge/tab-address';
import type { ConversationSummary } from '../../../shared/domain';
import { isNamedError } from '../../../shared/errors';
import {
  loadWindow,
  refreshConversations,
  showConversation,
  showOpenElsewhere,
  type WindowStore,
} from './window-store';

/** A browser tab's new window: a new tab, whose own sessionStorage is empty, so its address carries the token. */
function openTab(open: { conversation?: string } = {}): void {
  window.open(newTabAddress(window.location.href, undefined, open), '_blank', 'noopener');
}

/** How long a deleted conversation can be brought back. */
export const UNDO_DELETE_MS = 6_000;

/** Every user action of a window: calls its own client, shows failures in its own banner. */
export function createActions(store: WindowStore, client: RpcClient) {
  const fail = (error: unknown) =>
    store.setState({
      error: error instanceof Error ? error.message : String(error),
      errorName: error instanceof Error ? error.name : null,
    });
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

  // A New or Open on its way: a message typed meanwhile waits for it, so it lands in the
  // conversation the user now sees (main refuses it as Busy otherwise).
  let switching: Promise<unknown> = Promise.resolve();
  const switchTo = <T>(work: () => Promise<T>): Promise<T | undefined> => {
    const done = attempt(work);
    switching = done;
    return done;
  };

  return {
    load: () => loadWindow(store, client),
    dismissError: () => store.setState({ error: null, errorName: null }),
    reportError: (message: string) => store.setState({ error: message, errorName: null }),
    showSettings: (show: boolean) => store.setState({ view: show ? 'settings' : 'chat' }),

    async send(text: string): Promise<boolean> {
      const trimmed = text.trim();
      if (!trimmed || store.getState().turn) return false;
      await switching;
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
    revokeGrant: (tool: string) =>
      attempt(async () => {
        const { grants } = await client.call('grants.revoke', { tool });
        store.setState({ grants });
      }),
    /** A full tool output kept beside this conversation's log (undefined when it could not be read). */
    readArtifact: (name: string) => attempt(() => client.call('artifact.read', { name })),

    openFolder: () =>
      attempt(async () => {
        // A browser tab has no native folder dialog: the header's path field is this host's one.
        const typePath = () => store.setState((s) => ({ pathFieldRequests: s.pathFieldRequests + 1 }));
        if (store.getState().host?.folderDialog === false) return typePath();
        try {
          await client.call('workspace.pick', {});
        } catch (error) {
          if (isNamedError(error, 'Unsupported')) typePath();
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
      switchTo(async () => {
        const created = await client.call('conversation.new', {});
        showConversation(store, { ...created, messages: [] });
        await refreshConversations(store, client);
      }),
    openConversation: (id: string) =>
      switchTo(async () => {
        try {
          showConversation(store, await client.call('conversation.open', { id }));
        } catch (error) {
          // Open in another window (which a desktop host has brought forward): say so, offer a way.
          if (!isNamedError(error, 'AlreadyOpen')) throw error;
          showOpenElsewhere(store, id);
        }
      }),
    /** Opens it here; the window that had it stops its turn and is left with a new chat. */
    takeOver: (id: string) =>
      attempt(async () => {
        showConversation(store, await client.call('conversation.open', { id, takeOver: true }));
        await refreshConversations(store, client);
      }),
    dismissNotice: () => store.setState({ notice: null }),
    openInNewWindow: (id: string) =>
      attempt(async () => {
        // A desktop host opens the window, or brings forward the one that has it.
        if (store.getState().host?.openWindow !== false) {
          try {
            await client.call('window.new', { conversation: id });
            return;
          } catch (error) {
            if (!isNamedError(error, 'Unsupported')) throw error;
          }
        }
        openTab({ conversation: id });
      }),
    newWindow: () =>
      attempt(async () => {
        if (store.getState().host?.openWindow !== false) {
          try {
            await client.call('window.new', {});
            return;
          } catch (error) {
            if (!isNamedError(error, 'Unsupported')) throw error;
          }
        }
        openTab();
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
    searchConversations: (query: string) => {
      store.setState({ conversationQuery: query });
      return refreshConversations(store, client, fail);
    },

    /** For the model field's suggestions: a provider that cannot list them is no error of the user's. */
    loadModels: async () => {
      try {
        const { models } = await client.call('models.list', {});
        store.setState({ models });
      } catch {
        // The field works without suggestions; a send says what is wrong with the provider.
      }
    },
    setModel: (model: string) =>
      attempt(() => client.call('config.set', { scope: 'chat', values: { model } })),

    addAttachments: (paths: string[]) =>
      store.setState((s) => ({ attachments: [...new Set([...s.attachments, ...paths])] })),
    removeAttachment: (path: string) =>
      store.setState((s) => ({ attachments: s.attachments.filter((p) => p !== path) })),
  };
}

export type Actions = ReturnType<typeof createActions>;
