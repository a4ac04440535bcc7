import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { shellCallBody, textBody, textEvents } from './sse-bodies';

/** The command every `tool-…` turn runs first. */
export const BENCH_SHELL_COMMAND = 'echo x';

/** How often a paced stream writes: tokens go out in small groups, as a provider's do. */
const PACE_TICK_MS = 20;

/** What benchModel (sse-bodies.ts) writes. */
const MODEL = /^(text|tool)-(\d+)(?:-r(\d+))?$/;

/**
 * An OpenAI-compatible server for benchmarks. Bodies are rendered once per model; a full-speed
 * reply is one socket write, so the server is never what limits a client.
 */
export async function startSseServer(): Promise<{ url: string; close(): Promise<void> }> {
  const full = new Map<number, Buffer>();
  const events = new Map<number, string[]>();
  const paced = new Set<NodeJS.Timeout>();
  let calls = 0;

  const streamPaced = (res: ServerResponse, tokens: number, tokensPerSec: number) => {
    let parts = events.get(tokens);
    if (!parts) events.set(tokens, (parts = textEvents(tokens)));
    const all = parts;
    const perTick = Math.max(1, Math.round((tokensPerSec * PACE_TICK_MS) / 1000));
    let next = 0;
    const timer = setInterval(() => {
      const end = Math.min(all.length, next + perTick);
      res.write(all.slice(next, end).join(''));
      next = end;
      if (next >= all.length) {
        clearInterval(timer);
        paced.delete(timer);
        res.end();
      }
    }, PACE_TICK_MS);
    paced.add(timer);
    res.on('close', () => {
      clearInterval(timer);
      paced.delete(timer);
    });
  };

  const answer = (req: IncomingMessage, res: ServerResponse, raw: string) => {
    const path = (req.url ?? '').replace(/\?.*$/, '');
    if (req.method === 'GET' && path.endsWith('/models')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: [{ id: 'text-100', object: 'model', created: 0 }] }));
      return;
    }
    if (req.method !== 'POST' || !path.endsWith('/chat/completions')) {
      res.writeHead(404).end();
      return;
    }
    const request = JSON.parse(raw) as { model?: string; messages?: Array<{ role: string }> };
    const match = MODEL.exec(request.model ?? '');
    if (!match) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `bench server: unknown model ${request.model}` } }));
      return;
    }
    const tokens = Number(match[2]);
    const tokensPerSec = match[3] ? Number(match[3]) : 0;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    if (match[1] === 'tool' && request.messages?.at(-1)?.role !== 'tool') {
      // A call id is unique within a conversation; the body is tiny, so it is rendered each time.
      res.end(shellCallBody(BENCH_SHELL_COMMAND, `call_${++calls}`));
    } else if (tokensPerSec > 0) {
      streamPaced(res, tokens, tokensPerSec);
    } else {
      let body = full.get(tokens);
      if (!body) full.set(tokens, (body = textBody(tokens)));
      res.end(body);
    }
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      try {
        answer(req, res, Buffer.concat(chunks).toString('utf8'));
      } catch (error) {
        if (!res.headersSent) res.writeHead(500);
        res.end(String(error));
      }
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    close: async () => {
      for (const timer of paced) clearInterval(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
