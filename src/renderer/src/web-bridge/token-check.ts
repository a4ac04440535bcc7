import { WS_PARAMS } from '../../../shared/ws-protocol';

/** What the server says of a token: taken, refused, or nothing (it is down, or the network is). */
export type TokenCheck = 'accepted' | 'refused' | 'unreachable';

/**
 * The HTTP twin of a WebSocket URL with only its token: `/ws` answers a plain GET with 401 when
 * the token is not the server's, and 426 when it is.
 */
export function tokenCheckUrl(wsUrl: string): string {
  const url = new URL(wsUrl);
  url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:';
  const token = url.searchParams.get(WS_PARAMS.token);
  url.search = '';
  url.hash = '';
  if (token !== null) url.searchParams.set(WS_PARAMS.token, token);
  return url.href;
}

/** A browser hides a refused handshake's status: the same `/ws` over HTTP tells. */
export async function checkTokenOverHttp(wsUrl: string): Promise<TokenCheck> {
  try {
    // No cookie goes along, none is needed: the token is in the URL.
    const response = await fetch(tokenCheckUrl(wsUrl), { cache: 'no-store', credentials: 'omit' });
    return response.status === 401 ? 'refused' : 'accepted';
  } catch {
    return 'unreachable';
  }
}
