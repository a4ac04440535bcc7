import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../../test/support/temp-dir';
import type { Message } from '../../../shared/domain';
import { ConversationStore } from './conversation-store';

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
      expect(text).toBe(`${JSON.stringify(m)}\n`);
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
      expect(lines.map((l) => JSON.parse(l) as Message)).toEqual(sent);
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
});
