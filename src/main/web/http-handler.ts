import { createReadStream } from 'node:fs';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { WS_PATH } from '../../shared/ws-protocol';
import { authenticate, tokenCookie, type AccessToken } from './access-token';
import { checkHost } from './allowed-hosts';
import { contentTypeOf } from '../engine/fs/content-types';
import { parseRequestTarget } from './request-target';
import { setSecurityHeaders } from './security-headers';
import { findStaticFile } from './static-files';

export interface HttpHandlerOptions {
  staticDir: string;
  access: AccessToken;
  /** The Host header values this server answers (allowedHosts). */
  hosts: ReadonlySet<string>;
}

function reply(response: ServerResponse, status: number, text: string, method?: string): void {
  response.statusCode = status;
  response.setHeader('Content-Type', 'text/plain; charset=utf-8');
  response.setHeader('Cache-Control', 'no-store');
  response.setHeader('Content-Length', Buffer.byteLength(text));
  response.end(method === 'HEAD' ? undefined : text);
}

function hasBody(request: IncomingMessage): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * Serves the built renderer, read-only, to holders of the token, on requests addressed to this
 * server. A valid `?token=` also sets the cookie that the page's assets, its WebSocket and its
 * reloads then carry (the page drops the token from its address once it is open).
 */
export function createHttpHandler(options: HttpHandlerOptions) {
  const root = path.resolve(options.staticDir);
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    setSecurityHeaders(response);
    const method = request.method ?? 'GET';
    const host = checkHost(request.headers.host, options.hosts);
    if (!host.ok) {
      response.setHeader('Connection', 'close');
      return reply(response, host.status, `${host.message}\n`, method);
    }
    if (method !== 'GET' && method !== 'HEAD') {
      response.setHeader('Allow', 'GET, HEAD');
      response.setHeader('Connection', 'close');
      return reply(response, 405, 'Method not allowed\n');
    }
    if (hasBody(request)) {
      // Nothing here reads a body: refuse it rather than drain it.
      response.setHeader('Connection', 'close');
      return reply(response, 413, 'Request bodies are not accepted\n', method);
    }
    const target = parseRequestTarget(request.url);
    if (!target) return reply(response, 400, 'Bad request\n', method);
    const source = authenticate(options.access, target.query, request.headers);
    if (!source) {
      return reply(
        response,
        401,
        'Unauthorized: open the URL with the token that the server printed\n',
        method,
      );
    }
    if (source === 'query') response.setHeader('Set-Cookie', tokenCookie(options.access));
    if (target.rawPath === WS_PATH) return reply(response, 426, 'This is a WebSocket endpoint\n', method);

    const found = await findStaticFile(root, target.rawPath);
    if (found.kind === 'bad-request') return reply(response, 400, 'Bad request\n', method);
    if (found.kind === 'not-found') return reply(response, 404, 'Not found\n', method);

    response.statusCode = 200;
    response.setHeader('Content-Type', contentTypeOf(found.file));
    response.setHeader('Content-Length', found.size);
    response.setHeader('Last-Modified', found.mtime.toUTCString());
    // The page must be fetched anew (it names the current asset hashes); assets revalidate.
    response.setHeader('Cache-Control', path.basename(found.file) === 'index.html' ? 'no-store' : 'no-cache');
    if (method === 'HEAD') return void response.end();
    const stream = createReadStream(found.file);
    stream.on('error', () => response.destroy());
    stream.pipe(response);
  };
}
