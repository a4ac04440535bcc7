import { createHash } from 'node:crypto';
import { cp, mkdir, readdir, readFile, stat, symlink, truncate, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bounded } from '../../../../../test/support/bounded';
import { makeFifo } from '../../../../../test/support/fifo';
import { tempDir } from '../../../../../test/support/temp-dir';
import { isNamedError } from '../../../../shared/errors';
import { ConversationStore } from '../conversation-store';
import { importGptmeConversations } from './import-gptme';
import { MAX_CONFIG_BYTES, MAX_LOG_BYTES } from './source-conversation';

const FIXTURES = path.resolve(__dirname, '../../../../../test/fixtures/gptme-logs');
const TIDY = '2026-03-02-tidy-project';
const MARKDOWN = '2026-03-01-markdown-tools';
const SECRET = 'ssh-rsa PRIVATE-KEY-material-7f3a';
const line = (content: string, role = 'user') =>
  `${JSON.stringify({ role, content, timestamp: '2026-03-05T10:00:00' })}\n`;

async function setup() {
  const dataDir = await tempDir('deskmate-data-');
  const source = await tempDir('gptme-logs-');
  const store = new ConversationStore(dataDir);
  const conversations = path.join(dataDir, 'conversations');
  const folder = async (
    name: string,
    files: Record<string, string> = { 'conversation.jsonl': line('Hi') },
  ) => {
    await mkdir(path.join(source, name));
    for (const [file, text] of Object.entries(files)) await writeFile(path.join(source, name, file), text);
    return path.join(source, name);
  };
  return { dataDir, source, store, conversations, folder };
}

