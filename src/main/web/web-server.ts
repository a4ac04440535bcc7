import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { WS_CLOSE, WS_MAX_PAYLOAD } from '../../shared/ws-protocol';
import type { ContextRegistry } from '../engine/context/context-registry';
import type { Router } from '../engine/rpc/router';
import { allowedHosts } from './allowed-hosts';
import { allowedOrigins, originOf } from './allowed-origins';
import { isUnspecifiedHost } from './host-address';
import { createHttpHandler } from './http-handler';
import { WebSessions } from './web-sessions';
import { serveConnection } from './ws-connection';
import { checkUpgrade, refuseUpgrade } from './ws-upgrade';

export interface WebServerOptions {
  registry: ContextRegistry;
  router: Router;
  /** The built renderer (out/renderer); tests pass a fixture. */
  staticDir: string;
  token: string;
  /** Default 127.0.0.1. Whether another host is allowed is the caller's decision (--allow-remote). */
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** How long a closed tab's context waits for a reload. Default 5 s. */
  graceMs?: number;
  /** Pings every socket this often and drops one that did not answer the last ping. Default 30 s. */
  heartbeatMs?: number;
  maxConnections?: number;
}

export interface WebServer {
  readonly host: string;
  readonly port: number;
  /** The origin a browser sees, e.g. http://127.0.0.1:4321. */
  readonly origin: string;
  /** The URL to open: the origin with `?token=`. */
  readonly url: string;
  /** Sessions alive, attached or waiting out their grace period. */
  readonly sessionCount: number;
  close(): Promise<void>;
}

async function listen(server: Server, host: string, port: number): Promise<AddressInfo> {
  server.listen(port, host);
  // Rejects with the error (EADDRINUSE, say) if one comes before 'listening'.
  await once(server, 'listening');
  return server.address() as AddressInfo;
}

/** The headless host: the built renderer over HTTP and the contract over WebSocket, one context per tab. */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const host = options.host ?? '127.0.0.1';
  const http = createServer({ requestTimeout: 30_000, headersTimeout: 15_000, maxHeaderSize: 16_384 });
  const address = await listen(http, host, options.port ?? 0);
  // The Host and Origin checks need the port, known only now (port 0 picks one). No request is
  // read before these listeners are on: connections are accepted on a later tick.
  const port = address.port;
  const token = options.token;
  const hosts = allowedHosts(host, port);
  const origins = allowedOrigins(host, port);
  const handle = createHttpHandler({ staticDir: options.staticDir, token, hosts });
  http.on('request', (request, response) => {
    // A guard, unreachable today: the handler settles every await of its own (findStaticFile turns
    // file system errors into 404). A bug there later costs one request, not the process, which an
    // unhandled rejection would end.
    // Stryker disable next-line BlockStatement: unreachable guard (above)
    handle(request, response).catch((error: unknown) => {
      // Stryker disable next-line StringLiteral,CallExpression: unreachable guard (above)
      console.error('deskmate: HTTP request failed', error);
      // Stryker disable next-line BooleanLiteral,ConditionalExpression: unreachable guard (above)
      if (!response.headersSent) response.statusCode = 500;
      // Stryker disable next-line CallExpression: unreachable guard (above)
      response.end();
    });
  });
  const sessions = new WebSessions(options.registry, { graceMs: options.graceMs ?? 5_000 });
  // perMessageDeflate stays off: no compression bombs, no per-socket zlib memory.
  const wss = new WebSocketServer({ noServer: true, maxPayload: WS_MAX_PAYLOAD, perMessageDeflate: false });
  const maxConnections = options.maxConnections ?? 100;

  let closed = false;
  http.on('upgrade', (request, socket, head) => {
    // Node destroys a socket that errs; without a listener the error (a peer's reset) would end the process.
    socket.on('error', () => undefined);
    if (closed) return refuseUpgrade(socket, 503, 'Server shutting down');
    const decision = checkUpgrade(request, { token, hosts, origins });
    if (!decision.ok) return refuseUpgrade(socket, decision.status, decision.message);
    if (wss.clients.size >= maxConnections) return refuseUpgrade(socket, 503, 'Too many connections');
    wss.handleUpgrade(request, socket, head, (ws) => {
      alive.add(ws);
      ws.on('pong', () => alive.add(ws));
      serveConnection(ws, { router: options.router, sessions, query: decision.query });
    });
  });

  // Sockets that answered the last ping. A tab whose machine slept or whose network vanished never
  // sends a close: without this its context would wait forever instead of for the grace period.
  const alive = new WeakSet<WebSocket>();
  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.has(ws)) ws.terminate();
      else {
        alive.delete(ws);
        ws.ping();
      }
    }
  }, options.heartbeatMs ?? 30_000);

  const shown = isUnspecifiedHost(host) ? '127.0.0.1' : host;
  const origin = originOf(shown, port);
  let closing: Promise<void> | undefined;
  return {
    host,
    port,
    origin,
    url: `${origin}/?token=${encodeURIComponent(options.token)}`,
    get sessionCount() {
      return sessions.size;
    },
    close() {
      closing ??= shutDown();
      return closing;
    },
  };

  async function shutDown(): Promise<void> {
    closed = true;
    clearInterval(heartbeat);
    // Also closes the idle keep-alive connections at once; the rest go below, after the tabs.
    const httpClosed = new Promise<void>((resolve) => http.close(() => resolve()));
    // Sessions go now, not after their grace period: their contexts (and shells) with them.
    sessions.dispose();
    const sockets = [...wss.clients];
    for (const ws of sockets) ws.close(WS_CLOSE.goingAway, 'Server shutting down');
    await settleWithin(Promise.all(sockets.map(socketClosed)), 1_000);
    for (const ws of wss.clients) ws.terminate();
    http.closeAllConnections();
    await httpClosed;
  }
}

/** Called right after `ws.close()`: a socket still in wss.clients has not closed yet. */
function socketClosed(ws: WebSocket): Promise<void> {
  return new Promise((resolve) => ws.once('close', () => resolve()));
}

async function settleWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  await Promise.race([promise, timeout]);
  clearTimeout(timer);
}
