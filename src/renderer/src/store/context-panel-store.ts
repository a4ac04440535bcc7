import { createStore, type StoreApi } from 'zustand/vanilla';
import type { EventName } from '../../../shared/contract';
import type { ContextView } from '../../../shared/context-view';
import type { RpcClient } from '../rpc-client';
import type { WindowStore } from './window-store';

export interface ContextPanelState {
  open: boolean;
  /** The last answer of `context.get`; kept while a newer one loads, so the panel never blanks. */
  view: ContextView | null;
  loading: boolean;
  /** "Run again" is running the context command. */
  running: boolean;
  /** `context.get` failed: the view shown (if any) may be out of date. */
  error: string | null;
  /** The last "Run again" failed. */
  runError: string | null;
}

export interface ContextPanel {
  store: StoreApi<ContextPanelState>;
  show(): void;
  hide(): void;
  toggle(): void;
  /** Runs the project's context command again for this window's conversation, then shows the result. */
  runAgain(): Promise<void>;
  /** Follows the window's events and conversation; returns the way to stop. */
  connect(): () => void;
}

// What can change what the model sees: a turn (its prompt is sent, its command runs), the config
// (a project file edited, trust given or taken back) and the folder.
const CHANGES: readonly EventName[] = Object.freeze([
  'turn.started',
  'turn.completed',
  'turn.failed',
  'config.changed',
  'workspace.changed',
]);

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * The "What the model sees" panel of one window: its own small store beside the window's, fed by
 * `context.get` while it is open (fetched again on each change), and nothing while it is closed.
 */
export function createContextPanel(client: RpcClient, window: WindowStore): ContextPanel {
  const store = createStore<ContextPanelState>(() => ({
    open: false,
    view: null,
    loading: false,
    running: false,
    error: null,
    runError: null,
  }));
  // Answers can cross: only the newest request's answer is shown.
  let asked = 0;
  const load = async () => {
    if (!store.getState().open) return;
    const mine = ++asked;
    store.setState({ loading: true });
    try {
      const view = await client.call('context.get', {});
      if (mine === asked) store.setState({ view, loading: false, error: null });
    } catch (error) {
      if (mine === asked) store.setState({ loading: false, error: messageOf(error) });
    }
  };
  const show = () => {
    if (store.getState().open) return;
    store.setState({ open: true });
    void load();
  };
  const hide = () => store.setState({ open: false });
  return {
    store,
    show,
    hide,
    toggle: () => (store.getState().open ? hide() : show()),
    async runAgain() {
      store.setState({ running: true, runError: null });
      try {
        await client.call('context.refresh', {});
      } catch (error) {
        store.setState({ runError: messageOf(error) });
      } finally {
        store.setState({ running: false });
      }
      await load();
    },
    connect() {
      const offs = CHANGES.map((name) => client.on(name, () => void load()));
      // Another conversation in this window (opened, new, taken over) has another prompt.
      offs.push(
        window.subscribe((state, before) => {
          if (state.conversation?.id !== before.conversation?.id) void load();
        }),
      );
      return () => {
        for (const off of offs) off();
      };
    },
  };
}
