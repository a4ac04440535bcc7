import { describe, expect, it } from 'vitest';
import type { Message } from '../../../shared/domain';
import { lineOfMessage, messageFromLine } from './gptme-line';

const context = { id: 'gptme-derived', timestamp: '2026-01-01T00:00:00.000Z' };
const at = '2026-03-02T10:00:00.000Z';

describe('a line of gptme, read', () => {
  it('a system message with call_id is a tool result; one without is a system message', () => {
    expect(
      messageFromLine({ role: 'system', content: 'out', timestamp: at, call_id: 'c1' }, context),
    ).toEqual({
      id: 'gptme-derived',
      role: 'tool',
      content: 'out',
      timestamp: at,
      call_id: 'c1',
    });
    expect(messageFromLine({ role: 'system', content: 'note', timestamp: at, call_id: '' }, context)).toEqual(
      {
        id: 'gptme-derived',
        role: 'system',
        content: 'note',
        timestamp: at,
      },
    );
    // A call_id on a user message means nothing to gptme's tool handling: not kept as one.
    expect(
      messageFromLine({ role: 'user', content: 'hi', timestamp: at, call_id: 'c1' }, context),
    ).not.toHaveProperty('call_id');
  });

  it("keeps gptme's flags and fields, and only those of the right kind", () => {
    expect(
      messageFromLine(
        {
          role: 'user',
          content: 'see',
          timestamp: at,
          files: ['/a.png', 3],
          file_hashes: { '/a.png': 'abc' },
          pinned: true,
          hide: 'yes',
          ephemeral_ttl: 2,
          quiet: true,
        },
        context,
      ),
    ).toEqual({
      id: 'gptme-derived',
      role: 'user',
      content: 'see',
      timestamp: at,
      files: ['/a.png'],
      file_hashes: { '/a.png': 'abc' },
      pinned: true,
      ephemeral_ttl: 2,
    });
    const plain = messageFromLine(
      { role: 'user', content: 'x', timestamp: at, files: 'a', ephemeral_ttl: 1.5 },
      context,
    );
    expect(plain).toEqual({ id: 'gptme-derived', role: 'user', content: 'x', timestamp: at });
  });

  it('reads usage nested or flat, keeps the metadata it does not know, and takes the id from it', () => {
    const nested = messageFromLine(
      {
        role: 'assistant',
        content: 'a',
        timestamp: at,
        metadata: {
          id: 'm1',
          model: 'x',
          cost: 0.5,
          tool: 'shell',
          usage: { input_tokens: 5, output_tokens: 'many' },
        },
      },
      context,
    );
    expect(nested).toEqual({
      id: 'm1',
      role: 'assistant',
      content: 'a',
      timestamp: at,
      metadata: { model: 'x', cost: 0.5, tool: 'shell', usage: { promptTokens: 5, completionTokens: 0 } },
    });
    const flat = messageFromLine(
      {
        role: 'assistant',
        content: 'a',
        timestamp: at,
        metadata: { cache_creation_tokens: 4, output_tokens: 2 },
      },
      context,
    );
    expect(flat?.metadata).toEqual({
      usage: { promptTokens: 0, completionTokens: 2, cacheCreationTokens: 4 },
    });
    for (const metadata of [{}, { id: 'm2' }, 'text', null, [1]])
      expect(
        messageFromLine({ role: 'user', content: 'a', timestamp: at, metadata }, context),
      ).not.toHaveProperty('metadata');
    expect(
      messageFromLine({ role: 'user', content: 'a', timestamp: at, metadata: { id: 7 } }, context)?.id,
    ).toBe('gptme-derived');
  });

  it('a missing timestamp takes the fallback; a bad one, a bad role or content, makes the line unreadable', () => {
    expect(messageFromLine({ role: 'user', content: 'a' }, context)?.timestamp).toBe(context.timestamp);
    expect(messageFromLine({ role: 'user', content: 'a' }, { id: 'x' })).toBeUndefined();
    for (const raw of [
      { role: 'user', content: 'a', timestamp: 'soon' },
      { role: 'user', content: 'a', timestamp: 5 },
      { role: 'critic', content: 'a', timestamp: at },
      { role: 'user', content: ['a'], timestamp: at },
      null,
      [],
      'text',
    ])
      expect(messageFromLine(raw, context), JSON.stringify(raw)).toBeUndefined();
  });

  it('a line Deskmate wrote before (a top-level id, maybe the tool role) is read as it was written', () => {
    const old = {
      id: 'm1',
      role: 'tool',
      content: 'out',
      timestamp: at,
      call_id: 'c1',
      metadata: { exitCode: 0 },
    };
    expect(messageFromLine(old, context)).toBe(old);
    expect(messageFromLine({ ...old, id: 1 }, context)).toBeUndefined();
    expect(messageFromLine({ ...old, role: 'wizard' }, context)).toBeUndefined();
    expect(messageFromLine({ ...old, timestamp: undefined }, context)).toBeUndefined();
  });
});

