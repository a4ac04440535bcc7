import { useEffect, useRef, useState } from 'react';
import './App.css';
import { Composer } from './components/Composer';
import { ContextPanelDialog, ContextPanelProvider } from './components/ContextPanel';
import { ConversationNotice } from './components/ConversationNotice';
import { EmptyState } from './components/EmptyState';
import { ErrorBanner } from './components/ErrorBanner';
import { FOLDER_PATH_INPUT, Header } from './components/Header';
import { MessageList } from './components/MessageList';
import { SettingsView } from './components/SettingsView';
import { Sidebar } from './components/Sidebar';
import { TrustPrompt } from './components/TrustPrompt';
import { TurnStatus } from './components/TurnStatus';
import { UndoToast } from './components/UndoToast';
import { WorkspaceSuggestion } from './components/WorkspaceSuggestion';
import { useDocumentTitle } from './components/use-document-title';
import { useDrop } from './components/use-drop';
import { useSidebar } from './components/use-sidebar';
import { useTabAddress } from './components/use-tab-address';
import type { RpcClient } from './rpc-client';
import { createActions } from './store/actions';
import { WindowContext, useWindowState, type WindowContextValue } from './store/window-context';
import { connectStore, createWindowStore } from './store/window-store';

function Conversation() {
  const empty = useWindowState((s) => s.messageIds.length === 0);
  return <div className="conversation">{empty ? <EmptyState /> : <MessageList />}</div>;
}

function Shell({ value }: { value: WindowContextValue }) {
  const { actions, client, store } = value;
  const view = useWindowState((s) => s.view);
  const loaded = useWindowState((s) => s.loaded);
  const composer = useRef<HTMLTextAreaElement>(null);
  const [typingPath, setTypingPath] = useState(false);
  const drop = useDrop(client, actions);
  // Open Folder in a host without a folder dialog: the path field opens (or takes the focus again).
  useEffect(
    () =>
      store.subscribe((state, before) => {
        if (state.pathFieldRequests === before.pathFieldRequests) return;
        setTypingPath(true);
        requestAnimationFrame(() => document.getElementById(FOLDER_PATH_INPUT)?.focus());
      }),
    [store],
  );

  const sidebar = useSidebar();
  // Read by the key handler, which is registered once.
  const sidebarNow = useRef(sidebar);
  useEffect(() => {
    sidebarNow.current = sidebar;
  });
  useDocumentTitle();
  useTabAddress(store, actions);

  // The composer has the focus when the window opens, unless something else took it first.
  useEffect(() => {
    if (loaded && (!document.activeElement || document.activeElement === document.body))
      composer.current?.focus();
  }, [loaded]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.metaKey || e.ctrlKey;
      // Handled already (a field's own Esc: rename, a draft).
      if (e.defaultPrevented) return;
      if (e.key === 'Escape' && sidebarNow.current.overlay) {
        // The sidebar lying over the conversation goes first: it is what the user sees on top.
        e.preventDefault();
        sidebarNow.current.close();
      } else if (e.key === 'Escape' && store.getState().view === 'settings') {
        e.preventDefault();
        actions.showSettings(false);
        requestAnimationFrame(() => composer.current?.focus());
      } else if (e.key === 'Escape' && store.getState().turn) {
        e.preventDefault();
        void actions.stop();
      } else if (mod && !e.shiftKey && e.key.toLowerCase() === 'n') {
        e.preventDefault();
        void actions.newWindow();
      } else if (mod && !e.shiftKey && e.key.toLowerCase() === 'o') {
        e.preventDefault();
        void actions.openFolder();
      } else if (mod && e.key.toLowerCase() === 'l') {
        e.preventDefault();
        actions.showSettings(false);
        requestAnimationFrame(() => composer.current?.focus());
      } else if (mod && e.key === ',') {
        e.preventDefault();
        actions.showSettings(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [actions, store]);

  return (
    <div className={`app${sidebar.open ? '' : ' sidebar-collapsed'}`} {...drop.handlers}>
      <a
        href="#main"
        className="skip-link"
        onClick={(e) => {
          e.preventDefault();
          // The conversation itself (its messages scroll with the keyboard), else where one starts.
          const target =
            document.querySelector<HTMLElement>('[data-testid=message-list]') ??
            composer.current ??
            document.getElementById('main');
          target?.focus();
        }}
      >
        Skip to conversation
      </a>
      <Sidebar
        open={sidebar.open}
        overlay={sidebar.overlay}
        onToggle={sidebar.toggle}
        onClose={sidebar.close}
      />
      {sidebar.overlay && <div className="sidebar-backdrop" aria-hidden="true" onClick={sidebar.close} />}
      <main id="main" className="main" tabIndex={-1}>
        <Header typingPath={typingPath} setTypingPath={setTypingPath} />
        <ErrorBanner />
        <ConversationNotice />
        <WorkspaceSuggestion />
        {!loaded ? (
          <div className="loading">Loading…</div>
        ) : view === 'settings' ? (
          <>
            <SettingsView />
            <UndoToast />
          </>
        ) : (
          <>
            <TrustPrompt />
            <Conversation />
            <TurnStatus />
            {/* In the column, not over it: the messages' end stays in view while the offer lasts. */}
            <UndoToast />
            <Composer ref={composer} />
          </>
        )}
      </main>
      {drop.over && <div className="drop-overlay">Drop a folder to work in it, or files to attach them</div>}
    </div>
  );
}

export function App({ client }: { client: RpcClient }) {
  const [value] = useState<WindowContextValue>(() => {
    const store = createWindowStore();
    return { store, client, actions: createActions(store, client) };
  });
  useEffect(() => {
    const disconnect = connectStore(value.store, client);
    void value.actions.load();
    return disconnect;
  }, [client, value]);
  return (
    <WindowContext.Provider value={value}>
      <ContextPanelProvider>
        <Shell value={value} />
        <ContextPanelDialog />
      </ContextPanelProvider>
    </WindowContext.Provider>
  );
}
