import { createReadStream } from 'node:fs';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { WS_PATH } from '../../shared/ws-protocol';
import { carriesToken } from './access-token';
import { checkHost } from './allowed-hosts';
import { contentTypeOf } from '../engine/base/fs/content-types';
import { parseRequestTarget } from './request-target';
import { setSecurityHeaders } from './security-headers';
import { findStaticFile } from './static-files';
import { expireLegacyTokenCookies } from './legacy-token-cookie';

export interface HttpHandlerOptions {
  staticDir: string;
  token: string;
  /** The Host header values this server answers (allowedHosts). */
  hosts: ReadonlySet<string>;
}

const TOKEN_REFUSED =
  'Unauthorized: not the token Deskmate printed when it started (each start prints a new one unless DESKMATE_TOKEN is set)';

/** A plain-text answer; to a HEAD request Node sends its headers only. */
function reply(response: ServerResponse, status: number, text: string): void {
  response.statusCode = status;
  response.setHeader('Content-Type', 'text/plain; charset=utf-8');
  response.setHeader('Cache-Control', 'no-store');
  response.setHeader('Content-Length', Buffer.byteLength(text));
  response.end(text);
}

function hasBody(request: IncomingMessage): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * Serves the built renderer, read-only, on requests addressed to this server, without asking for
 * the token. Those files are the public build output (the same in every copy of Deskmate: no
 * setting, no conversation, no token in them), and a tab has to load them before it can read its
 * token from sessionStorage, or say plainly that it has none. Asking for the token here would take
 * a cookie, which a browser also hands to every other port on 127.0.0.1, or the token in every
 * asset's URL. What reaches the engine is the WebSocket, and its upgrade demands the token
 * (ws-upgrade.ts). Other sites can neither frame these files nor embed them (security-headers.ts).
 *
 * `/ws` over plain HTTP answers whether a token is this server's (426) or not (401): a browser
 * hides why a WebSocket handshake failed, so this is how a tab tells a stale token from a server
 * that is down. It reads the token from the query only, as the upgrade does.
 */
export function createHttpHandler(options: HttpHandlerOptions) {
  const root = path.resolve(options.staticDir);
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    setSecurityHeaders(response);
    const method = request.method;
    const host = checkHost(request.headers.host, options.hosts);
    if (!host.ok) {
      response.setHeader('Connection', 'close');
      return reply(response, host.status, `${host.message}\n`);
    }
    if (method !== 'GET' && method !== 'HEAD') {
      response.setHeader('Allow', 'GET, HEAD');
      response.setHeader('Connection', 'close');
      return reply(response, 405, 'Method not allowed\n');
    }
    if (hasBody(request)) {
      // Nothing here reads a body: refuse it rather than drain it.
      response.setHeader('Connection', 'close');
      return reply(response, 413, 'Request bodies are not accepted\n');
    }
    const target = parseRequestTarget(request.url);
    if (!target) return reply(response, 400, 'Bad request\n');
    // A token cookie an earlier version left behind is never read here, only dropped.
    for (const expired of expireLegacyTokenCookies(request.headers.cookie)) {
      response.appendHeader('Set-Cookie', expired);
    }
    if (target.rawPath === WS_PATH) {
      if (!carriesToken(options.token, target.query)) {
        return reply(response, 401, `${TOKEN_REFUSED}\n`);
      }
      return reply(response, 426, 'This is a WebSocket endpoint\n');
    }

    const found = await findStaticFile(root, target.rawPath);
    if (found.kind === 'bad-request') return reply(response, 400, 'Bad request\n');
    if (found.kind === 'not-found') return reply(response, 404, 'Not found\n');

    response.statusCode = 200;
    response.setHeader('Content-Type', contentTypeOf(found.file));
    response.setHeader('Content-Length', found.size);
    response.setHeader('Last-Modified', found.mtime.toUTCString());
    // The page must be fetched anew (it names the current asset hashes); assets revalidate.
    response.setHeader('Cache-Control', path.basename(found.file) === 'index.html' ? 'no-store' : 'no-cache');
    // Stryker disable next-line ConditionalExpression,StringLiteral: Node sends no body to HEAD; this spares reading the file
    if (method === 'HEAD') return void response.end();
    const stream = createReadStream(found.file);
    stream.on('error', () => response.destroy());
    stream.pipe(response);
  };
}
