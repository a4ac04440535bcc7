import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WS_PATH } from '../../shared/ws-protocol';
import { carriesToken } from './access-token';
import { checkHost } from './allowed-hosts';
import { parseRequestTarget } from './request-target';

export interface UpgradePolicy {
  token: string;
  /** The Host header values this server answers (allowedHosts). */
  hosts: ReadonlySet<string>;
  origins: ReadonlySet<string>;
}

export type UpgradeDecision =
  { ok: true; query: URLSearchParams } | { ok: false; status: number; message: string };

/**
 * Whether a WebSocket handshake may proceed: addressed to this server (Host), the right path, the
 * token in the `token` query parameter (never a cookie: see carriesToken), and an Origin that is
 * exactly this server's. Browsers always send Origin on a WebSocket handshake, so a missing one is
 * refused too. The Origin check keeps other pages' browsers out; a process forges Origin at will,
 * which is why nothing a browser sends to other ports may carry the token.
 */
export function checkUpgrade(request: IncomingMessage, policy: UpgradePolicy): UpgradeDecision {
  const host = checkHost(request.headers.host, policy.hosts);
  if (!host.ok) return host;
  const target = parseRequestTarget(request.url);
  if (!target || target.rawPath !== WS_PATH) return { ok: false, status: 404, message: 'Not found' };
  if (request.method !== 'GET') return { ok: false, status: 405, message: 'Method not allowed' };
  if (!carriesToken(policy.token, target.query)) {
    return { ok: false, status: 401, message: 'Unauthorized' };
  }
  const origin = request.headers.origin;
  if (origin === undefined || !policy.origins.has(origin.toLowerCase())) {
    return { ok: false, status: 403, message: 'Forbidden origin' };
  }
  return { ok: true, query: target.query };
}

/** Answers a refused handshake with a plain HTTP response on the raw socket, then drops it. */
export function refuseUpgrade(socket: Duplex, status: number, message: string): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = `${message}\n`;
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n` +
      'Connection: close\r\n' +
      'Content-Type: text/plain; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      '\r\n' +
      body,
  );
}
