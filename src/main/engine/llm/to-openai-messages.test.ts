import { describe, expect, it } from 'vitest';
import type { Message } from '../../../shared/domain';
import { toOpenAiMessages } from './to-openai-messages';

const at = '2026-01-01T00:00:00.000Z';
const msg = (fields: Partial<Message> & Pick<Message, 'role'>): Message => ({
  id: `m-${Math.random()}`,
  content: '',
  timestamp: at,
  ...fields,
});

describe('a conversation as the model reads it', () => {
  it('sends each message with its role and text only: ids, times, files and metadata stay in the log', () => {
    const sent = toOpenAiMessages([
      msg({ role: 'system', content: 'You are Deskmate.' }),
      msg({ role: 'user', content: 'List the files', files: ['/tmp/a.txt'] }),
      msg({ role: 'assistant', content: 'Here they are.', metadata: { model: 'm', interrupted: true } }),
    ]);
    expect(sent).toEqual([
      { role: 'system', content: 'You are Deskmate.' },
      { role: 'user', content: 'List the files' },
      { role: 'assistant', content: 'Here they are.' },
    ]);
  });

  it("a reply that called tools carries its calls, and each result answers its call's id", () => {
    const sent = toOpenAiMessages([
      msg({
        role: 'assistant',
        content: 'Let me look.',
        tool_calls: [
          { id: 'call_1', name: 'shell', args: { command: 'ls' } },
          { id: 'call_2', name: 'read', args: { path: 'a.txt' } },
        ],
      }),
      msg({ role: 'tool', call_id: 'call_1', content: 'a.txt', metadata: { exitCode: 0 } }),
      msg({ role: 'tool', call_id: 'call_2', content: 'hello' }),
    ]);
    expect(sent).toEqual([
      {
        role: 'assistant',
        content: 'Let me look.',
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'shell', arguments: '{"command":"ls"}' } },
          { id: 'call_2', type: 'function', function: { name: 'read', arguments: '{"path":"a.txt"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: 'a.txt' },
      { role: 'tool', tool_call_id: 'call_2', content: 'hello' },
    ]);
  });

  it('a reply that only called tools sends no text (null), as the API expects', () => {
    const [sent] = toOpenAiMessages([
      msg({ role: 'assistant', content: '', tool_calls: [{ id: 'c', name: 'shell', args: {} }] }),
    ]);
    expect(sent).toEqual({
      role: 'assistant',
      content: null,
      tool_calls: [{ id: 'c', type: 'function', function: { name: 'shell', arguments: '{}' } }],
    });
  });

  it('a reply with an empty list of calls is plain text', () => {
    expect(toOpenAiMessages([msg({ role: 'assistant', content: '', tool_calls: [] })])).toEqual([
      { role: 'assistant', content: '' },
    ]);
  });

  it('a call the user edited goes with the arguments it ran with, not those the model proposed', () => {
    const sent = toOpenAiMessages([
      msg({
        role: 'assistant',
        content: '',
        tool_calls: [
          { id: 'edited', name: 'shell', args: { command: 'rm -rf build' } },
          { id: 'as-proposed', name: 'shell', args: { command: 'ls' } },
          { id: 'args-not-edited', name: 'shell', args: { command: 'pwd' } },
        ],
      }),
      msg({
        role: 'tool',
        call_id: 'edited',
        content: '',
        metadata: { edited: true, args: { command: 'rm -rf build/tmp' } },
      }),
      msg({ role: 'tool', call_id: 'as-proposed', content: '' }),
      // Arguments on a result that was not edited are not what the model is told ran.
      msg({
        role: 'tool',
        call_id: 'args-not-edited',
        content: '',
        metadata: { args: { command: 'whoami' } },
      }),
    ]);
    const calls = (sent[0] as { tool_calls: Array<{ id: string; function: { arguments: string } }> })
      .tool_calls;
    expect(calls.map((call) => [call.id, JSON.parse(call.function.arguments)])).toEqual([
      ['edited', { command: 'rm -rf build/tmp' }],
      ['as-proposed', { command: 'ls' }],
      ['args-not-edited', { command: 'pwd' }],
    ]);
  });

  it('only an edited tool result with a call id changes a call', () => {
    const sent = toOpenAiMessages([
      msg({
        role: 'assistant',
        content: '',
        tool_calls: [
          { id: '', name: 'shell', args: { command: 'ls' } },
          { id: 'u', name: 'shell', args: { command: 'pwd' } },
        ],
      }),
      msg({
        role: 'tool',
        call_id: '',
        content: 'orphan',
        metadata: { edited: true, args: { command: 'evil' } },
      }),
      msg({
        role: 'user',
        call_id: 'u',
        content: 'hi',
        metadata: { edited: true, args: { command: 'evil' } },
      }),
    ]);
    expect(sent[0]).toMatchObject({
      tool_calls: [
        { function: { arguments: '{"command":"ls"}' } },
        { function: { arguments: '{"command":"pwd"}' } },
      ],
    });
    // A result that lost its call id still goes, answering no call.
    expect(sent[1]).toEqual({ role: 'tool', tool_call_id: '', content: 'orphan' });
    expect(toOpenAiMessages([msg({ role: 'tool', content: 'lost' })])).toEqual([
      { role: 'tool', tool_call_id: '', content: 'lost' },
    ]);
  });
});

describe('a conversation in the order gptme sends it', () => {
  const call = (id: string) => ({ id, name: 'shell', args: {} });

  it('a message between calls and their results waits until the results are all in', () => {
    const sent = toOpenAiMessages([
      msg({ role: 'assistant', tool_calls: [call('a'), call('b')] }),
      msg({ role: 'system', content: 'warning' }),
      msg({ role: 'tool', call_id: 'a', content: 'A' }),
      msg({ role: 'user', content: 'hurry' }),
      msg({ role: 'tool', call_id: 'b', content: 'B' }),
      msg({ role: 'system', content: 'after' }),
      msg({ role: 'assistant', content: 'done' }),
    ]);
    expect(sent.map((m) => [m.role, 'tool_call_id' in m ? m.tool_call_id : m.content])).toEqual([
      ['assistant', null],
      ['tool', 'a'],
      ['tool', 'b'],
      ['system', 'warning'],
      ['user', 'hurry'],
      ['system', 'after'],
      ['assistant', 'done'],
    ]);
  });

  it('results of one call that follow each other go as one; waiting messages go before the next reply or at the end', () => {
    const sent = toOpenAiMessages([
      msg({ role: 'assistant', tool_calls: [call('a'), call('b')] }),
      msg({ role: 'tool', call_id: 'a', content: 'part 1' }),
      msg({ role: 'tool', call_id: 'a', content: 'part 2' }),
      msg({ role: 'system', content: 'waits' }),
      msg({ role: 'assistant', content: 'next', tool_calls: [call('c')] }),
      msg({ role: 'user', content: 'unanswered call: waits to the end' }),
    ]);
    expect(sent).toEqual([
      expect.objectContaining({ role: 'assistant' }),
      { role: 'tool', tool_call_id: 'a', content: 'part 1\n\npart 2' },
      { role: 'system', content: 'waits' },
      expect.objectContaining({ role: 'assistant', content: 'next' }),
      { role: 'user', content: 'unanswered call: waits to the end' },
    ]);
  });

  it('a hidden message is sent (gptme hides it from the user, not the model)', () => {
    expect(toOpenAiMessages([msg({ role: 'system', content: 'context', hide: true, pinned: true })])).toEqual(
      [{ role: 'system', content: 'context' }],
    );
  });
});
