// A model's stream read into one reply. The events are the seam's own (language-model.ts), so a
// list of them stands for any model; the OpenAI model's are tested through a real stream beside it.
import { describe, expect, it } from 'vitest';
import { NamedError, toErrorShape } from '../../../shared/errors';
import type { ModelEvent } from './language-model';
import { collectReply, ProviderStreamError } from './model-reply';

async function* events(list: readonly ModelEvent[], failure?: unknown): AsyncGenerator<ModelEvent> {
  for (const event of list) yield event;
  if (failure !== undefined) throw failure;
}

async function read(list: readonly ModelEvent[], failure?: unknown) {
  const deltas: string[] = [];
  const reply = collectReply(events(list, failure), (delta) => deltas.push(delta));
  return { reply, deltas };
}

async function brokenReply(list: readonly ModelEvent[], failure?: unknown): Promise<ProviderStreamError> {
  try {
    await (
      await read(list, failure)
    ).reply;
  } catch (error) {
    expect(error).toBeInstanceOf(ProviderStreamError);
    return error as ProviderStreamError;
  }
  throw new Error('expected the reply to break');
}

describe('a whole reply', () => {
  it('shows text as it arrives and returns all of it, with its usage and why it finished', async () => {
    const { reply, deltas } = await read([
      { type: 'text-delta', text: 'Hello ' },
      { type: 'text-delta', text: 'world' },
      { type: 'finish', reason: 'stop' },
      { type: 'usage', usage: { promptTokens: 1, completionTokens: 2 } },
      { type: 'usage', usage: { promptTokens: 5, completionTokens: 7 } },
    ]);
    expect(await reply).toEqual({
      text: 'Hello world',
      toolCalls: [],
      usage: { promptTokens: 5, completionTokens: 7 },
      finishReason: 'stop',
    });
    expect(deltas).toEqual(['Hello ', 'world']);
  });

  it('has no usage when the model reported none, and the last finish counts', async () => {
    const { reply } = await read([
      { type: 'finish', reason: 'stop' },
      { type: 'finish', reason: 'length' },
    ]);
    const whole = await reply;
    expect(whole).not.toHaveProperty('usage');
    expect(whole.finishReason).toBe('length');
  });

  it('stitches tool calls from their pieces by index, in order, and names an unnamed one by its place', async () => {
    const { reply } = await read([
      { type: 'tool-call-delta', index: 1, name: 're' },
      { type: 'tool-call-delta', index: 0, id: 'call_a', name: 'shell' },
      { type: 'tool-call-delta', index: 1, name: 'ad', arguments: '{"path":' },
      { type: 'tool-call-delta', index: 0, arguments: '{"command":"ls"}' },
      { type: 'tool-call-delta', index: 1, arguments: '"a"}' },
      { type: 'tool-call-delta', index: 3, id: 'call_c', name: 'save' },
      { type: 'finish', reason: 'tool_calls' },
    ]);
    expect((await reply).toolCalls).toEqual([
      { id: 'call_a', name: 'shell', arguments: '{"command":"ls"}' },
      { id: 'call_1', name: 'read', arguments: '{"path":"a"}' },
      { id: 'call_c', name: 'save', arguments: '' },
    ]);
  });
});

describe('a reply that breaks part-way', () => {
  it('a stream that ends without a finish was dropped, and keeps the text so far', async () => {
    const failure = await brokenReply([
      { type: 'text-delta', text: 'Half a ' },
      { type: 'text-delta', text: 'thought' },
    ]);
    expect(failure.name).toBe('StreamDropped');
    expect(failure.message).toBe('The provider closed the stream before the reply was complete.');
    expect(failure.partialText).toBe('Half a thought');
  });

  it('goes under the name, message and data of what broke it, and keeps it as its cause', async () => {
    const cause = new NamedError('ProviderDropped', 'The connection dropped.', { cause: 'ECONNRESET' });
    const failure = await brokenReply([{ type: 'text-delta', text: 'Some' }], cause);
    expect(failure).toBeInstanceOf(NamedError);
    expect(failure.cause).toBe(cause);
    expect(failure.partialText).toBe('Some');
    expect(toErrorShape(failure)).toEqual(toErrorShape(cause));
  });

  it('a failure before any text keeps nothing', async () => {
    const cause = new NamedError('ProviderTimeout', 'Nothing came.');
    const failure = await brokenReply([], cause);
    expect(failure.partialText).toBe('');
    expect(failure.name).toBe('ProviderTimeout');
  });

  it('anything thrown that has no name is Internal, in its own words', async () => {
    const cause = new TypeError('x is not a function');
    const failure = await brokenReply([{ type: 'finish', reason: 'stop' }], cause);
    expect(toErrorShape(failure)).toEqual({ name: 'Internal', message: 'x is not a function' });
    expect(failure.cause).toBe(cause);
  });
});
