import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../../test/support/temp-dir';
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
});
