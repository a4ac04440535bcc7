import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../../../test/support/temp-dir';
import { conversationIdFor, IMPORT_MARKER, placeFor, sha256Of } from './import-identity';

describe('the id of an imported gptme conversation', () => {
  it("is gptme's folder name when that is a safe id", () => {
    expect(conversationIdFor('2024-01-01-sneaking-pink-frog')).toBe('2024-01-01-sneaking-pink-frog');
    expect(conversationIdFor('v1.2_notes')).toBe('v1.2_notes');
  });

  it('is the name made safe otherwise, never a dot name, a separator or a control character', () => {
    expect(conversationIdFor('fix the bug')).toBe('fix_the_bug');
    expect(conversationIdFor('..evil')).toBe('evil');
    expect(conversationIdFor('a\u0000b\u001bc')).toBe('a_b_c');
    expect(conversationIdFor('x'.repeat(300))).toBe('x'.repeat(100));
  });

  it('is a hash of the name when nothing safe is left of it, or Windows reserves it', () => {
    for (const name of ['...', '\u202e', 'con', 'LPT1.txt']) {
      const id = conversationIdFor(name);
      expect(id, name).toMatch(/^gptme-[0-9a-f]{12}$/);
      expect(conversationIdFor(name), name).toBe(id);
    }
    expect(conversationIdFor('...')).not.toBe(conversationIdFor('\u202e'));
  });
});

describe('where an imported log goes', () => {
  const log = Buffer.from('{"role":"user","content":"Hi","timestamp":"2026-03-05T10:00:00"}\n');

  it('is its id when free, else the first numbered id free, naming the id that was taken', async () => {
    const root = await tempDir();
    expect(await placeFor(root, 'chat', log)).toEqual({ kind: 'free', id: 'chat' });
    await mkdir(path.join(root, 'chat'));
    await mkdir(path.join(root, 'chat-1'));
    expect(await placeFor(root, 'chat', log)).toEqual({ kind: 'free', id: 'chat-2', taken: 'chat' });
  });

  it('is where a folder already holds it: by its marker, or a log that starts with it', async () => {
    const root = await tempDir();
    await mkdir(path.join(root, 'chat'));
    await mkdir(path.join(root, 'chat-1'));
    await writeFile(path.join(root, 'chat-1', IMPORT_MARKER), JSON.stringify({ sha256: sha256Of(log) }));
    expect(await placeFor(root, 'chat', log)).toEqual({ kind: 'present', id: 'chat-1' });
    await writeFile(
      path.join(root, 'chat', 'conversation.jsonl'),
      Buffer.concat([log, Buffer.from('more\n')]),
    );
    expect(await placeFor(root, 'chat', log)).toEqual({ kind: 'present', id: 'chat' });
  });

  it('is not a folder whose marker or log differ, nor one whose log is shorter', async () => {
    const root = await tempDir();
    await mkdir(path.join(root, 'chat'));
    await writeFile(path.join(root, 'chat', IMPORT_MARKER), JSON.stringify({ sha256: 'other' }));
    await writeFile(path.join(root, 'chat', 'conversation.jsonl'), log.subarray(0, 10));
    await mkdir(path.join(root, 'chat-1'));
    await writeFile(path.join(root, 'chat-1', IMPORT_MARKER), 'not json');
    expect(await placeFor(root, 'chat', log)).toEqual({ kind: 'free', id: 'chat-2', taken: 'chat' });
  });

  it('is nowhere after a hundred ids are taken', async () => {
    const root = await tempDir();
    await mkdir(path.join(root, 'chat'));
    for (let n = 1; n < 100; n++) await mkdir(path.join(root, `chat-${n}`));
    expect(await placeFor(root, 'chat', log)).toBeUndefined();
  });
});

describe('where an imported log goes, in a folder that misleads', () => {
  const log = Buffer.from('{"role":"user","content":"Hi","timestamp":"2026-03-05T10:00:00"}\n');

  it('follows no symlink for the marker or the log it compares', async () => {
    const root = await tempDir();
    const elsewhere = await tempDir();
    await writeFile(path.join(elsewhere, 'marker'), JSON.stringify({ sha256: sha256Of(log) }));
    await writeFile(path.join(elsewhere, 'log'), log);
    await mkdir(path.join(root, 'chat'));
    await symlink(path.join(elsewhere, 'marker'), path.join(root, 'chat', IMPORT_MARKER));
    await mkdir(path.join(root, 'chat-1'));
    await symlink(path.join(elsewhere, 'log'), path.join(root, 'chat-1', 'conversation.jsonl'));
    expect(await placeFor(root, 'chat', log)).toEqual({ kind: 'free', id: 'chat-2', taken: 'chat' });
  });

  it('fails, rather than calling an id free, when the folder cannot be looked in', async () => {
    const file = path.join(await tempDir(), 'not-a-folder');
    await writeFile(file, 'x');
    await expect(placeFor(file, 'chat', log)).rejects.toMatchObject({ code: 'ENOTDIR' });
  });
});
