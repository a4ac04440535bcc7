// The tab's address: the token arrives once in it, is kept in sessionStorage and leaves it; a new
// tab's address carries it along; the WebSocket URL is made from it.
import { WS_PARAMS, WS_PATH } from '../../../shared/ws-protocol';
import { readKey, tabStorage, TOKEN_KEY, writeKey, type TabStorage } from './tab-storage';

/** The first non-empty `token` parameter of an address, or null. */
function tokenInAddress(href: string): string | null {
  return new URL(href).searchParams.getAll(WS_PARAMS.token).find((value) => value !== '') ?? null;
}

export interface PageToken {
  token: string;
  /** True when sessionStorage holds it, so a reload finds it there and the address may drop it. */
  kept: boolean;
}

/**
 * This tab's token: the one in its address (the URL Deskmate printed, or a tab the app opened),
 * which then replaces whatever the tab kept before; else the one the tab kept from an earlier load;
 * else null.
 */
export function takePageToken(href: string, storage: TabStorage | null = tabStorage()): PageToken | null {
  const given = tokenInAddress(href);
  if (given !== null) return { token: given, kept: writeKey(storage, TOKEN_KEY, given) };
  const kept = readKey(storage, TOKEN_KEY);
  return kept ? { token: kept, kept: true } : null;
}

/**
 * The address of a new tab of this app: the page's path with the tab's token. A tab opened with
 * noopener starts with sessionStorage of its own, so its address is the only way to hand it one;
 * the new tab keeps it and drops it from its address bar as this one did.
 */
export function newTabAddress(
  href: string,
  storage: TabStorage | null = tabStorage(),
  open: { conversation?: string } = {},
): string {
  const { pathname } = new URL(href);
  const token = readKey(storage, TOKEN_KEY) ?? tokenInAddress(href);
  const pairs: [string, string | null | undefined][] = [
    [WS_PARAMS.token, token],
    [WS_PARAMS.conversation, open.conversation],
  ];
  const search = pairs.flatMap(([key, value]) => (value ? [`${key}=${encodeURIComponent(value)}`] : []));
  return search.length ? `${pathname}?${search.join('&')}` : pathname;
}

/** `/ws` on the page's own origin, carrying the tab's token and the page's workspace and conversation. */
export function defaultBridgeUrl(token: string): string {
  if (typeof location === 'undefined') throw new Error('connectWebBridge needs a url outside a browser page');
  const url = new URL(WS_PATH, location.href);
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  url.search = '';
  url.hash = '';
  url.searchParams.set(WS_PARAMS.token, token);
  const page = new URLSearchParams(location.search);
  for (const key of [WS_PARAMS.workspace, WS_PARAMS.conversation]) {
    const value = page.get(key);
    if (value) url.searchParams.set(key, value);
  }
  return url.href;
}

/**
 * The page's address without its `token` parameter (path, the other parameters spelled as they
 * were, and the hash), or null when it has none. Once sessionStorage holds the token, left in the
 * address it would only end up in the history, a bookmark or a shared screenshot.
 */
export function addressWithoutToken(href: string): string | null {
  const url = new URL(href);
  const pairs = url.search.slice(1).split('&').filter(Boolean);
  const kept = pairs.filter((pair) => parameterName(pair) !== WS_PARAMS.token);
  if (kept.length === pairs.length) return null;
  return `${url.pathname}${kept.length > 0 ? `?${kept.join('&')}` : ''}${url.hash}`;
}

function parameterName(pair: string): string {
  const raw = pair.split('=')[0] ?? '';
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw;
  }
}