describe('a message, written as a gptme line', () => {
  it("a tool result is a system message with call_id; the id and Deskmate's facts are metadata", () => {
    const result: Message = {
      id: 't1',
      role: 'tool',
      content: 'out',
      timestamp: at,
      call_id: 'call (1)',
      metadata: { exitCode: 2, args: { command: 'ls' }, edited: true },
    };
    expect(lineOfMessage(result)).toEqual({
      role: 'system',
      content: 'out',
      timestamp: at,
      call_id: 'call__1_',
      metadata: { exitCode: 2, args: { command: 'ls' }, edited: true, id: 't1' },
    });
  });

  it('calls go into the content, usage under its gptme names, and it reads back as it was', () => {
    const reply: Message = {
      id: 'a1',
      role: 'assistant',
      content: 'Looking.',
      timestamp: at,
      tool_calls: [{ id: 'c1', name: 'read', args: { path: 'a.txt' } }],
      pinned: true,
      hide: true,
      files: ['/x'],
      file_hashes: { '/x': 'h' },
      ephemeral_ttl: 1,
      metadata: {
        model: 'm',
        cost: 0.1,
        usage: { promptTokens: 3, completionTokens: 4, cacheReadTokens: 1, cacheCreationTokens: 0 },
      },
    };
    const line = lineOfMessage(reply);
    expect(line).toEqual({
      role: 'assistant',
      content: 'Looking.\n\n@read(c1): {"path":"a.txt"}',
      timestamp: at,
      files: ['/x'],
      file_hashes: { '/x': 'h' },
      pinned: true,
      hide: true,
      ephemeral_ttl: 1,
      metadata: {
        model: 'm',
        cost: 0.1,
        usage: { input_tokens: 3, output_tokens: 4, cache_read_tokens: 1, cache_creation_tokens: 0 },
        id: 'a1',
      },
    });
    expect(messageFromLine(JSON.parse(JSON.stringify(line)), context)).toEqual(reply);
    const bare: Message = { id: 'u1', role: 'user', content: 'hi', timestamp: at };
    expect(lineOfMessage(bare)).toEqual({
      role: 'user',
      content: 'hi',
      timestamp: at,
      metadata: { id: 'u1' },
    });
    expect(messageFromLine(lineOfMessage(bare), context)).toEqual(bare);
  });
});

describe('the edges of a line', () => {
  it('token counts that are not finite numbers are not kept, and no key is written for what is absent', () => {
    const read = messageFromLine(
      {
        role: 'assistant',
        content: 'a',
        timestamp: at,
        metadata: { usage: { input_tokens: null, output_tokens: 2, cache_read_tokens: 'x' } },
      },
      context,
    );
    expect(read?.metadata).toStrictEqual({ usage: { promptTokens: 0, completionTokens: 2 } });
    const written = lineOfMessage({
      id: 'a',
      role: 'assistant',
      content: 'x',
      timestamp: at,
      metadata: { usage: { promptTokens: 1, completionTokens: 2 } },
    });
    expect(written).toStrictEqual({
      role: 'assistant',
      content: 'x',
      timestamp: at,
      metadata: { usage: { input_tokens: 1, output_tokens: 2 }, id: 'a' },
    });
  });

  it('only an assistant has calls in its content, and only a system message with a text call_id is a result', () => {
    const text = '@shell(c1): {"command": "ls"}';
    expect(messageFromLine({ role: 'user', content: text, timestamp: at }, context)).toStrictEqual({
      id: 'gptme-derived',
      role: 'user',
      content: text,
      timestamp: at,
    });
    expect(messageFromLine({ role: 'system', content: 'x', timestamp: at, call_id: 5 }, context)?.role).toBe(
      'system',
    );
    const user = { id: 'u', role: 'user' as const, content: 'hi', timestamp: at, tool_calls: [] };
    expect(lineOfMessage({ ...user, tool_calls: [{ id: 'c', name: 'shell', args: {} }] }).content).toBe('hi');
  });

  it('any line with a top-level id is read as Deskmate wrote it before, whatever its role', () => {
    const old = { id: 'u1', role: 'user', content: 'hi', timestamp: at };
    expect(messageFromLine(old, context)).toBe(old);
    expect(messageFromLine({ ...old, content: 5 }, context)).toBeUndefined();
    expect(
      messageFromLine({ role: 'tool', content: 'x', timestamp: at, call_id: 'c' }, context),
    ).toBeUndefined();
  });
});
