import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { usePermissiveUmask } from '../../../../test/support/permissive-umask';
import { tempDir } from '../../../../test/support/temp-dir';
import type { Message } from '../../../shared/domain';
import {
  appendMessage,
  isMessage,
  parseMessageLog,
  readMessageLog,
  rewriteMessageLog,
  serializeMessages,
} from './message-log';

const message = (n: number): Message => ({
  id: `m${n}`,
  role: 'user',
  content: `line ${n}\nwith a newline`,
  timestamp: '2026-11-26T10:00:00.000Z',
});

describe('the message log', () => {
  it('round-trips messages, one line each, even with newlines in the content', () => {
    const messages = [message(1), message(2)];
    const text = serializeMessages(messages);
    expect(text.split('\n')).toHaveLength(3);
    expect(parseMessageLog(text)).toEqual({ messages, skippedLines: 0, truncatedTail: false });
  });

  it('skips a cut last line without counting it as a lost middle line', () => {
    const text = `${serializeMessages([message(1), message(2)])}{"id":"m3","role":"assis`;
    expect(parseMessageLog(text)).toEqual({
      messages: [message(1), message(2)],
      skippedLines: 0,
      truncatedTail: true,
    });
  });

  it('counts unreadable lines in the middle and keeps the rest', () => {
    const good = serializeMessages([message(1)]);
    const text = `${good}not json\n{"valid":"json but not a message"}\n${serializeMessages([message(2)])}`;
    expect(parseMessageLog(text)).toEqual({
      messages: [message(1), message(2)],
      skippedLines: 2,
      truncatedTail: false,
    });
  });

  it('reads an absent log as empty', async () => {
    const dir = await tempDir();
    expect(await readMessageLog(path.join(dir, 'none.jsonl'))).toEqual({
      messages: [],
      skippedLines: 0,
      truncatedTail: false,
    });
  });

  it('starts a new line after a cut one instead of gluing onto it', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'conversation.jsonl');
    await writeFile(file, `${serializeMessages([message(1)])}{"id":"cut`);
    await appendMessage(file, message(2));
    const text = await readFile(file, 'utf8');
    expect(text.endsWith(serializeMessages([message(2)]))).toBe(true);
    expect(parseMessageLog(text)).toEqual({
      messages: [message(1), message(2)],
      skippedLines: 1,
      truncatedTail: false,
    });
  });
});

describe('rewriting the log', () => {
  it('changes and drops messages and keeps every line it cannot read where it was', () => {
    const text = `${serializeMessages([message(1)])}not json\n${serializeMessages([message(2), message(3)])}{"cut`;
    const { text: next, messages } = rewriteMessageLog(text, (m) =>
      m.id === 'm2' ? null : m.id === 'm3' ? { ...m, content: 'changed' } : m,
    );
    expect(messages.map((m) => m.id)).toEqual(['m1', 'm3']);
    const lines = next.split('\n');
    expect(lines[0]).toBe(serializeMessages([message(1)]).trimEnd());
    expect(lines[1]).toBe('not json');
    expect(JSON.parse(lines[2]!)).toMatchObject({ content: 'changed', metadata: { id: 'm3' } });
    expect(lines[3]).toBe('{"cut');
    expect(next.endsWith('\n')).toBe(true);
  });
});

describe('what counts as a message line', () => {
  it('is an object with an id, a known role, text content and a timestamp', () => {
    const ok = message(1);
    const lines = [
      'null',
      '[]',
      '"text"',
      '42',
      JSON.stringify([ok]),
      JSON.stringify({ ...ok, id: 1 }),
      JSON.stringify({ ...ok, role: 'wizard' }),
      JSON.stringify({ ...ok, content: null }),
      JSON.stringify({ ...ok, timestamp: 0 }),
      JSON.stringify(ok),
    ];
    expect(parseMessageLog(lines.join('\n'))).toEqual({
      messages: [ok],
      skippedLines: 9,
      truncatedTail: false,
    });
    for (const role of ['system', 'user', 'assistant', 'tool'] as const) {
      expect(parseMessageLog(JSON.stringify({ ...ok, role })).messages, role).toHaveLength(1);
    }
  });

  it('ignores blank and whitespace-only lines, counting nothing lost', () => {
    const text = `\n  \n${serializeMessages([message(1)])}\n\t\n${serializeMessages([message(2)])}\n \n`;
    expect(parseMessageLog(text)).toEqual({
      messages: [message(1), message(2)],
      skippedLines: 0,
      truncatedTail: false,
    });
  });

  it('reports, rather than hides, a log it cannot read', async () => {
    const dir = await tempDir();
    await expect(readMessageLog(dir)).rejects.toMatchObject({ code: 'EISDIR' });
  });
});

