import { appendFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTestEngine } from '../../../../test/support/engine';
import { workedConversation } from '../../../../test/support/export-fixtures';
import type { RpcResult } from '../../../shared/errors';
import type { ExportedConversation } from './export-conversation';

/** A real engine and a conversation on disk holding the worked fixture's messages, and a broken line. */
async function engineWithConversation(name = 'Fix the build') {
  const engine = await createTestEngine();
  engine.connect('w');
  const { conversations } = engine.services;
  const made = await conversations.create({ name });
  for (const message of workedConversation().messages) await conversations.append(made.id, message);
  const log = path.join(engine.dataDir, 'conversations', made.id, 'conversation.jsonl');
  const call = async (format: string, id = made.id) =>
    (await engine.router.handle('w', 'conversation.export', {
      id,
      format,
    })) as RpcResult<ExportedConversation>;
  return { engine, id: made.id, log, call };
}

describe('conversation.export', () => {
  it('gives the log as gptme reads it: every line exactly as on disk, unreadable ones too', async () => {
    const { log, call } = await engineWithConversation();
    await appendFile(
      log,
      '{"role": "user", "content": "broken\n{"id":"late","role":"user","content":"after","timestamp":"t"}\n',
    );
    const result = await call('jsonl');
    expect(result).toEqual({
      ok: true,
      value: { fileName: 'Fix_the_build.jsonl', text: await readFile(log, 'utf8') },
    });
  });

  it('gives a page and a document that say a line is missing from them', async () => {
    const { log, call } = await engineWithConversation();
    await appendFile(
      log,
      'not json\n{"id":"late","role":"user","content":"after the break","timestamp":"t"}\n',
    );
    const html = await call('html');
    if (!html.ok) throw new Error(html.error.message);
    expect(html.value.fileName).toBe('Fix_the_build.html');
    expect(html.value.text).toContain('1 line of this conversation');
    expect(html.value.text).toContain('after the break');
    expect(html.value.text).toContain('<details class="tool">');
    const md = await call('md');
    if (!md.ok) throw new Error(md.error.message);
    expect(md.value.fileName).toBe('Fix_the_build.md');
    expect(md.value.text).toMatch(/^# Fix the build\n/);
    expect(md.value.text).toContain('1 line of this conversation');
  });

  it('counts a cut last line among the missing ones', async () => {
    const { log, call } = await engineWithConversation();
    await appendFile(log, 'not json\n{"id":"cut","role":"user","con');
    const md = await call('md');
    expect(md.ok && md.value.text).toContain("2 lines of this conversation's log could not be read");
  });

  it('keeps a long name to 100 characters before its extension', async () => {
    const { call } = await engineWithConversation('a'.repeat(150));
    const md = await call('md');
    expect(md.ok && md.value.fileName).toBe(`${'a'.repeat(100)}.md`);
  });

  it('names the file after the conversation, safely, or after its id when the name has nothing left', async () => {
    const odd = await engineWithConversation('../../etc/passwd <x>');
    const named = await odd.call('md');
    expect(named.ok && named.value.fileName).toBe('etc_passwd_x_.md');
    const none = await engineWithConversation('日本語');
    const byId = await none.call('jsonl');
    expect(byId.ok && byId.value.fileName).toBe(`${none.id}.jsonl`);
  });

  it('refuses an unknown format or conversation and changes nothing', async () => {
    const { call, log } = await engineWithConversation();
    const before = await readFile(log, 'utf8');
    const pdf = await call('pdf');
    expect(pdf.ok || pdf.error).toMatchObject({ name: 'InvalidRequest' });
    const missing = await call('html', '2026-01-01-ffffff');
    expect(missing.ok || missing.error).toMatchObject({ name: 'NotFound' });
    const outside = await call('jsonl', '..');
    expect(outside.ok || outside.error).toMatchObject({ name: 'InvalidRequest' });
    expect(await readFile(log, 'utf8')).toBe(before);
  });

  it('exports a conversation another window has open, and an empty one', async () => {
    const { engine, id, call } = await engineWithConversation();
    const other = engine.connect('other');
    await other.chat.open(id);
    expect((await call('html')).ok).toBe(true);
    const empty = await engine.services.conversations.create({ name: 'Empty' });
    expect(await call('jsonl', empty.id)).toEqual({ ok: true, value: { fileName: 'Empty.jsonl', text: '' } });
  });
});
