import { mkdir, readdir, readFile, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { usePermissiveUmask } from '../../../../test/support/permissive-umask';
import { tempDir } from '../../../../test/support/temp-dir';
import type { Message } from '../../../shared/domain';
import { ConversationStore } from './conversation-store';
import { serializeMessages } from './message-log';

/** A clock that moves one second forward on every reading, so orders are certain. */
function tickingClock(start = '2026-11-26T10:00:00.000Z'): () => Date {
  let t = Date.parse(start);
  return () => new Date((t += 1000));
}

async function makeStore(options: { newId?: () => string } = {}) {
  const dataDir = await tempDir();
  const store = new ConversationStore(dataDir, { now: tickingClock(), ...options });
  return { dataDir, store, dir: (id: string) => path.join(dataDir, 'conversations', id) };
}

let counter = 0;
function message(role: Message['role'], content: string, extra: Partial<Message> = {}): Message {
  counter++;
  return { id: `m${counter}`, role, content, timestamp: new Date(counter * 1000).toISOString(), ...extra };
}

describe('ConversationStore', () => {
  describe('create and list', () => {
    it('creates readable ids and lists the most recently changed first', async () => {
      const { store } = await makeStore();
      const a = await store.create({ name: 'Alpha' });
      const b = await store.create({ name: 'Beta' });
      const c = await store.create({ name: 'Gamma' });
      expect(a.id).toMatch(/^2026-11-26-[0-9a-f]{6}$/);
      expect(a).toMatchObject({ name: 'Alpha', messageCount: 0, workspace: null });

      expect((await store.list()).items.map((i) => i.name)).toEqual(['Gamma', 'Beta', 'Alpha']);
      await store.append(a.id, message('user', 'hello'));
      expect((await store.list()).items.map((i) => i.id)).toEqual([a.id, c.id, b.id]);
    });

    it('keeps conversations across store instances', async () => {
      const { dataDir, store } = await makeStore();
      const made = await store.create({ workspace: '/tmp/project', chat: { model: 'gpt-x' } });
      const again = new ConversationStore(dataDir);
      expect((await again.list()).items).toEqual([made]);
      expect(await again.readMeta(made.id)).toMatchObject({
        workspace: '/tmp/project',
        chat: { model: 'gpt-x' },
        nameSource: 'default',
      });
    });

    it('lists nothing for a data dir that has no conversations yet', async () => {
      const { store } = await makeStore();
      expect(await store.list()).toEqual({ items: [], total: 0 });
    });

    it('finds conversations by any part of the name, ignoring case', async () => {
      const { store } = await makeStore();
      await store.create({ name: 'Fix the Build' });
      await store.create({ name: 'Write docs' });
      await store.create({ name: 'rebuild cache' });
      const found = await store.list({ query: 'BUILD' });
      expect(found.items.map((i) => i.name)).toEqual(['rebuild cache', 'Fix the Build']);
      expect(found.total).toBe(2);
      expect((await store.list({ query: 'nothing like it' })).total).toBe(0);
    });

    it('pages with offset and limit, reporting the total, 50 at a time by default', async () => {
      const { store } = await makeStore();
      for (let i = 0; i < 55; i++) await store.create({ name: `c${i}` });
      const first = await store.list();
      expect(first.items).toHaveLength(50);
      expect(first.total).toBe(55);
      const page = await store.list({ offset: 10, limit: 3 });
      expect(page.items.map((i) => i.name)).toEqual(['c44', 'c43', 'c42']);
      expect(page.total).toBe(55);
      expect((await store.list({ offset: 54 })).items.map((i) => i.name)).toEqual(['c0']);
    });

    it('tries another id when the folder already exists, leaving that folder alone', async () => {
      const ids = ['taken', 'free', 'free', 'other'];
      const { store, dir } = await makeStore({ newId: () => ids.shift() ?? 'never' });
      await mkdir(dir('taken'), { recursive: true });
      expect((await store.create()).id).toBe('free');
      expect((await store.create()).id).toBe('other');
      expect(await readdir(dir('taken'))).toEqual([]);
    });

    it('refuses a blank name and a relative workspace', async () => {
      const { store } = await makeStore();
      await expect(store.create({ name: '   ' })).rejects.toMatchObject({ name: 'InvalidRequest' });
      await expect(store.create({ workspace: 'relative/dir' })).rejects.toMatchObject({
        name: 'InvalidRequest',
      });
      expect((await store.list()).total).toBe(0);
    });
  });

  describe('messages', () => {
    it('opens messages exactly as they were appended', async () => {
      const { store } = await makeStore();
      const { id } = await store.create();
      const sent = [
        message('system', 'You are helpful.'),
        message('user', 'List files\nplease', { files: ['/tmp/a.txt'] }),
        message('assistant', '', {
          tool_calls: [{ id: 'call_1', name: 'shell', args: { command: 'ls -la', nested: { n: [1, 2] } } }],
          metadata: { model: 'gpt-x', usage: { promptTokens: 12, completionTokens: 7 } },
        }),
        message('tool', 'a.txt\nb.txt', { call_id: 'call_1' }),
        message('assistant', 'Two files. "Quoted" \u2028 and emoji 😀', {
          metadata: { interrupted: true },
        }),
      ];
      for (const m of sent) await store.append(id, m);
      const opened = await store.open(id);
      expect(opened.messages).toEqual(sent);
      expect(opened).toMatchObject({ messageCount: 5, skippedLines: 0, truncatedTail: false });
      expect((await store.list()).items[0]?.messageCount).toBe(5);
    });

    it('writes gptme-style JSON lines: one message per line', async () => {
      const { store, dir } = await makeStore();
      const { id } = await store.create();
      const m = message('user', 'multi\nline');
      await store.append(id, m);
      const text = await readFile(path.join(dir(id), 'conversation.jsonl'), 'utf8');
      // gptme's form: its keys only at the top, Deskmate's id kept in metadata.
      expect(text).toBe(
        `${JSON.stringify({ role: 'user', content: m.content, timestamp: m.timestamp, metadata: { id: m.id } })}\n`,
      );
    });

    it('opens a log whose last line was cut by a crash, with every complete message', async () => {
      const { store, dir } = await makeStore();
      const { id } = await store.create();
      const kept = [message('user', 'one'), message('assistant', 'two')];
      for (const m of kept) await store.append(id, m);
      const log = path.join(dir(id), 'conversation.jsonl');
      await writeFile(log, `${await readFile(log, 'utf8')}{"id":"m99","role":"assistant","content":"par`);

      const opened = await store.open(id);
      expect(opened.messages).toEqual(kept);
      expect(opened.truncatedTail).toBe(true);
      expect(opened.skippedLines).toBe(0);

      // The next message lands on its own line; the cut one is then reported as lost, not hidden.
      const next = message('user', 'three');
      await store.append(id, next);
      const reopened = await store.open(id);
      expect(reopened.messages).toEqual([...kept, next]);
      expect(reopened).toMatchObject({ skippedLines: 1, truncatedTail: false });
    });

    it('reports unreadable lines in the middle instead of losing them silently', async () => {
      const { store, dir } = await makeStore();
      const { id } = await store.create();
      const [a, b] = [message('user', 'a'), message('user', 'b')];
      await writeFile(
        path.join(dir(id), 'conversation.jsonl'),
        `${JSON.stringify(a)}\n{broken\n${JSON.stringify(b)}\n`,
      );
      const opened = await store.open(id);
      expect(opened.messages).toEqual([a, b]);
      expect(opened.skippedLines).toBe(1);
    });

    it('lands 200 appends fired at once, in order, every line readable', async () => {
      const { store, dir } = await makeStore();
      const { id } = await store.create();
      const sent = Array.from({ length: 200 }, (_, i) => message(i % 2 ? 'assistant' : 'user', `msg ${i}`));
      await Promise.all(sent.map((m) => store.append(id, m)));

      const lines = (await readFile(path.join(dir(id), 'conversation.jsonl'), 'utf8')).split('\n');
      expect(lines.pop()).toBe('');
      expect(lines.map((l) => (JSON.parse(l) as { metadata: { id: string } }).metadata.id)).toEqual(
        sent.map((m) => m.id),
      );
      const opened = await store.open(id);
      expect(opened.messages).toEqual(sent);
      expect((await store.readMeta(id)).messageCount).toBe(200);
    });

    it('keeps appends to different conversations apart', async () => {
      const { store } = await makeStore();
      const [x, y] = [await store.create(), await store.create()];
      const forX = Array.from({ length: 30 }, (_, i) => message('user', `x${i}`));
      const forY = Array.from({ length: 30 }, (_, i) => message('user', `y${i}`));
      await Promise.all(forX.flatMap((m, i) => [store.append(x.id, m), store.append(y.id, forY[i]!)]));
      expect((await store.open(x.id)).messages).toEqual(forX);
      expect((await store.open(y.id)).messages).toEqual(forY);
    });

    it('sees appends that were asked for before an open, even if not awaited', async () => {
      const { store } = await makeStore();
      const { id } = await store.create();
      const m = message('user', 'quick');
      void store.append(id, m);
      expect((await store.open(id)).messages).toEqual([m]);
    });

    it('refuses a message that could not be read back', async () => {
      const { store } = await makeStore();
      const { id } = await store.create();
      const bad = { id: 'x', role: 'wizard', content: 'hi', timestamp: 'now' } as unknown as Message;
      await expect(store.append(id, bad)).rejects.toMatchObject({ name: 'InvalidRequest' });
      expect((await store.open(id)).messages).toEqual([]);
    });

    it('replaces all messages through a temp file that does not stay behind', async () => {
      const { store, dir } = await makeStore();
      const { id } = await store.create();
      for (const m of [message('user', 'a'), message('assistant', 'b'), message('user', 'c')])
        await store.append(id, m);
      const edited = [message('user', 'a, edited')];
      const summary = await store.replaceMessages(id, edited);
      expect(summary.messageCount).toBe(1);
      expect((await store.open(id)).messages).toEqual(edited);
      expect((await readdir(dir(id))).sort()).toEqual(['chat.json', 'conversation.jsonl']);
    });
  });

  describe('names', () => {
    it('names a conversation after its first user message', async () => {
      const { store } = await makeStore();
      const { id, name } = await store.create();
      expect(name).toBe('New conversation');
      await store.append(id, message('system', 'System prompt is not a name'));
      const named = await store.append(id, message('user', '\n  How do I   rebase\tonto main?\nDetails...'));
      expect(named.name).toBe('How do I rebase onto main?');
      await store.append(id, message('user', 'A later question'));
      expect((await store.readMeta(id)).name).toBe('How do I rebase onto main?');
    });

    it('cuts a long first message to a readable name', async () => {
      const { store } = await makeStore();
      const { id } = await store.create();
      const text = 'Could you please look at why the integration tests time out on the CI machine only';
      const { name } = await store.append(id, message('user', text));
      expect(name.endsWith('…')).toBe(true);
      expect(name.length).toBeLessThanOrEqual(61);
      expect(text.startsWith(name.slice(0, -1))).toBe(true);
    });

    it('never replaces a name the user chose', async () => {
      const { store } = await makeStore();
      const made = await store.create({ name: 'My name' });
      await store.append(made.id, message('user', 'something else'));
      expect((await store.open(made.id)).name).toBe('My name');
      expect((await store.readMeta(made.id)).nameSource).toBe('user');

      const other = await store.create();
      await store.rename(other.id, '  Renamed  ');
      await store.append(other.id, message('user', 'first words'));
      expect((await store.readMeta(other.id)).name).toBe('Renamed');
    });

    it('renames, refusing a blank or too long name', async () => {
      const { store } = await makeStore();
      const { id } = await store.create();
      expect((await store.rename(id, 'New title')).name).toBe('New title');
      expect((await store.readMeta(id)).nameSource).toBe('user');
      await expect(store.rename(id, ' ')).rejects.toMatchObject({ name: 'InvalidRequest' });
      await expect(store.rename(id, 'x'.repeat(201))).rejects.toMatchObject({ name: 'InvalidRequest' });
      expect((await store.readMeta(id)).name).toBe('New title');
    });

    it('keeps a rename made while appends are in flight', async () => {
      const { store } = await makeStore();
      const { id } = await store.create();
      const appends = Array.from({ length: 20 }, (_, i) => store.append(id, message('user', `m${i}`)));
      const renamed = store.rename(id, 'Chosen');
      await Promise.all([...appends, renamed]);
      expect(await store.readMeta(id)).toMatchObject({ name: 'Chosen', messageCount: 20 });
    });
  });

  describe('what the list shows', () => {
    it('keeps a renamed conversation where it was: its date, its group, its place', async () => {
      const { store } = await makeStore();
      const old = await store.create({ name: 'Old' });
      await store.append(old.id, message('user', 'a question'));
      const newer = await store.create({ name: 'Newer' });
      const before = (await store.readMeta(old.id)).updatedAt;
      const renamed = await store.rename(old.id, 'Old, renamed');
      expect(renamed.updatedAt).toBe(before);
      expect((await store.readMeta(old.id)).updatedAt).toBe(before);
      expect((await store.list()).items.map((i) => i.id)).toEqual([newer.id, old.id]);
      // What the user said moves it, as before.
      await store.append(old.id, message('user', 'one more'));
      expect((await store.list()).items.map((i) => i.id)).toEqual([old.id, newer.id]);
    });

    it('counts the messages the conversation shows apart from every line of the log', async () => {
      const { dataDir, store } = await makeStore();
      const { id } = await store.create();
      await store.append(id, message('user', 'list files'));
      await store.append(
        id,
        message('assistant', '', { tool_calls: [{ id: 'c1', name: 'shell', args: { command: 'ls' } }] }),
      );
      await store.append(id, message('tool', 'a.txt', { call_id: 'c1' }));
      const last = await store.append(id, message('assistant', 'One file.'));
      expect(last).toMatchObject({ messageCount: 4, shownCount: 3 });
      expect((await store.list()).items[0]).toMatchObject({ messageCount: 4, shownCount: 3 });
      expect(await new ConversationStore(dataDir).list()).toMatchObject({
        items: [{ messageCount: 4, shownCount: 3 }],
      });
      expect(await store.open(id)).toMatchObject({ messageCount: 4, shownCount: 3 });
      await store.updateMessages(id, (m) => (m.role === 'tool' ? null : m));
      expect((await store.list()).items[0]).toMatchObject({ messageCount: 3, shownCount: 3 });
    });

    it('counts what a conversation saved before the shown count shows, from its log', async () => {
      const { dataDir, store, dir } = await makeStore();
      const { id } = await store.create();
      await store.append(id, message('user', 'run it'));
      await store.append(id, message('tool', 'done', { call_id: 'c1' }));
      // chat.json and the index as an older Deskmate wrote them.
      const metaFile = path.join(dir(id), 'chat.json');
      const { shownCount: _m, ...oldMeta } = JSON.parse(await readFile(metaFile, 'utf8'));
      await writeFile(metaFile, JSON.stringify(oldMeta));
      const index = path.join(dataDir, 'conversations', 'index.jsonl');
      const oldLines = (await readFile(index, 'utf8'))
        .trim()
        .split('\n')
        .map((line) => {
          const { shownCount: _i, ...rest } = JSON.parse(line);
          return JSON.stringify(rest);
        });
      await writeFile(index, `${oldLines.join('\n')}\n`);
      const fresh = new ConversationStore(dataDir);
      expect((await fresh.list()).items[0]).toMatchObject({ messageCount: 2, shownCount: 1 });
      expect(await fresh.append(id, message('assistant', 'ok'))).toMatchObject({
        messageCount: 3,
        shownCount: 2,
      });
    });

    it('tells its listeners when the list changes, and not for settings', async () => {
      const { store } = await makeStore();
      let changes = 0;
      const listening = store.onDidChange(() => changes++);
      const { id } = await store.create();
      expect(changes).toBe(1);
      await store.append(id, message('user', 'hi'));
      expect(changes).toBe(2);
      await store.rename(id, 'Named');
      expect(changes).toBe(3);
      await store.setChat(id, { model: 'other' });
      expect(changes).toBe(3);
      await store.delete(id);
      expect(changes).toBe(4);
      listening.dispose();
      await store.create();
      expect(changes).toBe(4);
    });
  });

  describe('delete and fork', () => {
    it('deletes a conversation with its artifacts, saying whether it existed', async () => {
      const { store, dir } = await makeStore();
      const { id } = await store.create();
      await store.saveArtifact(id, 'out.txt', 'data');
      expect(await store.delete(id)).toBe(true);
      expect(await store.delete(id)).toBe(false);
      expect((await store.list()).total).toBe(0);
      await expect(readdir(dir(id))).rejects.toMatchObject({ code: 'ENOENT' });
      await expect(store.open(id)).rejects.toMatchObject({ name: 'NotFound' });
    });

    it('forks all messages, or the ones before atMessage, keeping workspace and chat config', async () => {
      const { store } = await makeStore();
      const source = await store.create({
        name: 'Plan',
        workspace: '/work/p',
        chat: { model: 'm1', temperature: 0.2 },
      });
      const sent = [message('user', 'a'), message('assistant', 'b'), message('user', 'c')];
      for (const m of sent) await store.append(source.id, m);

      const all = await store.fork(source.id);
      expect(all.id).not.toBe(source.id);
      expect(all).toMatchObject({ name: 'Plan (fork)', workspace: '/work/p', messageCount: 3 });
      expect((await store.open(all.id)).messages).toEqual(sent);
      expect((await store.readMeta(all.id)).chat).toEqual({ model: 'm1', temperature: 0.2 });

      const part = await store.fork(source.id, 2);
      expect((await store.open(part.id)).messages).toEqual(sent.slice(0, 2));
      const none = await store.fork(source.id, 0);
      expect((await store.open(none.id)).messages).toEqual([]);

      // The fork is its own conversation: changing it leaves the source alone.
      await store.append(all.id, message('user', 'only in the fork'));
      expect((await store.open(source.id)).messages).toEqual(sent);
      expect((await store.list()).total).toBe(4);
    });

    it('refuses a negative or fractional fork point', async () => {
      const { store } = await makeStore();
      const { id } = await store.create();
      await expect(store.fork(id, -1)).rejects.toMatchObject({ name: 'InvalidRequest' });
      await expect(store.fork(id, 1.5)).rejects.toMatchObject({ name: 'InvalidRequest' });
    });
  });

  describe('settings', () => {
    it('stores the chat config and workspace without moving the conversation in the list', async () => {
      const { store } = await makeStore();
      const older = await store.create({ name: 'older' });
      await store.create({ name: 'newer' });
      await store.setChat(older.id, {
        model: 'm2',
        tools: ['shell', 'read'],
        autoApprove: { shell: 'always' },
      });
      await store.setWorkspace(older.id, '/home/me/project');
      expect(await store.readMeta(older.id)).toMatchObject({
        chat: { model: 'm2', tools: ['shell', 'read'], autoApprove: { shell: 'always' } },
        workspace: '/home/me/project',
      });
      expect((await store.list()).items.map((i) => i.name)).toEqual(['newer', 'older']);
      await store.setWorkspace(older.id, null);
      expect((await store.readMeta(older.id)).workspace).toBeNull();
    });

    it('refuses an invalid chat config', async () => {
      const { store } = await makeStore();
      const { id } = await store.create();
      await expect(store.setChat(id, { temperature: 9 })).rejects.toMatchObject({ name: 'InvalidRequest' });
      await expect(
        store.setChat(id, { bogus: true } as unknown as Parameters<typeof store.setChat>[1]),
      ).rejects.toMatchObject({ name: 'InvalidRequest' });
    });
  });

  describe('damaged folders', () => {
    it('lists the others when a chat.json is broken, and still lists one whose log survived', async () => {
      const { store, dir } = await makeStore();
      const good = await store.create({ name: 'Good' });
      const damaged = await store.create({ name: 'Damaged' });
      await store.append(damaged.id, message('user', 'Recover me please'));
      await writeFile(path.join(dir(damaged.id), 'chat.json'), '{"name": "Dam');
      const empty = await store.create({ name: 'Gone' });
      await writeFile(path.join(dir(empty.id), 'chat.json'), 'null');
      await writeFile(path.join(dir(empty.id), 'conversation.jsonl'), '');
      const hollow = path.join(path.dirname(dir(good.id)), 'hollow-folder');
      await mkdir(hollow);
      await writeFile(path.join(path.dirname(dir(good.id)), 'stray-file.txt'), 'x');

      // The index still knows their last good summaries.
      const known = await store.list();
      expect(known.items.map((i) => [i.id, i.name]).sort()).toEqual(
        [
          [good.id, 'Good'],
          [damaged.id, 'Damaged'],
          [empty.id, 'Gone'],
        ].sort(),
      );
      // Without the index (deleted, or an older data dir), each folder is read and recovered.
      await rm(path.join(path.dirname(dir(good.id)), 'index.jsonl'));
      const listed = await new ConversationStore(path.dirname(path.dirname(dir(good.id)))).list();
      expect(listed.items.map((i) => i.id).sort()).toEqual([good.id, damaged.id, empty.id].sort());
      const recovered = listed.items.find((i) => i.id === damaged.id);
      expect(recovered).toMatchObject({ name: 'Recover me please', messageCount: 1 });
      expect(listed.items.find((i) => i.id === empty.id)?.name).toBe(empty.id);
    });

    it('repairs a broken chat.json on the next change, keeping the broken one aside', async () => {
      const { store, dir } = await makeStore();
      const { id } = await store.create();
      await store.append(id, message('user', 'hello there'));
      await writeFile(path.join(dir(id), 'chat.json'), 'garbage');
      expect((await store.open(id)).messages).toHaveLength(1);
      await store.append(id, message('assistant', 'hi'));
      expect(await store.readMeta(id)).toMatchObject({ name: 'hello there', messageCount: 2 });
      const files = await readdir(dir(id));
      expect(files.filter((f) => f.startsWith('chat.json.broken-'))).toHaveLength(1);
    });

    it('answers NotFound for a conversation that does not exist', async () => {
      const { store } = await makeStore();
      const missing = '2026-01-01-abcdef';
      await expect(store.open(missing)).rejects.toMatchObject({ name: 'NotFound' });
      await expect(store.append(missing, message('user', 'x'))).rejects.toMatchObject({ name: 'NotFound' });
      await expect(store.rename(missing, 'x')).rejects.toMatchObject({ name: 'NotFound' });
      await expect(store.fork(missing)).rejects.toMatchObject({ name: 'NotFound' });
      await expect(store.readMeta(missing)).rejects.toMatchObject({ name: 'NotFound' });
      await expect(store.saveArtifact(missing, 'a', 'b')).rejects.toMatchObject({ name: 'NotFound' });
      expect(await store.delete(missing)).toBe(false);
      expect((await store.list()).total).toBe(0);
    });
  });

  describe('ids from outside', () => {
    it.each(['../x', 'a/b', '', '..', '.', '/etc', 'a\\b', '.hidden'])(
      'refuses %j everywhere with InvalidRequest, touching nothing',
      async (bad) => {
        const { dataDir, store } = await makeStore();
        // Something a traversal would reach: it must survive every call below.
        await mkdir(path.join(dataDir, 'x'), { recursive: true });
        await writeFile(path.join(dataDir, 'x', 'chat.json'), '{}');
        const calls = [
          store.open(bad),
          store.readMeta(bad),
          store.append(bad, message('user', 'x')),
          store.replaceMessages(bad, []),
          store.rename(bad, 'x'),
          store.delete(bad),
          store.fork(bad),
          store.setChat(bad, {}),
          store.setWorkspace(bad, null),
          store.saveArtifact(bad, 'a.txt', 'x'),
        ];
        for (const call of calls) await expect(call).rejects.toMatchObject({ name: 'InvalidRequest' });
        expect(await readFile(path.join(dataDir, 'x', 'chat.json'), 'utf8')).toBe('{}');
        expect(await readdir(dataDir)).toEqual(['x']);
      },
    );
  });

  describe('artifacts', () => {
    it('saves full outputs beside the log under safe, unique names', async () => {
      const { store, dir } = await makeStore();
      const { id } = await store.create();
      const first = await store.saveArtifact(id, '../../escape me.txt', 'full output');
      const second = await store.saveArtifact(id, '../../escape me.txt', 'second output');
      const artifacts = path.join(dir(id), 'artifacts');
      expect(first).toBe(path.join(artifacts, 'escape_me.txt'));
      expect(second).toBe(path.join(artifacts, 'escape_me-1.txt'));
      expect(path.isAbsolute(first)).toBe(true);
      expect(await readFile(first, 'utf8')).toBe('full output');
      expect(await readFile(second, 'utf8')).toBe('second output');
      const binary = await store.saveArtifact(id, '', new Uint8Array([0, 1, 2]));
      expect(path.basename(binary)).toBe('artifact');
      expect([...(await readFile(binary))]).toEqual([0, 1, 2]);
    });
  });

  describe('changing messages in place', () => {
    it('changes and drops messages, keeping every line it cannot read where it was, byte for byte', async () => {
      const { store, dir } = await makeStore();
      const { id } = await store.create();
      const [a, b, c] = [message('user', 'a'), message('assistant', 'b'), message('user', 'c')];
      const log = path.join(dir(id), 'conversation.jsonl');
      const future = '{"id":"f1","role":"critic","content":"from a newer version","timestamp":"t"}';
      await writeFile(
        log,
        `${JSON.stringify(a)}\n{broken\n${JSON.stringify(b)}\n\n${future}\n${JSON.stringify(c)}\n`,
      );
      const failed = {
        ...b,
        metadata: { failure: { name: 'ProviderUnreachable', message: 'down' } },
      } as Message;
      const seen: Array<[string, number, number]> = [];
      const messages = await store.updateMessages(id, (m, index, all) => {
        seen.push([m.id, index, all.length]);
        if (m.id === b.id) return failed;
        return m.id === c.id ? null : m;
      });
      expect(seen).toEqual([
        [a.id, 0, 3],
        [b.id, 1, 3],
        [c.id, 2, 3],
      ]);
      expect(messages).toEqual([a, failed]);
      expect(await readFile(log, 'utf8')).toBe(
        `${JSON.stringify(a)}\n{broken\n${serializeMessages([failed])}${future}\n`,
      );
      expect(await store.readMeta(id)).toMatchObject({ messageCount: 2, shownCount: 2 });
      const opened = await store.open(id);
      expect(opened).toMatchObject({ messages: [a, failed], skippedLines: 1, truncatedTail: true });
      // Through a temp file that does not stay behind.
      expect((await readdir(dir(id))).sort()).toEqual(['chat.json', 'conversation.jsonl']);
    });

    it('leaves the log untouched when nothing changes', async () => {
      const { store, dir } = await makeStore();
      const { id } = await store.create();
      await store.append(id, message('user', 'a'));
      const log = path.join(dir(id), 'conversation.jsonl');
      const before = await stat(log);
      expect(await store.updateMessages(id, (m) => m)).toHaveLength(1);
      expect((await stat(log)).ino).toBe(before.ino);
    });

    it('refuses a change that would write a message it could not read back, changing nothing', async () => {
      const { store, dir } = await makeStore();
      const { id } = await store.create();
      const a = message('user', 'a');
      await store.append(id, a);
      const log = path.join(dir(id), 'conversation.jsonl');
      const before = await readFile(log, 'utf8');
      await expect(
        store.updateMessages(id, (m) => ({ ...m, role: 'wizard' }) as unknown as Message),
      ).rejects.toMatchObject({ name: 'InvalidRequest' });
      expect(await readFile(log, 'utf8')).toBe(before);
      expect(await store.readMeta(id)).toMatchObject({ messageCount: 1 });
    });

    it('finds no messages in a conversation whose log is gone, and does not fail on it', async () => {
      const { store, dir } = await makeStore();
      const { id } = await store.create();
      await rm(path.join(dir(id), 'conversation.jsonl'));
      expect(await store.updateMessages(id, (m) => m)).toEqual([]);
      expect(await readdir(dir(id))).toEqual(['chat.json']);
    });

    it('fails, changing nothing, when the log cannot be read', async () => {
      const { store, dir } = await makeStore();
      const { id } = await store.create({ name: 'Kept' });
      const log = path.join(dir(id), 'conversation.jsonl');
      await rm(log);
      await mkdir(log);
      await expect(store.updateMessages(id, (m) => m)).rejects.toMatchObject({ code: 'EISDIR' });
      expect(await store.readMeta(id)).toMatchObject({ name: 'Kept', messageCount: 0 });
    });
  });

  describe('reading artifacts', () => {
    it('reads back a saved artifact by its file name, cut to the size asked for', async () => {
      const { store } = await makeStore();
      const { id } = await store.create();
      const file = await store.saveArtifact(id, 'out.txt', '0123456789');
      const name = path.basename(file);
      const whole = await store.readArtifact(id, name, 100);
      expect({ ...whole, data: whole.data.toString() }).toEqual({
        data: '0123456789',
        bytes: 10,
        truncated: false,
      });
      const cut = await store.readArtifact(id, name, 4);
      expect({ ...cut, data: cut.data.toString() }).toEqual({ data: '0123', bytes: 10, truncated: true });
      const exact = await store.readArtifact(id, name, 10);
      expect(exact.truncated).toBe(false);
    });

    it('refuses any name but a plain one it could have written, and a symlink planted there', async () => {
      const { dataDir, store, dir } = await makeStore();
      const { id } = await store.create();
      await store.saveArtifact(id, 'out.txt', 'x');
      await writeFile(path.join(dataDir, 'secret.txt'), 'SECRET');
      for (const bad of ['../chat.json', '../../../secret.txt', 'a/b.txt', 'with space.txt', '.hidden']) {
        await expect(store.readArtifact(id, bad, 100), bad).rejects.toMatchObject({
          name: 'InvalidRequest',
          message: `${bad} is not the name of an artifact of this conversation`,
        });
      }
      await symlink(path.join(dataDir, 'secret.txt'), path.join(dir(id), 'artifacts', 'link.txt'));
      await expect(store.readArtifact(id, 'link.txt', 100)).rejects.toMatchObject({ name: 'SymbolicLink' });
      await expect(store.readArtifact(id, 'missing.txt', 100)).rejects.toMatchObject({ name: 'NotFound' });
    });

    it('numbers names rather than overwrite, and says when none is free', async () => {
      const { store, dir } = await makeStore();
      const { id } = await store.create();
      await store.saveArtifact(id, 'out.txt', 'first');
      await mkdir(path.join(dir(id), 'artifacts', 'out-1.txt'));
      expect(path.basename(await store.saveArtifact(id, 'out.txt', 'second'))).toBe('out-2.txt');
      expect(await readFile(path.join(dir(id), 'artifacts', 'out.txt'), 'utf8')).toBe('first');
    });
  });

  describe('what it refuses, and how it says so', () => {
    it('names a missing conversation', async () => {
      const { store } = await makeStore();
      await expect(store.open('2026-01-01-abcdef')).rejects.toMatchObject({
        name: 'NotFound',
        message: 'No conversation 2026-01-01-abcdef.',
        data: { id: '2026-01-01-abcdef' },
      });
    });

    it('takes a name of up to 200 characters, trimmed, and refuses a longer one', async () => {
      const { store } = await makeStore();
      const { id } = await store.create({ name: `  ${'n'.repeat(200)}  ` });
      expect((await store.readMeta(id)).name).toBe('n'.repeat(200));
      await expect(store.rename(id, 'n'.repeat(201))).rejects.toMatchObject({
        name: 'InvalidRequest',
        message: 'A conversation name is 1 to 200 characters.',
      });
    });

    it('says which part of a chat config is wrong', async () => {
      const { store } = await makeStore();
      await expect(store.create({ chat: { temperature: 9 } })).rejects.toMatchObject({
        name: 'InvalidRequest',
        message: 'Invalid chat config.',
        data: { issues: [expect.objectContaining({ path: ['temperature'] })] },
      });
    });

    it('refuses a workspace that is not an absolute path, whatever its type', async () => {
      const { store } = await makeStore();
      for (const workspace of ['relative/dir', 42 as unknown as string]) {
        await expect(store.create({ workspace }), String(workspace)).rejects.toMatchObject({
          name: 'InvalidRequest',
          message: 'A workspace is an absolute path, or null.',
        });
      }
      expect((await store.list()).total).toBe(0);
    });

    it('says which message could not be read back, on append and on replace', async () => {
      const { store } = await makeStore();
      const { id } = await store.create();
      const good = message('user', 'ok');
      const bad = { id: 'x', role: 'user', content: 3, timestamp: 't' } as unknown as Message;
      await expect(store.replaceMessages(id, [good, bad])).rejects.toMatchObject({
        name: 'InvalidRequest',
        message: 'A message needs an id, a role, text content and a timestamp.',
        data: { index: 1 },
      });
      expect((await store.open(id)).messages).toEqual([]);
    });

    it('refuses a timestamp gptme could not read, which would make the whole log unloadable there', async () => {
      const { store } = await makeStore();
      const { id } = await store.create();
      const late = { ...message('user', 'ok'), timestamp: 'yesterday' };
      await expect(store.append(id, late)).rejects.toMatchObject({
        name: 'InvalidRequest',
        data: { index: 0 },
      });
      expect((await store.open(id)).messages).toEqual([]);
    });

    it('says what a fork point is', async () => {
      const { store } = await makeStore();
      const { id } = await store.create();
      await expect(store.fork(id, -1)).rejects.toMatchObject({
        message: 'atMessage is a message index: an integer from 0.',
      });
    });

    it('gives up after 20 ids that are taken, and refuses an id it could not use', async () => {
      let calls = 0;
      const { store, dir } = await makeStore({
        newId: () => {
          calls++;
          return '2026-01-01-aaaaaa';
        },
      });
      await store.create();
      calls = 0;
      await expect(store.create()).rejects.toMatchObject({
        name: 'Internal',
        message: 'No free conversation id after 20 tries.',
      });
      expect(calls).toBe(20);
      expect(await readdir(path.dirname(dir('x')))).toEqual(['2026-01-01-aaaaaa', 'index.jsonl']);

      const odd = await makeStore({ newId: () => '../escape' });
      await expect(odd.store.create()).rejects.toMatchObject({
        name: 'Internal',
        message: 'Generated an invalid conversation id.',
      });
    });

    it('leaves no half-made folder behind when creating one fails', async () => {
      const { dataDir, store } = await makeStore({ newId: () => '2026-01-01-bbbbbb' });
      // The journal cannot be written: a folder is in its place.
      await mkdir(path.join(dataDir, 'conversations', 'index.jsonl'), { recursive: true });
      await expect(store.create({ name: 'Doomed' })).rejects.toMatchObject({ code: 'EISDIR' });
      expect(await readdir(path.join(dataDir, 'conversations'))).toEqual(['index.jsonl']);
    });
  });

  describe('grants kept with a conversation', () => {
    it('keep where an auto-approve was granted only together with the auto-approve', async () => {
      const { store } = await makeStore();
      const granted = await store.create({
        chat: { autoApprove: { shell: 'always' } },
        grantScope: 'scope-a',
      });
      expect((await store.readMeta(granted.id)).grantScope).toBe('scope-a');
      const plain = await store.create({ chat: { model: 'm' }, grantScope: 'scope-a' });
      expect(await store.readMeta(plain.id)).not.toHaveProperty('grantScope');
      const unscoped = await store.create({ chat: { autoApprove: { shell: 'always' } } });
      expect(await store.readMeta(unscoped.id)).not.toHaveProperty('grantScope');

      await store.setChat(plain.id, { autoApprove: { save: 'always' } }, 'scope-b');
      expect((await store.readMeta(plain.id)).grantScope).toBe('scope-b');
      // New settings without a scope, or without an auto-approve, end the old grant's scope.
      await store.setChat(plain.id, { autoApprove: { save: 'always' } });
      expect(await store.readMeta(plain.id)).not.toHaveProperty('grantScope');
      await store.setChat(granted.id, { model: 'm' }, 'scope-c');
      expect(await store.readMeta(granted.id)).not.toHaveProperty('grantScope');
    });

    it('are not carried into a fork, whose name stays within 200 characters', async () => {
      const { store } = await makeStore();
      const source = await store.create({
        name: 'x'.repeat(200),
        chat: { model: 'm', autoApprove: { shell: 'always' } },
        grantScope: 'scope-a',
      });
      const fork = await store.fork(source.id);
      expect(fork.name).toBe(`${'x'.repeat(193)} (fork)`);
      const meta = await store.readMeta(fork.id);
      expect(meta.chat).toEqual({ model: 'm' });
      expect(meta).not.toHaveProperty('grantScope');
    });
  });

  describe('a chat.json that is missing, old or unreadable', () => {
    it('is made up from the log: named after its first message, dated by it and by the file', async () => {
      const { store, dir } = await makeStore();
      const { id } = await store.create();
      const first = { ...message('user', 'Where did it go'), timestamp: '2020-05-05T05:05:05.000Z' };
      await store.append(id, first);
      await store.append(id, message('assistant', 'here'));
      await rm(path.join(dir(id), 'chat.json'));
      const modified = new Date('2021-01-01T00:00:00.000Z');
      await utimes(path.join(dir(id), 'conversation.jsonl'), modified, modified);
      expect(await store.readMeta(id)).toEqual({
        name: 'Where did it go',
        nameSource: 'auto',
        createdAt: '2020-05-05T05:05:05.000Z',
        updatedAt: '2021-01-01T00:00:00.000Z',
        messageCount: 2,
        shownCount: 2,
        workspace: null,
        chat: {},
      });
      // A change writes it again, with nothing to keep aside.
      await store.rename(id, 'Found');
      expect((await readdir(dir(id))).sort()).toEqual(['chat.json', 'conversation.jsonl']);
    });

    it('is dated by the log file when the log holds no message', async () => {
      const { store, dir } = await makeStore();
      const { id } = await store.create();
      await rm(path.join(dir(id), 'chat.json'));
      const modified = new Date('2021-01-01T00:00:00.000Z');
      await utimes(path.join(dir(id), 'conversation.jsonl'), modified, modified);
      expect(await store.readMeta(id)).toMatchObject({ name: id, createdAt: modified.toISOString() });
    });

    it('from before the shown count is counted from the log and saved as it was, not set aside', async () => {
      const { store, dir } = await makeStore();
      const { id } = await store.create({ name: 'Old' });
      await store.append(id, message('user', 'a'));
      await store.append(id, message('tool', 'out'));
      const file = path.join(dir(id), 'chat.json');
      const { shownCount: _gone, ...older } = JSON.parse(await readFile(file, 'utf8')) as Record<
        string,
        unknown
      >;
      await writeFile(file, JSON.stringify(older));
      expect(await store.readMeta(id)).toMatchObject({ messageCount: 2, shownCount: 1 });
      await store.rename(id, 'Still old');
      expect((await readdir(dir(id))).sort()).toEqual(['chat.json', 'conversation.jsonl']);
      expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ name: 'Still old', shownCount: 1 });
    });

    it('fails loudly, rather than saying there is no conversation, when the log cannot be looked at', async () => {
      const { store, dir } = await makeStore();
      const { id } = await store.create();
      const log = path.join(dir(id), 'conversation.jsonl');
      await rm(path.join(dir(id), 'chat.json'));
      await rm(log);
      await symlink(log, log);
      await expect(store.readMeta(id)).rejects.toMatchObject({ code: 'ELOOP' });
    });
  });

  describe('artifacts, the hard cases', () => {
    usePermissiveUmask();

    it('keeps them in a folder and files only the user can read', async () => {
      const { store, dir } = await makeStore();
      const { id } = await store.create();
      const file = await store.saveArtifact(id, 'out.txt', 'x');
      expect((await stat(path.join(dir(id), 'artifacts'))).mode & 0o777).toBe(0o700);
      // And so is the conversation's own folder, its log and chat.json.
      expect((await stat(dir(id))).mode & 0o777).toBe(0o700);
      expect((await stat(path.dirname(dir(id)))).mode & 0o777).toBe(0o700);
      expect((await stat(path.join(dir(id), 'conversation.jsonl'))).mode & 0o777).toBe(0o600);
      expect((await stat(path.join(dir(id), 'chat.json'))).mode & 0o777).toBe(0o600);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
    });

    it('says so when no numbered name is free, after the 1000th', async () => {
      const { store, dir } = await makeStore();
      const { id } = await store.create();
      const artifacts = path.join(dir(id), 'artifacts');
      await mkdir(artifacts);
      await writeFile(path.join(artifacts, 'out.txt'), 'taken');
      for (let n = 1; n < 1000; n++) await writeFile(path.join(artifacts, `out-${n}.txt`), 'taken');
      await expect(store.saveArtifact(id, 'out.txt', 'x')).rejects.toMatchObject({
        name: 'Internal',
        message: 'No free artifact name for out.txt.',
      });
      expect(await readdir(artifacts)).toHaveLength(1000);
    });

    it('fails at once, rather than trying other names, when the artifacts folder is a file', async () => {
      const { store, dir } = await makeStore();
      const { id } = await store.create();
      await writeFile(path.join(dir(id), 'artifacts'), 'not a folder');
      await expect(store.saveArtifact(id, 'out.txt', 'x')).rejects.toMatchObject({ code: 'ENOTDIR' });
    });

    it('names the artifact it refuses to read', async () => {
      const { store } = await makeStore();
      const { id } = await store.create();
      await store.saveArtifact(id, 'out.txt', 'x');
      await expect(store.readArtifact(id, 'missing.txt', 10)).rejects.toMatchObject({
        message: expect.stringContaining('The artifact missing.txt'),
      });
    });
  });
});

