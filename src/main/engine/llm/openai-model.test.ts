// The OpenAI model through a real HTTP stream: the scripted provider is the only fake.
import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startScriptedProvider, type ScriptedProvider } from '../../../../test/support/scripted-provider';
import type { Message } from '../../../shared/domain';
import { NamedError } from '../../../shared/errors';
import type { ModelEvent, ModelRequest } from './language-model';
import { OpenAiModel, type OpenAiModelOptions } from './openai-model';

let scripted: ScriptedProvider;
beforeEach(async () => {
  scripted = await startScriptedProvider();
});
afterEach(async () => scripted.close());

const at = '2026-01-01T00:00:00.000Z';

function model(options: Partial<OpenAiModelOptions> = {}) {
  const client = new OpenAI({ baseURL: scripted.url, apiKey: 'sk-test', maxRetries: 0 });
  return new OpenAiModel(client, {
    model: 'scripted-model',
    idleTimeoutMs: 5_000,
    baseUrl: scripted.url,
    ...options,
  });
}

function request(fields: Partial<ModelRequest> = {}): ModelRequest {
  return {
    system: 'You are terse.',
    messages: [{ id: 'u1', role: 'user', content: 'hi', timestamp: at }],
    tools: [],
    signal: new AbortController().signal,
    ...fields,
  };
}

async function eventsOf(stream: AsyncIterable<ModelEvent>): Promise<ModelEvent[]> {
  const events: ModelEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

async function failureOf(stream: AsyncIterable<ModelEvent>): Promise<unknown> {
  try {
    await eventsOf(stream);
  } catch (error) {
    return error;
  }
  throw new Error('expected the stream to fail');
}

describe('a reply as the agent reads it', () => {
  it('comes as text pieces, tool-call pieces by index, the usage and why it finished', async () => {
    scripted.enqueue({
      kind: 'stream',
      text: 'Looking.',
      chunkSize: 4,
      toolCalls: [{ id: 'call_a', name: 'read', args: { path: 'a.txt' } }],
      usage: { prompt: 9, completion: 3 },
    });
    expect(await eventsOf(model().stream(request()))).toEqual([
      { type: 'text-delta', text: 'Look' },
      { type: 'text-delta', text: 'ing.' },
      { type: 'tool-call-delta', index: 0, id: 'call_a', name: 'read' },
      { type: 'tool-call-delta', index: 0, arguments: '{"path"' },
      { type: 'tool-call-delta', index: 0, arguments: ':"a.txt' },
      { type: 'tool-call-delta', index: 0, arguments: '"}' },
      { type: 'finish', reason: 'tool_calls' },
      { type: 'usage', usage: { promptTokens: 9, completionTokens: 3 } },
    ]);
  });

  it('sends the system prompt first, then the conversation, the tools and the model in the wire format', async () => {
    scripted.enqueue({ kind: 'stream', text: 'ok' });
    const messages: Message[] = [
      { id: 'u1', role: 'user', content: 'list', timestamp: at },
      {
        id: 'a1',
        role: 'assistant',
        content: '',
        timestamp: at,
        tool_calls: [{ id: 'call_1', name: 'shell', args: { command: 'ls' } }],
      },
      { id: 't1', role: 'tool', content: 'a.txt', call_id: 'call_1', timestamp: at },
    ];
    const tools = [{ name: 'shell', description: 'Runs a command', parameters: { type: 'object' } }];
    await eventsOf(model().stream(request({ messages, tools })));
    const body = scripted.requests[0]!.body;
    expect(body.model).toBe('scripted-model');
    expect(body.messages).toEqual([
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'list' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'shell', arguments: '{"command":"ls"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: 'a.txt' },
    ]);
    expect(body.tools).toEqual([
      {
        type: 'function',
        function: { name: 'shell', description: 'Runs a command', parameters: { type: 'object' } },
      },
    ]);
    expect(body).not.toHaveProperty('temperature');
  });

  it('sends the temperature it was made with, zero included', async () => {
    scripted.enqueue({ kind: 'stream', text: 'a' }, { kind: 'stream', text: 'b' });
    await eventsOf(model({ temperature: 0 }).stream(request()));
    await eventsOf(model({ temperature: 1.5 }).stream(request()));
    expect(scripted.requests.map((r) => r.body.temperature)).toEqual([0, 1.5]);
  });

  it('a stream cut short has no finish, so the reader can tell it was dropped', async () => {
    scripted.enqueue({ kind: 'cut', text: 'Half' });
    const events = await eventsOf(model().stream(request()));
    expect(events).toEqual([{ type: 'text-delta', text: 'Half' }]);
  });
});

describe('when the provider fails', () => {
  it('its refusal is named for the user, with the URL and the model', async () => {
    scripted.enqueue({ kind: 'error', status: 401, message: 'bad key' });
    scripted.enqueue({ kind: 'error', status: 404, message: 'no such model' });
    const auth = await failureOf(model().stream(request()));
    expect(auth).toBeInstanceOf(NamedError);
    expect(auth).toMatchObject({ name: 'ProviderAuth' });
    expect((auth as Error).message).toContain(`The provider at ${scripted.url} rejected the API key`);
    const missing = await failureOf(model().stream(request()));
    expect((missing as Error).message).toContain(
      `The model "scripted-model" was not found at ${scripted.url}`,
    );
  });

  it('a provider that goes quiet times out after the idle time it was made with', async () => {
    scripted.enqueue({ kind: 'stall', text: 'Hmm' });
    const failure = await failureOf(model({ idleTimeoutMs: 600 }).stream(request()));
    expect(failure).toMatchObject({
      name: 'ProviderTimeout',
      message: 'The provider sent nothing for 1 s; gave up.',
    });
  });

  it('Stop ends the stream with the reason for stopping, not a provider failure', async () => {
    scripted.enqueue({ kind: 'stall', text: 'Partial' });
    const stop = new AbortController();
    const reason = new NamedError('Interrupted', 'Stopped by the user');
    const events: ModelEvent[] = [];
    let failure: unknown;
    try {
      for await (const event of model().stream(request({ signal: stop.signal }))) {
        events.push(event);
        stop.abort(reason);
      }
    } catch (error) {
      failure = error;
    }
    expect(failure).toBe(reason);
    expect(events).toEqual([{ type: 'text-delta', text: 'Part' }]);
  });
});
