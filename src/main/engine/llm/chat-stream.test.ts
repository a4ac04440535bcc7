import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startScriptedProvider, type ScriptedProvider } from '../../../../test/support/scripted-provider';
import { NamedError } from '../../../shared/errors';
import { streamChat, type StreamRequest } from './chat-stream';
import { collectReply } from './model-reply';

let scripted: ScriptedProvider;
beforeEach(async () => {
  scripted = await startScriptedProvider();
});
afterEach(async () => scripted.close());

function client() {
  return new OpenAI({ baseURL: scripted.url, apiKey: 'sk-test', maxRetries: 0 });
}

type Request = StreamRequest & { onText(delta: string): void };

/** The stream read into one reply, as the turn loop reads it. */
const reply = (openai: OpenAI, req: Request) => collectReply(streamChat(openai, req), req.onText);

function request(overrides: Partial<Request> = {}) {
  const deltas: string[] = [];
  const req: Request = {
    model: 'scripted-model',
    messages: [{ role: 'user', content: 'hi' }],
    tools: [],
    signal: new AbortController().signal,
    idleTimeoutMs: 5_000,
    onText: (delta) => deltas.push(delta),
    ...overrides,
  };
  return { req, deltas };
}

async function failureOf(promise: Promise<unknown>): Promise<Error & { partialText?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { partialText?: string };
  }
  throw new Error('expected the stream to fail');
}

