// What a tab keeps across reloads: its token and its session id, in sessionStorage. Never in a
// cookie: cookies ignore ports, so a browser would hand one to any server on any 127.0.0.1 port,
// another local user's included. sessionStorage belongs to this origin (port included) and this tab.
import { isSessionId } from '../../../shared/ws-protocol';

const SESSION_KEY = 'deskmate.session';
export const TOKEN_KEY = 'deskmate.token';

/** The part of sessionStorage the bridge uses; tests pass a Map-backed one. */
export interface TabStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

// sessionStorage can be missing (not a browser) or throw (storage disabled): the bridge works without it.
export function tabStorage(): TabStorage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    return null;
  }
}

export function readKey(storage: TabStorage | null, key: string): string | null {
  try {
    return storage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

/** False when the value could not be kept. */
export function writeKey(storage: TabStorage | null, key: string, value: string | null): boolean {
  if (!storage) return false;
  try {
    if (value === null) storage.removeItem(key);
    else storage.setItem(key, value);
    return true;
  } catch {
    return false;
  }
}

export function readSession(): string | null {
  const value = readKey(tabStorage(), SESSION_KEY);
  return isSessionId(value) ? value : null;
}

export function writeSession(id: string | null): void {
  // Without storage a reload gets a new context; nothing else is lost.
  writeKey(tabStorage(), SESSION_KEY, id);
}
