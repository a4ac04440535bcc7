import { useEffect } from 'react';
import { useWindowState } from '../store/window-context';

/** The tab's (or window's) title names the conversation, so a row of tabs can be told apart. */
export function useDocumentTitle(): void {
  const name = useWindowState((s) => s.conversation?.name ?? null);
  const settings = useWindowState((s) => s.view === 'settings');
  useEffect(() => {
    const what = settings ? 'Settings' : name;
    document.title = what ? `${what} — Deskmate` : 'Deskmate';
  }, [name, settings]);
}