describe('a streamed reply', () => {
  it('shows text as it arrives and returns all of it, with why it stopped and what it cost', async () => {
    scripted.enqueue({
      kind: 'stream',
      text: 'Hello there, world',
      chunkSize: 5,
      usage: { prompt: 12, completion: 4 },
    });
    const { req, deltas } = request();
    const result = await reply(client(), req);
    // The empty role chunk shows nothing.
    expect(deltas).toEqual(['Hello', ' ther', 'e, wo', 'rld']);
    expect(result).toEqual({
      text: 'Hello there, world',
      toolCalls: [],
      usage: { promptTokens: 12, completionTokens: 4 },
      finishReason: 'stop',
    });
  });

  it('asks for a stream with usage, and sends tools and temperature only when there are some', async () => {
    scripted.enqueue(
      { kind: 'stream', text: 'a' },
      { kind: 'stream', text: 'b' },
      { kind: 'stream', text: 'c' },
    );
    const tool = {
      type: 'function' as const,
      function: { name: 'shell', description: 'run', parameters: { type: 'object', properties: {} } },
    };
    const plain = await reply(client(), request().req);
    expect(plain).not.toHaveProperty('usage');
    await reply(client(), request({ tools: [tool], temperature: 0 }).req);
    await reply(client(), request({ temperature: 0.7 }).req);
    const [first, second, third] = scripted.requests.map((r) => r.body);
    expect(first).toEqual({
      model: 'scripted-model',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(second?.tools?.map((t) => t.function.name)).toEqual(['shell']);
    // Zero is a temperature, not an absent one.
    expect(second?.temperature).toBe(0);
    expect(third).not.toHaveProperty('tools');
    expect(third?.temperature).toBe(0.7);
  });

  it('stitches tool calls from their pieces, in order, and keeps their ids', async () => {
    scripted.enqueue({
      kind: 'stream',
      text: 'Checking.',
      toolCalls: [
        { id: 'call_a', name: 'shell', args: { command: 'ls -la /tmp && echo done' } },
        { id: 'call_b', name: 'read', args: '{"path": "notes.txt"}' },
      ],
    });
    const result = await reply(client(), request().req);
    expect(result).toMatchObject({
      text: 'Checking.',
      finishReason: 'tool_calls',
      toolCalls: [
        { id: 'call_a', name: 'shell', arguments: '{"command":"ls -la /tmp && echo done"}' },
        { id: 'call_b', name: 'read', arguments: '{"path": "notes.txt"}' },
      ],
    });
  });

  it('a call sent without an id gets one from its place, so its result can answer it', async () => {
    scripted.enqueue({
      kind: 'stream',
      toolCalls: [
        { id: 'call_a', name: 'shell', args: { command: 'ls' } },
        { id: '', name: 'read', args: { path: 'a' } },
      ],
    });
    const result = await reply(client(), request().req);
    expect(result.toolCalls.map((call) => call.id)).toEqual(['call_a', 'call_1']);
  });

  it('a reply cut off at its length limit says so', async () => {
    scripted.enqueue({ kind: 'stream', text: 'Once upon a', finish: 'length' });
    expect(await reply(client(), request().req)).toMatchObject({
      text: 'Once upon a',
      finishReason: 'length',
    });
  });
});

describe('a reply that does not arrive whole', () => {
  it('a stream that ends with no finish is StreamDropped, and the text so far is kept', async () => {
    scripted.enqueue({ kind: 'cut', text: 'Half a sentence' });
    const { req, deltas } = request();
    const failure = await failureOf(reply(client(), req));
    expect(failure).toBeInstanceOf(NamedError);
    expect(failure.name).toBe('StreamDropped');
    expect(failure.message).toBe('The provider closed the stream before the reply was complete.');
    expect(failure.partialText).toBe('Half a sentence');
    expect(deltas.join('')).toBe('Half a sentence');
  });

  it('a socket torn down mid-reply fails with the text so far', async () => {
    scripted.enqueue({ kind: 'drop', text: 'Half a' });
    const failure = await failureOf(reply(client(), request().req));
    expect(failure.partialText).toBe('Half a');
  });

  it('a provider that goes quiet mid-reply times out, keeping the text so far', async () => {
    scripted.enqueue({ kind: 'stall', text: 'Thinking about' });
    const failure = await failureOf(reply(client(), request({ idleTimeoutMs: 600 }).req));
    expect(failure.name).toBe('ProviderTimeout');
    expect(failure.message).toBe('The provider sent nothing for 1 s; gave up.');
    expect(failure.partialText).toBe('Thinking about');
  });

  it('a provider that never answers times out with nothing kept', async () => {
    scripted.enqueue({ kind: 'hang' });
    const failure = await failureOf(reply(client(), request({ idleTimeoutMs: 300 }).req));
    expect(failure.name).toBe('ProviderTimeout');
    expect(failure.partialText).toBe('');
  });

  it('a slow but steady stream is not a stall: each chunk restarts the wait', async () => {
    // Eight pauses of 50 ms: the reply takes longer than the 300 ms wait, no gap comes near it.
    scripted.enqueue({ kind: 'stream', text: 'slow and steady', chunkSize: 3, delayMs: 50 });
    const result = await reply(client(), request({ idleTimeoutMs: 300 }).req);
    expect(result.text).toBe('slow and steady');
  });

  it('Stop mid-reply ends the stream with the reason for stopping and the text so far', async () => {
    scripted.enqueue({ kind: 'stream', text: 'one two three four five six', chunkSize: 4, delayMs: 30 });
    const stop = new AbortController();
    const reason = new NamedError('Interrupted', 'Stopped by the user');
    const { req } = request({
      signal: stop.signal,
      onText: (delta) => {
        if (delta === 'two ') stop.abort(reason);
      },
    });
    const failure = await failureOf(reply(client(), req));
    expect(failure.cause).toBe(reason);
    expect(failure.partialText).toBe('one two ');
  });

  it('Stop before the provider answers ends it with the reason for stopping', async () => {
    scripted.enqueue({ kind: 'hang' });
    const stop = new AbortController();
    const reason = new NamedError('Interrupted', 'Stopped by the user');
    const pending = failureOf(reply(client(), request({ signal: stop.signal }).req));
    while (scripted.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    stop.abort(reason);
    const failure = await pending;
    expect(failure.cause).toBe(reason);
    expect(failure.partialText).toBe('');
  });

  it("a provider's refusal is passed on as the SDK's error, with no text kept", async () => {
    scripted.enqueue({ kind: 'error', status: 400, message: 'bad request' });
    const failure = await failureOf(reply(client(), request().req));
    expect(failure.cause).toBeInstanceOf(OpenAI.BadRequestError);
    expect(failure.partialText).toBe('');
  });
});

describe('chunks of odd shapes, as some providers send them', () => {
  const base = { id: 'x', object: 'chat.completion.chunk', created: 0, model: 'm' };
  const choice = (fields: object) => ({ ...base, choices: [{ index: 0, finish_reason: null, ...fields }] });

  it('a chunk without a delta, a call piece without its function, a call without arguments: all tolerated', async () => {
    scripted.enqueue({
      kind: 'raw',
      chunks: [
        { ...base, choices: [], prompt_filter_results: [] },
        choice({}),
        choice({ delta: { content: 'Hi' } }),
        // The second call comes first, and the first never comes: there is no gap in the result.
        choice({ delta: { tool_calls: [{ index: 1, id: 'call_x', type: 'function' }] } }),
        choice({ delta: { tool_calls: [{ index: 1, function: { name: 'read' } }] } }),
        choice({ delta: { tool_calls: [{ index: 1, function: { arguments: '{"path":' } }] } }),
        choice({ delta: { tool_calls: [{ index: 1, function: { arguments: '"a"}' } }] } }),
        choice({ delta: { tool_calls: [{ index: 2, id: 'call_y', function: { name: 'list' } }] } }),
        choice({ delta: {}, finish_reason: 'tool_calls' }),
      ],
    });
    const result = await reply(client(), request().req);
    expect(result).toEqual({
      text: 'Hi',
      finishReason: 'tool_calls',
      toolCalls: [
        { id: 'call_x', name: 'read', arguments: '{"path":"a"}' },
        { id: 'call_y', name: 'list', arguments: '' },
      ],
    });
  });
});

describe('the idle clock', () => {
  // The clock is faked so the wait can be measured exactly; the network stays real.
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  it('a quiet spell counts from the last chunk, and gives up exactly when it is up; nothing is left ticking', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    try {
      scripted.enqueue({ kind: 'stall', text: 'Thinking' }, { kind: 'stream', text: 'done' });
      const { req, deltas } = request({ idleTimeoutMs: 1_000 });
      let failure: (Error & { partialText?: string }) | undefined;
      void reply(client(), req).catch((error: Error) => (failure = error));
      vi.advanceTimersByTime(500);
      while (deltas.join('') !== 'Thinking') await settle();
      // The first check, 1 s after the start, finds only half a second of quiet.
      vi.advanceTimersByTime(500);
      await settle();
      expect(failure).toBeUndefined();
      vi.advanceTimersByTime(499);
      await settle();
      expect(failure).toBeUndefined();
      vi.advanceTimersByTime(1);
      while (!failure) await settle();
      expect(failure).toMatchObject({ name: 'ProviderTimeout', partialText: 'Thinking' });

      // A reply that completes leaves no timer of its own behind.
      const before = vi.getTimerCount();
      const whole = reply(client(), request({ idleTimeoutMs: 1_000 }).req);
      expect((await whole).text).toBe('done');
      expect(vi.getTimerCount()).toBe(before);
    } finally {
      vi.useRealTimers();
    }
  });
});
