// Test helpers for the headless host (not a test file itself): a real server on 127.0.0.1 over a
// real engine in a temp data dir, a static fixture with a secret beside it, and a WebSocket client
// that records every frame.
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import path from 'node:path';
import { onTestFinished } from 'vitest';
import { WebSocket } from 'ws';
import type { RequestInput, RequestName } from '../../src/shared/contract';
import type { RpcResult } from '../../src/shared/errors';
import { parseServerFrame, type ServerFrame } from '../../src/shared/ws-protocol';
import { createTestEngine } from './engine';
import { createEngineHandlers } from '../../src/main/engine/rpc/engine-handlers';
import { Router, type Handlers } from '../../src/main/engine/rpc/router';
import { tempDir } from './temp-dir';
import { startWebServer, type WebServer } from '../../src/main/web/web-server';

export const SECRET = 'the secret outside the root';

/** `<base>/root/{index.html, assets/app.js}` and `<base>/secret.txt`, which must never be served. */
export async function makeStaticFixture(): Promise<{ root: string; base: string }> {
  const base = await tempDir('deskmate-static-');
  const root = path.join(base, 'root');
  await mkdir(path.join(root, 'assets'), { recursive: true });
  await writeFile(path.join(root, 'index.html'), '<!doctype html><title>fixture</title>');
  await writeFile(path.join(root, 'assets', 'app.js'), 'console.log("fixture");');
  await writeFile(path.join(base, 'secret.txt'), SECRET);
  return { root, base };
}

export async function startTestServer(
  options: {
    graceMs?: number;
    heartbeatMs?: number;
    host?: string;
    maxConnections?: number;
    token?: string;
    /** Handlers that replace the engine's own: a bug a real handler could have, planted on purpose. */
    handlers?: Partial<Handlers>;
  } = {},
) {
  const engine = await createTestEngine();
  const router = options.handlers
    ? new Router(engine.registry, { ...createEngineHandlers(engine.registry), ...options.handlers })
    : engine.router;
  const { root } = await makeStaticFixture();
  const token = options.token ?? randomBytes(16).toString('base64url');
  const server = await startWebServer({
    registry: engine.registry,
    router,
    staticDir: root,
    token,
    host: options.host ?? '127.0.0.1',
    port: 0,
    graceMs: options.graceMs ?? 5_000,
    ...(options.heartbeatMs ? { heartbeatMs: options.heartbeatMs } : {}),
    ...(options.maxConnections ? { maxConnections: options.maxConnections } : {}),
  });
  onTestFinished(() => server.close());
  return { engine, server, token, staticDir: root };
}

export type TestServer = Awaited<ReturnType<typeof startTestServer>>;

/** What a client needs to reach a server: a test server, or one `serve` started. */
export type ServerTarget = Pick<TestServer, 'server' | 'token'>;

export interface ConnectOptions {
  token?: string | null;
  origin?: string | null;
  cookie?: string;
  /** The Host header, when not the server's own address. */
  host?: string;
  /** Extra query parameters: session, resume, workspace, conversation. */
  query?: Record<string, string>;
  path?: string;
  /** False: never answer the server's pings, like a peer whose network vanished. */
  autoPong?: boolean;
}

function wsUrl(server: WebServer, token: string | null | undefined, options: ConnectOptions) {
  const url = new URL(options.path ?? '/ws', server.origin.replace(/^http/, 'ws'));
  if (token) url.searchParams.set('token', token);
  for (const [key, value] of Object.entries(options.query ?? {})) url.searchParams.set(key, value);
  return url.href;
}

function socketFor(test: ServerTarget, options: ConnectOptions): WebSocket {
  const headers: Record<string, string> = {};
  const origin = options.origin === undefined ? test.server.origin : options.origin;
  if (origin !== null) headers.origin = origin;
  if (options.cookie) headers.cookie = options.cookie;
  if (options.host) headers.host = options.host;
  const token = options.token === undefined ? test.token : options.token;
  return new WebSocket(wsUrl(test.server, token, options), { headers, autoPong: options.autoPong ?? true });
}

/** The HTTP status of a handshake the server refuses (or 101 if it accepted it). */
export function upgradeStatus(test: ServerTarget, options: ConnectOptions = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = socketFor(test, options);
    socket.on('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      response.resume();
      socket.terminate();
    });
    socket.on('open', () => {
      resolve(101);
      socket.close();
    });
    socket.on('error', (error) => reject(error));
  });
}

/** A connected client that records every frame it receives. */
export class TestClient {
  readonly socket: WebSocket;
  readonly frames: ServerFrame[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  #nextId = 1;

  private constructor(socket: WebSocket) {
    this.socket = socket;
    socket.on('message', (data: Buffer) => {
      const frame = parseServerFrame(data.toString('utf8'));
      if (frame) this.frames.push(frame);
    });
    this.closed = new Promise((resolve) =>
      socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
  }

  static async connect(test: ServerTarget, options: ConnectOptions = {}): Promise<TestClient> {
    const socket = socketFor(test, options);
    const client = new TestClient(socket);
    onTestFinished(() => socket.terminate());
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    await client.waitFor((frame) => frame.type === 'session');
    return client;
  }

  get session(): { session: string; resumed: boolean } {
    const frame = this.frames.find((f) => f.type === 'session');
    if (!frame || frame.type !== 'session') throw new Error('no session frame yet');
    return frame;
  }

  events(name?: string): ServerFrame[] {
    return this.frames.filter(
      (frame) => frame.type === 'event' && (name === undefined || frame.name === name),
    );
  }

  send(text: string | Buffer, binary = false): void {
    this.socket.send(text, { binary });
  }

  async request<M extends RequestName>(method: M, input: RequestInput<M>): Promise<RpcResult<unknown>> {
    const id = this.#nextId++;
    this.send(JSON.stringify({ type: 'request', id, method, input }));
    const frame = await this.waitFor((f) => f.type === 'response' && f.id === id);
    return (frame as Extract<ServerFrame, { type: 'response' }>).result;
  }

  async waitFor(match: (frame: ServerFrame) => boolean, timeoutMs = 5_000): Promise<ServerFrame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.frames.find(match);
      if (found) return found;
      if (Date.now() > deadline) {
        throw new Error(
          `No matching frame within ${timeoutMs} ms; saw ${JSON.stringify(this.frames).slice(0, 500)}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  close(): Promise<{ code: number; reason: string }> {
    this.socket.close();
    return this.closed;
  }
}

/** Polls until `check` is true or the time is up. */
export async function eventually(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export interface RawReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * A raw HTTP request to 127.0.0.1: the path goes on the wire exactly as written (fetch would
 * normalize `..`), with exactly the headers given, on a connection of its own.
 */
export function rawRequest(
  port: number,
  rawPath: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: rawPath,
        method: options.method ?? 'GET',
        headers: options.headers,
        agent: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}