describe('appending', () => {
  usePermissiveUmask();

  it('creates the log readable by its owner only, and adds no blank lines', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'conversation.jsonl');
    await appendMessage(file, message(1));
    await appendMessage(file, message(2));
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readFile(file, 'utf8')).toBe(serializeMessages([message(1), message(2)]));
    const empty = path.join(dir, 'empty.jsonl');
    await writeFile(empty, '');
    await appendMessage(empty, message(3));
    expect(await readFile(empty, 'utf8')).toBe(serializeMessages([message(3)]));
  });
});

describe('a rewrite', () => {
  it('leaves the lines of unchanged messages as they were written, and drops blank lines', () => {
    const spaced = `{ "id": "m1", "role": "user", "content": "a", "timestamp": "t" }`;
    const text = `${spaced}\n\n${serializeMessages([message(2)])}`;
    const seen: Array<[string, number, string[]]> = [];
    const { text: next, messages } = rewriteMessageLog(text, (m, index, all) => {
      seen.push([m.id, index, all.map((a) => a.id)]);
      return m;
    });
    expect(next).toBe(`${spaced}\n${serializeMessages([message(2)])}`);
    expect(messages.map((m) => m.id)).toEqual(['m1', 'm2']);
    expect(seen).toEqual([
      ['m1', 0, ['m1', 'm2']],
      ['m2', 1, ['m1', 'm2']],
    ]);
  });

  it('drops whitespace-only lines too, and shows a change only the messages it could read', () => {
    const text = `${serializeMessages([message(1)])} \t \nnot json\n${serializeMessages([message(2)])}`;
    const seen: number[] = [];
    const { text: next } = rewriteMessageLog(text, (m, _index, all) => {
      seen.push(all.length);
      return m;
    });
    expect(next).toBe(`${serializeMessages([message(1)])}not json\n${serializeMessages([message(2)])}`);
    expect(seen).toEqual([2, 2]);
  });
});

describe('isMessage', () => {
  it('refuses null, undefined, text and lists without throwing', () => {
    for (const value of [null, undefined, 'text', 42, [message(1)]])
      expect(isMessage(value), String(value)).toBe(false);
  });

  it('reads an empty log as no messages, with nothing lost', () => {
    expect(parseMessageLog('')).toEqual({ messages: [], skippedLines: 0, truncatedTail: false });
  });
});

describe('a log gptme wrote', () => {
  const line = (content: string, extra: Record<string, unknown> = {}) =>
    JSON.stringify({ role: 'user', content, timestamp: '2026-03-02T10:00:00', ...extra });

  it('gives each line an id made from its text, the same on every read and rewrite, numbered when repeated', () => {
    const text = [line('a'), line('b'), line('a'), line('a')].join('\n');
    const ids = parseMessageLog(text).messages.map((m) => m.id);
    expect(new Set(ids).size).toBe(4);
    expect(ids[2]).toBe(`${ids[0]}-1`);
    expect(ids[3]).toBe(`${ids[0]}-2`);
    expect(ids[0]).toMatch(/^gptme-[0-9a-f]{16}$/);
    expect(parseMessageLog(text).messages.map((m) => m.id)).toEqual(ids);
    const seen: string[] = [];
    rewriteMessageLog(text, (m) => (seen.push(m.id), m));
    expect(seen).toEqual(ids);
    // Dropping one line leaves the others their ids (a delete in the window finds what it showed).
    const { messages } = rewriteMessageLog(text, (m) => (m.id === ids[1] ? null : m));
    expect(messages.map((m) => m.id)).toEqual([ids[0], ids[2], ids[3]]);
  });

  it('dates a line without a timestamp by the fallback, and reads the file with its modification time', async () => {
    const text = JSON.stringify({ role: 'system', content: 'old', hide: true });
    expect(parseMessageLog(text).truncatedTail).toBe(true);
    expect(parseMessageLog(text, '2020-01-01T00:00:00.000Z').messages[0]?.timestamp).toBe(
      '2020-01-01T00:00:00.000Z',
    );
    expect(rewriteMessageLog(text, (m) => m, '2020-01-01T00:00:00.000Z').messages).toHaveLength(1);
    const dir = await tempDir();
    const file = path.join(dir, 'conversation.jsonl');
    await writeFile(file, `${text}\n`);
    const { mtime } = await stat(file);
    expect((await readMessageLog(file)).messages[0]?.timestamp).toBe(mtime.toISOString());
  });
});
