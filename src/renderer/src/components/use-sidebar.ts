import { useCallback, useEffect, useState } from 'react';

/** Below this window width the sidebar starts collapsed and opens over the conversation. */
const NARROW_QUERY = '(max-width: 899px)';
const KEY = 'deskmate.sidebar';

function matches(query: string): boolean {
  return typeof window.matchMedia === 'function' && window.matchMedia(query).matches;
}

/** The user's own choice for a wide window, kept for the tab's (or the window's) lifetime. */
function storedChoice(): boolean | null {
  try {
    const value = sessionStorage.getItem(KEY);
    return value === 'open' ? true : value === 'closed' ? false : null;
  } catch {
    return null;
  }
}

function storeChoice(open: boolean): void {
  try {
    sessionStorage.setItem(KEY, open ? 'open' : 'closed');
  } catch {
    // Storage refused (private mode, quota): the choice lasts until the next load.
  }
}

export interface SidebarState {
  open: boolean;
  /** A narrow window: the open sidebar lies over the conversation instead of pushing it aside. */
  overlay: boolean;
  toggle(): void;
  close(): void;
}

/**
 * Open by default in a wide window, collapsed in a narrow one. In a wide window the user's choice
 * is remembered; in a narrow one the sidebar is a passing drawer and always starts closed.
 */
export function useSidebar(): SidebarState {
  const [narrow, setNarrow] = useState(() => matches(NARROW_QUERY));
  const [open, setOpen] = useState(() => (narrow ? false : (storedChoice() ?? true)));

  useEffect(() => {
    if (typeof window.matchMedia !== 'function') return;
    const query = window.matchMedia(NARROW_QUERY);
    const onChange = () => {
      setNarrow(query.matches);
      setOpen(query.matches ? false : (storedChoice() ?? true));
    };
    query.addEventListener('change', onChange);
    return () => query.removeEventListener('change', onChange);
  }, []);

  const toggle = useCallback(() => {
    setOpen((was) => {
      if (!narrow) storeChoice(!was);
      return !was;
    });
  }, [narrow]);
  const close = useCallback(() => {
    setOpen(false);
    if (!narrow) storeChoice(false);
  }, [narrow]);

  return { open, overlay: narrow && open, toggle, close };
}
