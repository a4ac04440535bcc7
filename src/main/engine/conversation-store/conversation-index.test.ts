import { appendFile, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { usePermissiveUmask } from '../../../../test/support/permissive-umask';
import { tempDir } from '../../../../test/support/temp-dir';
import type { Message } from '../../../shared/domain';
import { ConversationIndex } from './conversation-index';
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
    // 2,100 real appends: 4–10 s alone, over 20 s on two cores shared with other suites.
  }, 60_000);
});

describe('the journal, read line by line', () => {
  const summary = (id: string, extra: Record<string, unknown> = {}) => ({
    id,
    name: `name ${id}`,
    updatedAt: '2026-01-01T00:00:00.000Z',
    messageCount: 2,
    shownCount: 1,
    workspace: '/w',
    ...extra,
  });
  const fromDisk = (id: string) => Promise.resolve({ ...summary(id), name: `read from ${id}` });

  async function journalWith(lines: unknown[], folders: string[]) {
    const root = path.join(await tempDir(), 'conversations');
    await mkdir(root);
    for (const id of folders) await mkdir(path.join(root, id));
    await writeFile(
      path.join(root, 'index.jsonl'),
      lines.map((l) => `${typeof l === 'string' ? l : JSON.stringify(l)}\n`).join(''),
    );
    return root;
  }

  it('takes the last line per id, forgets deleted ids, and reads a folder again for a line it cannot use', async () => {
    const ids = ['c-1', 'c-2', 'c-3', 'c-4', 'c-5', 'c-6', 'c-7'];
    const root = await journalWith(
      [
        summary('c-1', { name: 'old' }),
        summary('c-1', { name: 'new', messageCount: 'many', workspace: 7 }),
        summary('c-2'),
        { id: 'c-2', deleted: true },
        { ...summary('c-3'), name: 3 },
        { ...summary('c-4'), updatedAt: undefined },
        // From before the shown count.
        { ...summary('c-5'), shownCount: undefined },
        summary('../c-6'),
        // A folder deleted by hand: its line no longer counts.
        summary('c-gone'),
        '{"id": "c-7", "na',
        'null',
      ],
      ids,
    );
    const loaded: string[] = [];
    const all = await new ConversationIndex(root).all((id) => {
      loaded.push(id);
      return fromDisk(id);
    });
    const byId = new Map(all.map((e) => [e.id, e]));
    expect(byId.get('c-1')).toEqual({ ...summary('c-1'), name: 'new', messageCount: 0, workspace: null });
    expect(loaded.sort()).toEqual(['c-2', 'c-3', 'c-4', 'c-5', 'c-6', 'c-7']);
    expect(byId.get('c-5')?.name).toBe('read from c-5');
    expect(byId.has('c-gone')).toBe(false);
    // What was read from a folder is journalled, so the next list reads no folder.
    const again: string[] = [];
    await new ConversationIndex(root).all((id) => {
      again.push(id);
      return fromDisk(id);
    });
    expect(again).toEqual([]);
  });

  it('skips a folder that cannot be read, and lists nothing without a conversations folder', async () => {
    const root = await journalWith([], ['c-1', 'c-2']);
    const all = await new ConversationIndex(root).all(async (id) =>
      id === 'c-1' ? undefined : fromDisk(id),
    );
    expect(all.map((e) => e.id)).toEqual(['c-2']);
    const missing = path.join(await tempDir(), 'conversations');
    const index = new ConversationIndex(missing);
    await index.record(summary('c-9'));
    await index.remove('c-9');
    expect(await index.all(fromDisk)).toEqual([]);
    await expect(readdir(missing)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('fails loudly when the conversations folder is a file, or the journal a folder', async () => {
    const base = await tempDir();
    await writeFile(path.join(base, 'conversations'), 'x');
    await expect(new ConversationIndex(path.join(base, 'conversations')).all(fromDisk)).rejects.toMatchObject(
      {
        code: 'ENOTDIR',
      },
    );
    const root = path.join(await tempDir(), 'conversations');
    await mkdir(path.join(root, 'index.jsonl'), { recursive: true });
    await expect(new ConversationIndex(root).record(summary('c-1'))).rejects.toMatchObject({
      code: 'EISDIR',
    });
  });

  it('reads only whole lines: a line being written is read once it ends', async () => {
    const root = await journalWith([summary('c-1')], ['c-1', 'c-2']);
    const index = new ConversationIndex(root);
    const none = () => Promise.resolve(undefined);
    expect((await index.all(none)).map((e) => e.id)).toEqual(['c-1']);
    const journal = path.join(root, 'index.jsonl');
    const line = JSON.stringify(summary('c-2', { name: 'late' }));
    await appendFile(journal, line.slice(0, 20));
    expect((await index.all(none)).map((e) => e.id)).toEqual(['c-1']);
    await appendFile(journal, `${line.slice(20)}\n`);
    expect((await index.all(none)).find((e) => e.id === 'c-2')).toMatchObject({
      name: 'late',
      workspace: '/w',
    });
  });

  it('starts again from the top of a journal another process replaced or cut', async () => {
    const root = await journalWith([summary('c-1', { name: 'one' }), summary('c-2')], ['c-1', 'c-2']);
    const index = new ConversationIndex(root);
    const none = () => Promise.resolve(undefined);
    expect((await index.all(none)).map((e) => e.name).sort()).toEqual(['name c-2', 'one']);
    // Cut shorter in place (same file).
    await writeFile(path.join(root, 'index.jsonl'), `${JSON.stringify(summary('c-1', { name: 'uno' }))}\n`);
    expect((await index.all(none)).map((e) => e.name)).toEqual(['uno']);
    // Replaced by a new file of the same length.
    const replacement = path.join(root, 'replacement');
    await writeFile(replacement, `${JSON.stringify(summary('c-1', { name: 'eno' }))}\n`);
    await rename(replacement, path.join(root, 'index.jsonl'));
    expect((await index.all(none)).map((e) => e.name)).toEqual(['eno']);
  });
});

describe('the journal kept short and private', () => {
  usePermissiveUmask();

  const entry = (id: string) => ({
    id,
    name: id,
    updatedAt: 't',
    messageCount: 0,
    shownCount: 0,
    workspace: null,
  });

  async function root(folders: string[], journalLines: number) {
    const dir = path.join(await tempDir(), 'conversations');
    await mkdir(dir);
    for (const id of folders) await mkdir(path.join(dir, id));
    const lines = Array.from({ length: journalLines }, (_, i) =>
      JSON.stringify(entry(folders[i % folders.length]!)),
    );
    await writeFile(path.join(dir, 'index.jsonl'), `${lines.join('\n')}\n`);
    return dir;
  }
  const lineCount = async (dir: string) =>
    (await readFile(path.join(dir, 'index.jsonl'), 'utf8')).split('\n').filter(Boolean).length;
  const none = () => Promise.resolve(undefined);

  it('is rewritten once it holds over 2000 lines and three times more lines than conversations', async () => {
    const dir = await root(['c-1', 'c-2'], 2001);
    expect((await new ConversationIndex(dir).all(none)).map((e) => e.id).sort()).toEqual(['c-1', 'c-2']);
    expect(await lineCount(dir)).toBe(2);
    expect((await stat(path.join(dir, 'index.jsonl'))).mode & 0o777).toBe(0o600);
  });

  it('is left alone at 2000 lines, or while most lines are conversations of their own', async () => {
    const exact = await root(['c-1'], 2000);
    await new ConversationIndex(exact).all(none);
    expect(await lineCount(exact)).toBe(2000);
    const many = Array.from({ length: 700 }, (_, i) => `c-${i}`);
    const busy = await root(many, 2001);
    await new ConversationIndex(busy).all(none);
    expect(await lineCount(busy)).toBe(2001);
  });

  it('is appended to readable by its owner only', async () => {
    const dir = path.join(await tempDir(), 'conversations');
    await mkdir(dir);
    await new ConversationIndex(dir).record(entry('c-1'));
    expect((await stat(path.join(dir, 'index.jsonl'))).mode & 0o777).toBe(0o600);
  });

  it('tells another reader that a conversation was removed, so it reads the folder again', async () => {
    const dir = await root(['c-1'], 1);
    const writer = new ConversationIndex(dir);
    const reader = new ConversationIndex(dir);
    const loaded: string[] = [];
    const load = async (id: string) => {
      loaded.push(id);
      return entry(id);
    };
    await reader.all(load);
    expect(loaded).toEqual([]);
    await writer.remove('c-1');
    await reader.all(load);
    expect(loaded).toEqual(['c-1']);
  });
});
