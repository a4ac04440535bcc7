import { mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../../../test/support/temp-dir';
import { readSourceConversation } from './source-conversation';

const line = `${JSON.stringify({ role: 'user', content: 'Hi', timestamp: '2026-03-05T10:00:00' })}\n`;

describe('reading one gptme conversation folder', () => {
  it('says a folder gone since it was listed cannot be opened, and makes none', async () => {
    const root = await tempDir();
    expect(await readSourceConversation(root, 'gone')).toEqual({
      ok: false,
      reason: 'cannot be opened: the folder does not exist',
    });
    expect(await readdir(root)).toEqual([]);
  });

  it('refuses a folder swapped for a symlink since it was listed', async () => {
    const root = await tempDir();
    const elsewhere = await tempDir();
    await writeFile(path.join(elsewhere, 'conversation.jsonl'), line);
    await symlink(elsewhere, path.join(root, 'swapped'));
    const read = await readSourceConversation(root, 'swapped');
    expect(read).toMatchObject({ ok: false, reason: expect.stringMatching(/^cannot be opened: /) });
  });

  it('stops at once when its signal is aborted', async () => {
    const root = await tempDir();
    await mkdir(path.join(root, 'one'));
    await writeFile(path.join(root, 'one', 'conversation.jsonl'), line);
    const abort = new AbortController();
    abort.abort(new Error('stop'));
    await expect(readSourceConversation(root, 'one', abort.signal)).rejects.toThrow('stop');
    expect(await readSourceConversation(root, 'one')).toMatchObject({ ok: true });
  });
});
