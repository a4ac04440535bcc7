import { useEffect } from 'react';
import { WS_PARAMS } from '../../../shared/ws-protocol';
import type { Actions } from '../store/actions';
import type { WindowStore } from '../store/window-store';

interface Shown {
  workspace: string | null;
  conversation: string | null;
}

/** What a tab's address asks it to show (`?workspace=`, `?conversation=`). */
export function askedByAddress(href: string): Shown {
  const params = new URL(href).searchParams;
  return { workspace: params.get(WS_PARAMS.workspace), conversation: params.get(WS_PARAMS.conversation) };
}

/** The address that names what the tab shows, every other part of it kept as it was. */
export function addressShowing(href: string, shown: Shown): string {
  const url = new URL(href);
  for (const key of [WS_PARAMS.workspace, WS_PARAMS.conversation] as const) {
    const value = shown[key];
    if (value) url.searchParams.set(key, value);
    else url.searchParams.delete(key);
  }
  return `${url.pathname}${url.search}${url.hash}`;
}

/**
 * A browser tab's address follows its folder and conversation. A reload then shows what the tab
 * showed (also once its context has expired and the host starts it from the address), and an
 * address the user types into the same tab, which reattaches to the tab's context, is obeyed
 * rather than ignored. A desktop window has no address to keep.
 */
export function useTabAddress(store: WindowStore, actions: Actions): void {
  useEffect(() => {
    let following: (() => void) | undefined;
    let stopped = false;
    const shown = (): Shown => {
      const state = store.getState();
      return { workspace: state.workspace.workspace, conversation: state.conversation?.id ?? null };
    };
    const follow = () => {
      const write = () => history.replaceState(history.state, '', addressShowing(location.href, shown()));
      write();
      following = store.subscribe((state, before) => {
        if (
          state.workspace.workspace !== before.workspace.workspace ||
          state.conversation?.id !== before.conversation?.id
        )
          write();
      });
    };
    const start = async () => {
      // A fresh tab was opened from its address by the host already: this finds nothing to do.
      const asked = askedByAddress(location.href);
      const now = shown();
      if (asked.conversation && asked.conversation !== now.conversation)
        await actions.openConversation(asked.conversation);
      // After the conversation, which may bring its own folder: the address's folder wins.
      if (asked.workspace && asked.workspace !== store.getState().workspace.workspace)
        await actions.openPath(asked.workspace);
      if (!stopped) follow();
    };
    const ready = (state = store.getState()) => state.loaded && state.host?.view === 'tab';
    if (ready()) void start();
    const waiting = ready()
      ? undefined
      : store.subscribe((state) => {
          if (!ready(state)) return;
          waiting?.();
          void start();
        });
    return () => {
      stopped = true;
      waiting?.();
      following?.();
    };
  }, [store, actions]);
}
