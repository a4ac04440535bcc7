import { lstatSync, watch } from 'node:fs';
import { chmod, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../../../test/support/temp-dir';
import { writeFileAtomic } from './atomic-write';

describe('writeFileAtomic', () => {
  it('replaces the content and leaves no temp file', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'chat.json');
    await writeFile(file, 'old');
    await writeFileAtomic(file, 'new');
    expect(await readFile(file, 'utf8')).toBe('new');
    expect(await readdir(dir)).toEqual(['chat.json']);
  });

  it('keeps the old content and cleans up when the rename fails', async () => {
    const dir = await tempDir();
    // A folder where the file should be: the rename fails after the temp file was written.
    const target = path.join(dir, 'chat.json');
    await mkdir(target);
    await writeFile(path.join(target, 'inside'), 'keep');
    await expect(writeFileAtomic(target, 'new')).rejects.toThrow();
    expect(await readdir(dir)).toEqual(['chat.json']);
    expect(await readFile(path.join(target, 'inside'), 'utf8')).toBe('keep');
  });

  it('gives the file the mode asked for, whatever the umask', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'secret.json');
    await writeFileAtomic(file, '{}', 0o600);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    await writeFile(path.join(dir, 'run.sh'), 'echo old');
    await chmod(path.join(dir, 'run.sh'), 0o775);
    await writeFileAtomic(path.join(dir, 'run.sh'), 'echo new', 0o775);
    expect((await stat(path.join(dir, 'run.sh'))).mode & 0o777).toBe(0o775);
  });

  it('reports why it could not write, not a failure of its own clean-up', async () => {
    const dir = await tempDir();
    await expect(writeFileAtomic(path.join(dir, 'gone', 'chat.json'), 'new')).rejects.toMatchObject({
      code: 'ENOENT',
      syscall: 'open',
    });
    expect(await readdir(dir)).toEqual([]);
  });

  it('writes text as UTF-8 beside the file, and a new file without a mode gets the usual one', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'notes.md');
    await writeFileAtomic(file, 'héllo ✓');
    expect(await readFile(file)).toEqual(Buffer.from('héllo ✓', 'utf8'));
    expect((await stat(file)).mode & 0o777).toBe(0o666 & ~process.umask());
  });

  it('never lets others read a private file, not even while its content is being written', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'conversation.jsonl');
    // Every temp file is looked at the moment it appears, before a byte of the content is in it.
    const tempModes: number[] = [];
    const watcher = watch(dir, (_event, name) => {
      if (!name?.endsWith('.tmp')) return;
      try {
        tempModes.push(lstatSync(path.join(dir, name)).mode & 0o777);
      } catch {
        // Already renamed into place: its mode is checked below.
      }
    });
    try {
      // Large enough that the write takes many turns of the event loop.
      await writeFileAtomic(file, 'secret '.repeat(600_000), 0o600);
    } finally {
      watcher.close();
    }
    expect(tempModes.length).toBeGreaterThan(0);
    expect(tempModes.every((mode) => mode === 0o600)).toBe(true);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('leaves no file open behind it, when it writes and when it fails', async () => {
    const dir = await tempDir();
    const openFiles = async () => (await readdir('/proc/self/fd')).length;
    const before = await openFiles();
    await writeFileAtomic(path.join(dir, 'chat.json'), 'new');
    expect(await openFiles()).toBe(before);
    await mkdir(path.join(dir, 'folder'));
    await writeFile(path.join(dir, 'folder', 'inside'), 'keep');
    await expect(writeFileAtomic(path.join(dir, 'folder'), 'new')).rejects.toThrow();
    expect(await openFiles()).toBe(before);
  });

  it('writes a file whose name is as long as the file system allows', async () => {
    const dir = await tempDir();
    const file = path.join(dir, `${'é'.repeat(125)}.txt`);
    await writeFileAtomic(file, 'new');
    expect(await readFile(file, 'utf8')).toBe('new');
    expect(await readdir(dir)).toEqual([path.basename(file)]);
  });
});