/** Every file under `dir`, as relative paths. */
async function filesUnder(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((entry) => !entry.isDirectory())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

describe('importing gptme conversations', () => {
  it('copies the fixture in, lists it as gptme wrote it, and a second import adds nothing', async () => {
    const { source, store, conversations } = await setup();
    await cp(FIXTURES, source, { recursive: true });
    const changes: number[] = [];
    store.onDidChange(() => changes.push(1));

    const first = await importGptmeConversations(store, source);
    expect(first.imported.map((item) => item.id)).toEqual([MARKDOWN, TIDY]);
    // A message with no time at all is read as the store reads it: with the file's time.
    expect(first.imported[0]?.notes).toEqual([]);
    expect(first.imported[1]?.notes).toEqual([
      '1 line cannot be read: kept as it is, and the window says so',
      'its workspace /srv/gptme-fixture/project is not a folder here: it opens without one',
    ]);
    expect(first.alreadyPresent).toEqual([]);
    // README.md is a file, not a conversation folder: not counted.
    expect(first.unreadable).toEqual([]);
    expect(changes.length).toBe(2);
    for (const id of [MARKDOWN, TIDY]) {
      const from = path.join(source, id, 'conversation.jsonl');
      const to = path.join(conversations, id, 'conversation.jsonl');
      expect(await readFile(to)).toEqual(await readFile(from));
      // Kept to the millisecond (utimes takes no finer time here): the list orders by it.
      expect(Math.abs((await stat(to)).mtimeMs - (await stat(from)).mtimeMs)).toBeLessThan(1);
      expect((await stat(to)).mode & 0o777).toBe(0o600);
    }
    expect(await readFile(path.join(conversations, TIDY, 'config.toml'))).toEqual(
      await readFile(path.join(source, TIDY, 'config.toml')),
    );
    const { items } = await store.list();
    expect(items.map((item) => [item.id, item.name, item.messageCount])).toEqual(
      expect.arrayContaining([[TIDY, 'Tidy the project', 12]]),
    );

    const second = await importGptmeConversations(store, source);
    expect(second).toEqual({
      source,
      imported: [],
      alreadyPresent: [
        { folder: MARKDOWN, id: MARKDOWN },
        { folder: TIDY, id: TIDY },
      ],
      unreadable: [],
    });
    expect((await store.list()).total).toBe(2);
    expect((await readdir(conversations)).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it('knows a conversation continued, retried or copied here by hand as already present', async () => {
    const { source, store, folder, conversations } = await setup();
    await folder('continued', { 'conversation.jsonl': line('Hi') + line('Hello', 'assistant') });
    await folder('by-hand', { 'conversation.jsonl': line('By hand') });
    await cp(path.join(source, 'by-hand'), path.join(conversations, 'by-hand'), { recursive: true });
    await importGptmeConversations(store, source);
    // A failure noted rewrites every line in Deskmate's form: the log no longer starts as gptme's did.
    await store.updateMessages(
      'continued',
      (message) => ({ ...message, metadata: { failure: 'x' } }) as never,
    );
    await store.append('continued', {
      id: 'm1',
      role: 'user',
      content: 'More',
      timestamp: new Date().toISOString(),
    });
    const again = await importGptmeConversations(store, source);
    expect(again.imported).toEqual([]);
    expect(again.alreadyPresent.map((item) => item.id)).toEqual(['by-hand', 'continued']);
  });

  it("never replaces a conversation here with another's id: the import goes beside it, once", async () => {
    const { source, store, folder, conversations } = await setup();
    await mkdir(path.join(conversations, 'shared-name'), { recursive: true });
    await writeFile(path.join(conversations, 'shared-name', 'conversation.jsonl'), line('Mine'));
    await folder('shared-name', { 'conversation.jsonl': line('Theirs') });

    const first = await importGptmeConversations(store, source);
    expect(first.imported).toEqual([
      {
        folder: 'shared-name',
        id: 'shared-name-1',
        notes: ['shared-name is another conversation here: imported as shared-name-1'],
      },
    ]);
    expect(await readFile(path.join(conversations, 'shared-name', 'conversation.jsonl'), 'utf8')).toBe(
      line('Mine'),
    );
    const second = await importGptmeConversations(store, source);
    expect(second.alreadyPresent).toEqual([{ folder: 'shared-name', id: 'shared-name-1' }]);
    expect(second.imported).toEqual([]);
  });

  it('reports every progress hundred with the total', async () => {
    const { source, store, folder } = await setup();
    for (let n = 0; n < 250; n++) await folder(`c${String(n).padStart(3, '0')}`);
    const progress: unknown[] = [];
    const summary = await importGptmeConversations(store, source, { onProgress: (p) => progress.push(p) });
    expect(progress).toEqual([
      { done: 100, total: 250 },
      { done: 200, total: 250 },
    ]);
    expect(summary.imported).toHaveLength(250);
  });

  it('stops when aborted, leaving whole conversations and no half one', async () => {
    const { source, store, folder, conversations } = await setup();
    for (let n = 0; n < 150; n++) await folder(`c${String(n).padStart(3, '0')}`);
    const abort = new AbortController();
    const run = importGptmeConversations(store, source, {
      signal: abort.signal,
      onProgress: () => abort.abort(new Error('stop')),
    });
    await expect(run).rejects.toThrow('stop');
    const names = await readdir(conversations);
    expect(names.filter((name) => name.startsWith('.import-'))).toEqual([]);
    const ids = names.filter((name) => name.startsWith('c'));
    expect(ids).toHaveLength(100);
    for (const id of ids)
      expect(await filesUnder(path.join(conversations, id))).toEqual([
        'conversation.jsonl',
        'gptme-import.json',
      ]);
    // The rest comes with the next import.
    const rest = await importGptmeConversations(store, source);
    expect([rest.alreadyPresent.length, rest.imported.length]).toEqual([100, 50]);
  });

  it('says clearly when the source folder is missing or not a folder', async () => {
    const { source, store } = await setup();
    await writeFile(path.join(source, 'file'), 'x');
    for (const missing of [path.join(source, 'gone'), path.join(source, 'file')]) {
      const error = await importGptmeConversations(store, missing).catch((e: unknown) => e);
      expect(isNamedError(error, 'ImportSourceNotFound'), missing).toBe(true);
      expect((error as Error).message).toBe(`No folder of gptme conversations at ${missing}`);
    }
  });

  it('follows a source folder that is a symlink: the user named it', async () => {
    const { source, store, folder } = await setup();
    await folder('one');
    const link = path.join(await tempDir(), 'logs');
    await symlink(source, link);
    expect((await importGptmeConversations(store, link)).imported).toHaveLength(1);
  });

  it('removes what a crashed import left, but not a staging folder of an hour ago or less', async () => {
    const { store, source, conversations } = await setup();
    await mkdir(path.join(conversations, '.import-old'), { recursive: true });
    await mkdir(path.join(conversations, '.import-new'), { recursive: true });
    const old = new Date(Date.now() - 2 * 60 * 60 * 1000);
    await utimes(path.join(conversations, '.import-old'), old, old);
    await importGptmeConversations(store, source);
    expect((await readdir(conversations)).filter((name) => name.startsWith('.import-'))).toEqual([
      '.import-new',
    ]);
  });
});

describe('a hostile source folder', () => {
  it('gives folder names that are not safe ids a safe one, and skips hidden folders', async () => {
    const { source, store, conversations } = await setup();
    const names = ['fix bug', 'red\u001b[31m', 'con', '-dash', 'ünï'];
    for (const name of [...names, '.hidden']) {
      await mkdir(path.join(source, name));
      await writeFile(path.join(source, name, 'conversation.jsonl'), line(name));
    }
    const summary = await importGptmeConversations(store, source);
    const ids = summary.imported.map((item) => item.id);
    expect(summary.imported.map((item) => item.folder)).not.toContain('.hidden');
    expect(summary.imported).toHaveLength(names.length);
    expect(ids).toContain('fix_bug');
    expect(ids).toContain('dash');
    for (const item of summary.imported) {
      expect(item.id).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/);
      expect(item.notes[0]).toBe(`its name is not a safe id: imported as ${item.id}`);
      // No control character reaches a terminal or the window.
      expect([...item.folder].every((char) => char >= ' ')).toBe(true);
    }
    expect(summary.imported.find((item) => item.folder.startsWith('red'))?.folder).toBe('red\\u{1b}[31m');
    expect((await readdir(conversations)).sort()).toEqual([...ids].sort());
  });

  it('never follows a symlink to a secret, as a folder, a log or a config', async () => {
    const { source, store, folder, dataDir } = await setup();
    const home = await tempDir('home-');
    await writeFile(path.join(home, 'id_rsa'), SECRET);
    await mkdir(path.join(home, 'convo'));
    await writeFile(path.join(home, 'convo', 'conversation.jsonl'), line(SECRET));
    await symlink(path.join(home, 'convo'), path.join(source, 'linked-folder'));
    const log = await folder('linked-log', {});
    await symlink(path.join(home, 'id_rsa'), path.join(log, 'conversation.jsonl'));
    const config = await folder('linked-config');
    await symlink(path.join(home, 'id_rsa'), path.join(config, 'config.toml'));

    const summary = await importGptmeConversations(store, source);
    expect(summary.unreadable).toEqual([
      { folder: 'linked-folder', reason: 'is a symbolic link, which is not followed' },
      { folder: 'linked-log', reason: expect.stringMatching(/conversation.jsonl is a symbolic link/) },
    ]);
    expect(summary.imported).toEqual([
      {
        folder: 'linked-config',
        id: 'linked-config',
        notes: [expect.stringMatching(/^config.toml left out: config.toml is a symbolic link/)],
      },
    ]);
    for (const file of await filesUnder(dataDir))
      expect(await readFile(path.join(dataDir, file), 'utf8'), file).not.toContain('PRIVATE-KEY');
  });

  it('never waits on a FIFO', async () => {
    const { source, store, folder } = await setup();
    const fifoLog = await folder('fifo-log', {});
    makeFifo(path.join(fifoLog, 'conversation.jsonl'));
    const fifoConfig = await folder('fifo-config');
    makeFifo(path.join(fifoConfig, 'config.toml'));
    const summary = await bounded(importGptmeConversations(store, source), 5_000, 'the import');
    expect(summary.unreadable).toEqual([{ folder: 'fifo-log', reason: expect.stringMatching(/FIFO/) }]);
    expect(summary.imported[0]?.notes).toEqual([expect.stringMatching(/^config.toml left out: .*FIFO/)]);
  });

  it('leaves a log over the limit, and a config.toml over its own, saying so', async () => {
    const { source, store, folder } = await setup();
    const big = await folder('big', {});
    await writeFile(path.join(big, 'conversation.jsonl'), '');
    // Sparse: the size is checked before a byte is read.
    await truncate(path.join(big, 'conversation.jsonl'), MAX_LOG_BYTES + 1);
    const bigConfig = await folder('big-config', {
      'conversation.jsonl': line('Hi'),
      'config.toml': `# ${'x'.repeat(MAX_CONFIG_BYTES)}\n`,
    });
    expect(bigConfig).toBeTruthy();
    const summary = await importGptmeConversations(store, source);
    expect(summary.unreadable).toEqual([
      {
        folder: 'big',
        reason: `conversation.jsonl is ${MAX_LOG_BYTES + 1} bytes, over the ${MAX_LOG_BYTES}-byte limit`,
      },
    ]);
    expect(summary.imported[0]?.notes).toEqual([
      expect.stringMatching(/^config.toml left out: .*over the 65536-byte limit/),
    ]);
  });

  it('imports a log with broken lines as it is, and reports one with no message, an empty one or none', async () => {
    const { source, store, folder, conversations } = await setup();
    const partly = line('Hi') + '{"role": "user", "cont\n' + line('Bye');
    await folder('partly', { 'conversation.jsonl': partly });
    await folder('all-broken', { 'conversation.jsonl': 'not json\n\u0000\u0001binary\n' });
    await folder('empty', { 'conversation.jsonl': '' });
    await folder('no-log', { 'config.toml': '[chat]\nname = "x"\n' });
    const summary = await importGptmeConversations(store, source);
    expect(summary.imported).toEqual([
      {
        folder: 'partly',
        id: 'partly',
        notes: ['1 line cannot be read: kept as it is, and the window says so'],
      },
    ]);
    expect(await readFile(path.join(conversations, 'partly', 'conversation.jsonl'), 'utf8')).toBe(partly);
    expect(summary.unreadable).toEqual([
      { folder: 'all-broken', reason: 'no line of conversation.jsonl is a message' },
      { folder: 'empty', reason: 'conversation.jsonl is empty' },
      { folder: 'no-log', reason: 'has no conversation.jsonl' },
    ]);
  });

  it('reports a recorded workspace that is not an absolute folder, and copies only the files Deskmate reads', async () => {
    const { source, store, folder, conversations } = await setup();
    const here = await tempDir('ws-');
    await folder('relative', {
      'conversation.jsonl': line('a'),
      'config.toml': '[chat]\nworkspace = "src/app"\n',
    });
    await folder('at-log', {
      'conversation.jsonl': line('b'),
      'config.toml': '[chat]\nworkspace = "@log"\n',
    });
    await folder('good', {
      'conversation.jsonl': line('c'),
      'config.toml': `[chat]\nworkspace = "${here}"\n`,
    });
    await folder('broken-toml', { 'conversation.jsonl': line('d'), 'config.toml': '[chat\n' });
    const extra = await folder('extras', { 'conversation.jsonl': line('e') });
    await mkdir(path.join(extra, 'attachments'));
    await writeFile(path.join(extra, 'attachments', 'a.png'), 'png');
    await mkdir(path.join(extra, 'branches'));
    await writeFile(path.join(extra, 'branches', 'main.jsonl'), line('e'));
    await symlink(here, path.join(extra, 'workspace'));
    const notes = Object.fromEntries(
      (await importGptmeConversations(store, source)).imported.map((item) => [item.id, item.notes]),
    );
    expect(notes).toEqual({
      relative: ['its workspace src/app is not an absolute path: it opens without one'],
      'at-log': ['its workspace @log is not an absolute path: it opens without one'],
      good: [],
      'broken-toml': ['config.toml cannot be read: the name, model and workspace in it are not used'],
      extras: [],
    });
    expect(await filesUnder(path.join(conversations, 'extras'))).toEqual([
      'conversation.jsonl',
      'gptme-import.json',
    ]);
  });
});

describe('an import, in detail', () => {
  it('goes through the folders by name, whatever order the disk lists them in', async () => {
    const { source, store, folder } = await setup();
    const names = ['m', 'b', 'z', 'a', 'q', 'c', 'y', 'd', 'x', 'e'];
    for (const name of names) await folder(name);
    const summary = await importGptmeConversations(store, source);
    expect(summary.imported.map((item) => item.id)).toEqual([...names].sort());
  });

  it('names the missing folder in the error, and says what else is wrong with one', async () => {
    const { source, store } = await setup();
    const error = await importGptmeConversations(store, path.join(source, 'gone')).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ImportSourceNotFound', data: { path: path.join(source, 'gone') } });
    await symlink('loop', path.join(source, 'loop'));
    await expect(importGptmeConversations(store, path.join(source, 'loop'))).rejects.toMatchObject({
      name: 'SymbolicLink',
    });
  });

  it('reports a conversation with no free id near its own, and one that is there', async () => {
    const { source, store, folder, conversations } = await setup();
    await folder('chat', { 'conversation.jsonl': line('Theirs') });
    for (let n = 0; n < 100; n++) {
      const id = n === 0 ? 'chat' : `chat-${n}`;
      await mkdir(path.join(conversations, id), { recursive: true });
      await writeFile(path.join(conversations, id, 'conversation.jsonl'), line(`Mine ${n}`));
    }
    const summary = await importGptmeConversations(store, source);
    expect(summary.unreadable).toEqual([{ folder: 'chat', reason: 'no free id for it near chat' }]);
  });

  it('run twice at once (the app and the CLI), adds each conversation once and leaves nothing half made', async () => {
    const { source, store, folder, conversations } = await setup();
    for (let n = 0; n < 20; n++)
      await folder(`c${String(n).padStart(2, '0')}`, { 'conversation.jsonl': line(`${n}`) });
    const other = new ConversationStore(path.dirname(conversations));
    const [a, b] = await Promise.all([
      importGptmeConversations(store, source),
      importGptmeConversations(other, source),
    ]);
    expect(a.imported.length + b.imported.length).toBe(20);
    expect(a.alreadyPresent.length + b.alreadyPresent.length).toBe(20);
    const names = await readdir(conversations);
    expect(names.filter((name) => name.startsWith('.'))).toEqual([]);
    expect(names.filter((name) => name.startsWith('c'))).toHaveLength(20);
  });

  it('closes every file and folder it opens', async () => {
    const { source, store, folder } = await setup();
    for (let n = 0; n < 40; n++)
      await folder(`c${n}`, { 'conversation.jsonl': line(`${n}`), 'config.toml': '[chat]\nname = "x"\n' });
    const open = async () => (await readdir('/proc/self/fd')).length;
    const before = await open();
    await importGptmeConversations(store, source);
    await importGptmeConversations(store, source);
    // Other tests in this process may hold a few; a leak per conversation would be 40 or more.
    expect((await open()) - before).toBeLessThan(10);
  });

  it('keeps a marker naming the log it copied, in a private folder', async () => {
    const { source, store, folder, conversations } = await setup();
    await folder('one');
    const now = new Date('2026-11-30T12:00:00.000Z');
    await importGptmeConversations(store, source, { now: () => now });
    expect(JSON.parse(await readFile(path.join(conversations, 'one', 'gptme-import.json'), 'utf8'))).toEqual({
      from: 'gptme',
      folder: 'one',
      sha256: createHash('sha256').update(line('Hi')).digest('hex'),
      importedAt: '2026-11-30T12:00:00.000Z',
    });
    expect((await stat(path.join(conversations, 'one'))).mode & 0o777).toBe(0o700);
    expect((await stat(path.join(conversations, 'one', 'gptme-import.json'))).mode & 0o777).toBe(0o600);
  });

  it('removes staging folders older than an hour only, and nothing else', async () => {
    const { store, source, conversations } = await setup();
    const now = new Date('2026-11-30T12:00:00.000Z');
    const at = async (name: string, msAgo: number) => {
      await mkdir(path.join(conversations, name), { recursive: true });
      const time = new Date(now.getTime() - msAgo);
      await utimes(path.join(conversations, name), time, time);
    };
    await at('.import-old', 60 * 60 * 1000 + 1);
    await at('.import-edge', 60 * 60 * 1000);
    await at('old-conversation', 24 * 60 * 60 * 1000);
    await at('.other-hidden', 24 * 60 * 60 * 1000);
    await importGptmeConversations(store, source, { now: () => now });
    expect((await readdir(conversations)).sort()).toEqual([
      '.import-edge',
      '.other-hidden',
      'old-conversation',
    ]);
  });

  it('says how many lines cannot be read, the cut last one included', async () => {
    const { source, store, folder } = await setup();
    await folder('cut-tail', { 'conversation.jsonl': line('Hi') + '{"role": "assis' });
    await folder('two-broken', { 'conversation.jsonl': 'x\n' + line('Hi') + 'y\n' + line('Bye') });
    const notes = Object.fromEntries(
      (await importGptmeConversations(store, source)).imported.map((item) => [item.id, item.notes]),
    );
    expect(notes).toEqual({
      'cut-tail': ['1 line cannot be read: kept as it is, and the window says so'],
      'two-broken': ['2 lines cannot be read: kept as they are, and the window says so'],
    });
  });

  it('says nothing of a config.toml without a workspace, and keeps what it says of one short', async () => {
    const { source, store, folder } = await setup();
    await folder('no-chat', { 'conversation.jsonl': line('a'), 'config.toml': '[env]\nX = "1"\n' });
    await folder('no-workspace', { 'conversation.jsonl': line('b'), 'config.toml': '[chat]\nname = "B"\n' });
    await folder('long', {
      'conversation.jsonl': line('c'),
      'config.toml': `[chat]\nworkspace = "${'w'.repeat(1000)}"\n`,
    });
    const notes = Object.fromEntries(
      (await importGptmeConversations(store, source)).imported.map((item) => [item.id, item.notes]),
    );
    expect(notes['no-chat']).toEqual([]);
    expect(notes['no-workspace']).toEqual([]);
    expect(notes.long).toEqual([
      `its workspace ${'w'.repeat(300)} is not an absolute path: it opens without one`,
    ]);
  });
});