describe('adopting a folder put together elsewhere (an import)', () => {
  it('moves it in whole under a free id, tells the listeners, and never replaces a taken one', async () => {
    const { store } = await makeStore();
    const root = await store.conversationsFolder();
    expect((await stat(root)).mode & 0o777).toBe(0o700);
    const staged = path.join(root, '.import-test');
    await mkdir(staged);
    await writeFile(path.join(staged, 'conversation.jsonl'), serializeMessages([message('user', 'Hi')]));
    let changes = 0;
    store.onDidChange(() => changes++);
    expect(await store.adopt('taken-one', staged)).toBe(true);
    expect(changes).toBe(1);
    expect((await store.open('taken-one')).messages.map((m) => m.content)).toEqual(['Hi']);

    await mkdir(staged);
    await writeFile(path.join(staged, 'conversation.jsonl'), serializeMessages([message('user', 'Other')]));
    expect(await store.adopt('taken-one', staged)).toBe(false);
    expect(changes).toBe(1);
    expect((await store.open('taken-one')).messages.map((m) => m.content)).toEqual(['Hi']);
    expect(await readdir(staged)).toEqual(['conversation.jsonl']);
  });

  it('refuses a folder from outside the conversations folder, and a malformed id', async () => {
    const { store } = await makeStore();
    const elsewhere = await tempDir();
    await expect(store.adopt('fine-id', elsewhere)).rejects.toMatchObject({
      name: 'Internal',
      message: 'A folder to adopt is put together in the conversations folder.',
    });
    const root = await store.conversationsFolder();
    // A staged folder that is not there is a bug, not a taken id.
    await expect(store.adopt('fine-id', path.join(root, '.import-gone'))).rejects.toMatchObject({
      code: 'ENOENT',
    });
    await expect(store.adopt('..', path.join(root, '.import-x'))).rejects.toMatchObject({
      name: 'InvalidRequest',
    });
  });
});

