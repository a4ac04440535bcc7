import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../../test/support/temp-dir';
import { isFolder, knownFolder } from './known-folder';

describe('knownFolder', () => {
  it('finds a folder among the known ones as real paths, through symlinks and dot-dots', async () => {
    const root = await tempDir();
    const a = path.join(root, 'a');
    const b = path.join(root, 'b');
    await mkdir(a);
    await mkdir(b);
    await symlink(a, path.join(root, 'link-to-a'));
    expect(await knownFolder(a, [b, a])).toBe(a);
    expect(await knownFolder(path.join(root, 'link-to-a'), [b, a])).toBe(a);
    expect(await knownFolder(path.join(b, '..', 'a'), [a])).toBe(a);
    // Known through a symlink the user opened: the recorded real folder is that one.
    expect(await knownFolder(a, [path.join(root, 'link-to-a')])).toBe(path.join(root, 'link-to-a'));
  });

  it('finds nothing for another folder, a parent of a known one, or one that is gone', async () => {
    const root = await tempDir();
    const a = path.join(root, 'a');
    await mkdir(a);
    expect(await knownFolder(root, [a])).toBeUndefined();
    expect(await knownFolder(path.join(root, 'gone'), [a, path.join(root, 'gone')])).toBeUndefined();
    expect(await knownFolder(a, [path.join(root, 'gone')])).toBeUndefined();
    expect(await knownFolder(a, [])).toBeUndefined();
  });
});

describe('isFolder', () => {
  it('is true for a folder only', async () => {
    const root = await tempDir();
    await writeFile(path.join(root, 'f'), 'x');
    expect(await isFolder(root)).toBe(true);
    expect(await isFolder(path.join(root, 'f'))).toBe(false);
    expect(await isFolder(path.join(root, 'gone'))).toBe(false);
  });
});
