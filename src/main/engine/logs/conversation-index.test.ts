import { appendFile, readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../../test/support/temp-dir';
import type { Message } from '../../../shared/domain';
import { ConversationStore } from './conversation-store';

const message = (content: string): Message => ({
  id: `m-${content}`,
  role: 'user',
  content,
  timestamp: '2026-11-26T00:00:00.000Z',
});

describe('the conversation index', () => {
  it('sees what another store (another process: the CLI beside the app) changed', async () => {
    const dir = await tempDir();
    const app = new ConversationStore(dir);
    const cli = new ConversationStore(dir);
    const first = await app.create({ name: 'From the app' });
    expect((await app.list()).total).toBe(1);
    const second = await cli.create({ name: 'From the CLI' });
    await cli.append(first.id, message('added by the cli'));
    const listed = await app.list();
    expect(listed.items.map((i) => i.id)).toEqual([first.id, second.id]);
    expect(listed.items[0]).toMatchObject({ messageCount: 1 });
    await cli.delete(second.id);
    expect((await app.list()).items.map((i) => i.id)).toEqual([first.id]);
  });

  it('survives a torn line and a folder it never heard of', async () => {
    const dir = await tempDir();
    const store = new ConversationStore(dir);
    const kept = await store.create({ name: 'Kept' });
    const journal = path.join(dir, 'conversations', 'index.jsonl');
    await appendFile(journal, '{"id": "2026-11-26-torn", "na');
    await appendFile(journal, '\n');
    // A conversation written without an index line (as a crash between the two writes would leave).
    const lonely = await new ConversationStore(dir).create({ name: 'Lonely' });
    const lines = (await readFile(journal, 'utf8')).split('\n').filter((l) => !l.includes(lonely.id));
    await rm(journal);
    await appendFile(journal, lines.join('\n'));
    const listed = await new ConversationStore(dir).list();
    expect(listed.items.map((i) => i.name).sort()).toEqual(['Kept', 'Lonely']);
    expect(listed.items.find((i) => i.id === kept.id)).toBeDefined();
  });

  it('compacts a long journal without losing a conversation', async () => {
    const dir = await tempDir();
    const store = new ConversationStore(dir);
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push((await store.create({ name: `c${i}` })).id);
    for (let i = 0; i < 2_100; i++) await store.append(ids[i % 5]!, { ...message(`n${i}`), id: `m${i}` });
    const before = (await readFile(path.join(dir, 'conversations', 'index.jsonl'), 'utf8')).split(
      '\n',
    ).length;
    const listed = await store.list();
    const after = (await readFile(path.join(dir, 'conversations', 'index.jsonl'), 'utf8')).split('\n').length;
    expect(before).toBeGreaterThan(2_000);
    expect(after).toBeLessThan(10);
    expect(listed.items.map((i) => i.messageCount).sort()).toEqual([420, 420, 420, 420, 420]);
    expect((await new ConversationStore(dir).list()).total).toBe(5);
    // The rewritten journal is as private as the appended one, and no temp file is left beside it.
    const journal = path.join(dir, 'conversations', 'index.jsonl');
    expect((await stat(journal)).mode & 0o777).toBe(0o600);
    expect((await readdir(path.dirname(journal))).filter((name) => name.includes('index'))).toEqual([
      'index.jsonl',
    ]);
  });
});