describe('adopting, when the id is taken or contested', () => {
  it('never replaces an empty folder at the id, and makes the conversations folder with its parents', async () => {
    const dataDir = path.join(await tempDir(), 'not', 'yet');
    const store = new ConversationStore(dataDir);
    const root = await store.conversationsFolder();
    expect(root).toBe(path.join(dataDir, 'conversations'));
    await mkdir(path.join(root, 'empty'));
    const staged = path.join(root, '.import-a');
    await mkdir(staged);
    await writeFile(path.join(staged, 'conversation.jsonl'), serializeMessages([message('user', 'Hi')]));
    expect(await store.adopt('empty', staged)).toBe(false);
    expect(await readdir(path.join(root, 'empty'))).toEqual([]);
  });

  it('lets one of two stores (the app and the CLI) take an id, and the other keeps its folder', async () => {
    const { dataDir, store } = await makeStore();
    const other = new ConversationStore(dataDir);
    const root = await store.conversationsFolder();
    const staged = async (name: string, text: string) => {
      const dir = path.join(root, name);
      await mkdir(dir);
      await writeFile(path.join(dir, 'conversation.jsonl'), serializeMessages([message('user', text)]));
      return dir;
    };
    for (let round = 0; round < 10; round++) {
      const [a, b] = [await staged(`.import-a${round}`, 'A'), await staged(`.import-b${round}`, 'B')];
      const results = await Promise.all([store.adopt(`c${round}`, a), other.adopt(`c${round}`, b)]);
      expect(results.filter(Boolean)).toHaveLength(1);
      const loser = results[0] ? b : a;
      expect(await readdir(loser)).toEqual(['conversation.jsonl']);
    }
  });
});
