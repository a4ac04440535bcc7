// The one fake in the test suite: an OpenAI-compatible HTTP server on 127.0.0.1 that answers
// chat completions from a script (SSE chunks, tool-call deltas, usage, error codes, dropped and
// stalled streams) and records every request body it received.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptedToolCall {
  id?: string;
  name: string;
  /** An object is JSON-encoded; a string is sent as is (to test malformed arguments). */
  args: unknown;
}

export type Step =
  | {
      kind: 'stream';
      text?: string;
      toolCalls?: ScriptedToolCall[];
      usage?: { prompt: number; completion: number };
      /** Pause between chunks, to make streams overlap or to interrupt one mid-way. */
      delayMs?: number;
      /** Characters per content chunk. */
      chunkSize?: number;
      finish?: 'stop' | 'tool_calls' | 'length';
    }
  | { kind: 'error'; status: number; message?: string; headers?: Record<string, string> }
  /** Streams `text`, then destroys the socket without a finish reason or [DONE]. */
  | { kind: 'drop'; text: string }
  /** Sends each chunk as it is (odd shapes some providers send), then [DONE]. */
  | { kind: 'raw'; chunks: object[] }
  /** Streams `text`, then ends the response cleanly with no finish reason (a proxy cutting it short). */
  | { kind: 'cut'; text: string }
  /** Accepts the request and never answers. */
  | { kind: 'hang' }
  /** Streams `text`, then sends nothing more while keeping the connection open. */
  | { kind: 'stall'; text: string };

export interface RecordedRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: {
    model?: string;
    messages?: Array<{ role: string; content?: unknown; tool_calls?: unknown; tool_call_id?: string }>;
    tools?: Array<{ function: { name: string } }>;
    stream?: boolean;
    stream_options?: { include_usage?: boolean };
    temperature?: number;
  };
}

export interface ScriptedProviderOptions {
  /** Decides the answer from the request; when absent, steps are taken from the queue in order. */
  respond?: (request: RecordedRequest) => Step;
  models?: string[];
  /** Requests must carry this bearer key, else 401. */
  apiKey?: string;
  /** The model list answers this error status instead (counted in `modelListings` all the same). */
  modelsStatus?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function chunk(delta: object, finish: string | null = null): string {
  const body = {
    id: 'chatcmpl-scripted',
    object: 'chat.completion.chunk',
    created: Math.floor(Date.now() / 1000),
    model: 'scripted',
    choices: [{ index: 0, delta, finish_reason: finish }],
  };
  return `data: ${JSON.stringify(body)}\n\n`;
}

function pieces(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

export async function startScriptedProvider(options: ScriptedProviderOptions = {}) {
  const queue: Step[] = [];
  const requests: RecordedRequest[] = [];
  const open = new Set<ServerResponse>();
  let callCounter = 0;
  let modelListings = 0;

  async function stream(res: ServerResponse, step: Extract<Step, { kind: 'stream' }>, signal: AbortSignal) {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const send = async (data: string) => {
      if (signal.aborted) return;
      res.write(data);
      if (step.delayMs) await sleep(step.delayMs);
    };
    await send(chunk({ role: 'assistant', content: '' }));
    for (const piece of pieces(step.text ?? '', step.chunkSize ?? 4)) await send(chunk({ content: piece }));
    for (const [index, call] of (step.toolCalls ?? []).entries()) {
      const args = typeof call.args === 'string' ? call.args : JSON.stringify(call.args);
      const id = call.id ?? `call_${++callCounter}`;
      await send(
        chunk({
          tool_calls: [{ index, id, type: 'function', function: { name: call.name, arguments: '' } }],
        }),
      );
      for (const piece of pieces(args, 7))
        await send(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
    }
    const finish = step.finish ?? (step.toolCalls?.length ? 'tool_calls' : 'stop');
    await send(chunk({}, finish));
    if (step.usage) {
      const usage = {
        prompt_tokens: step.usage.prompt,
        completion_tokens: step.usage.completion,
        total_tokens: step.usage.prompt + step.usage.completion,
      };
      await send(
        `data: ${JSON.stringify({ id: 'chatcmpl-scripted', object: 'chat.completion.chunk', created: 0, model: 'scripted', choices: [], usage })}\n\n`,
      );
    }
    await send('data: [DONE]\n\n');
    res.end();
  }

  async function answer(req: IncomingMessage, res: ServerResponse) {
    const raw = await new Promise<string>((resolve) => {
      let text = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (text += c));
      req.on('end', () => resolve(text));
    });
    const path = (req.url ?? '').replace(/\?.*$/, '');
    if (options.apiKey && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          error: {
            message: 'Incorrect API key provided',
            type: 'invalid_request_error',
            code: 'invalid_api_key',
          },
        }),
      );
      return;
    }
    if (req.method === 'GET' && path.endsWith('/models')) {
      modelListings++;
      if (options.modelsStatus) {
        res.writeHead(options.modelsStatus, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `scripted error ${options.modelsStatus}` } }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      const data = (options.models ?? ['scripted-model']).map((id) => ({
        id,
        object: 'model',
        created: 0,
        owned_by: 'scripted',
      }));
      res.end(JSON.stringify({ object: 'list', data }));
      return;
    }
    if (!path.endsWith('/chat/completions')) {
      res.writeHead(404).end();
      return;
    }
    const recorded: RecordedRequest = { path, headers: req.headers, body: raw ? JSON.parse(raw) : {} };
    requests.push(recorded);
    const step = options.respond ? options.respond(recorded) : queue.shift();
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    if (!step) {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'scripted provider: no step left in the script' } }));
      return;
    }
    switch (step.kind) {
      case 'stream':
        await stream(res, step, abort.signal);
        return;
      case 'error':
        res.writeHead(step.status, { 'content-type': 'application/json', ...step.headers });
        res.end(
          JSON.stringify({
            error: { message: step.message ?? `scripted error ${step.status}`, type: 'scripted' },
          }),
        );
        return;
      case 'drop':
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(chunk({ role: 'assistant', content: '' }));
        for (const piece of pieces(step.text, 4)) res.write(chunk({ content: piece }));
        await sleep(20);
        res.socket?.destroy();
        return;
      case 'raw':
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        for (const raw of step.chunks) res.write(`data: ${JSON.stringify(raw)}\n\n`);
        res.end('data: [DONE]\n\n');
        return;
      case 'cut':
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(chunk({ role: 'assistant', content: '' }));
        for (const piece of pieces(step.text, 4)) res.write(chunk({ content: piece }));
        res.end();
        return;
      case 'hang':
        return; // the response stays open until the client gives up or the server closes
      case 'stall':
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(chunk({ role: 'assistant', content: '' }));
        for (const piece of pieces(step.text, 4)) res.write(chunk({ content: piece }));
        return;
    }
  }

  const server = createServer((req, res) => {
    open.add(res);
    res.on('close', () => open.delete(res));
    answer(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    enqueue(...steps: Step[]) {
      queue.push(...steps);
    },
    get pending() {
      return queue.length;
    },
    /** How many times the model list was asked for. */
    get modelListings() {
      return modelListings;
    },
    async close() {
      for (const res of open) res.socket?.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type ScriptedProvider = Awaited<ReturnType<typeof startScriptedProvider>>;
