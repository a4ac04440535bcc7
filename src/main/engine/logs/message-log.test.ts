import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../../test/support/temp-dir';
import type { Message } from '../../../shared/domain';
import {
  appendMessage,
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
    expect(text.endsWith(`${JSON.stringify(message(2))}\n`)).toBe(true);
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
    expect(lines[0]).toBe(JSON.stringify(message(1)));
    expect(lines[1]).toBe('not json');
    expect(JSON.parse(lines[2]!)).toMatchObject({ id: 'm3', content: 'changed' });
    expect(lines[3]).toBe('{"cut');
    expect(next.endsWith('\n')).toBe(true);
  });
});
