import { mkdir, readdir, readFile, realpath, rename, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../../test/support/temp-dir';
import { holdFolder } from './held-folder';

async function setup() {
  const root = await realpath(await tempDir('deskmate-ws-'));
  const outside = await realpath(await tempDir('deskmate-outside-'));
  return { root, outside };
}

describe.each(['handles', 'paths'] as const)('holdFolder (via %s)', (via) => {
  it('walks to a folder and names files in it', async () => {
    const { root } = await setup();
    await mkdir(path.join(root, 'a', 'b'), { recursive: true });
    await writeFile(path.join(root, 'a', 'b', 'f.txt'), 'inside');
    const folder = await holdFolder(root, path.join(root, 'a', 'b'), {
      create: false,
      label: 'a/b/f.txt',
      via,
    });
    try {
      expect(await readFile(folder.entry('f.txt'), 'utf8')).toBe('inside');
    } finally {
      await folder.close();
    }
  });

  it('creates missing folders when asked, and reports them missing otherwise', async () => {
    const { root } = await setup();
    await expect(
      holdFolder(root, path.join(root, 'x', 'y'), { create: false, label: 'x/y/f.txt', via }),
    ).rejects.toMatchObject({ name: 'NotFound', message: 'x/y/f.txt does not exist' });
    const folder = await holdFolder(root, path.join(root, 'x', 'y'), {
      create: true,
      label: 'x/y/f.txt',
      via,
    });
    await writeFile(folder.entry('f.txt'), 'new');
    await folder.close();
    expect(await readFile(path.join(root, 'x', 'y', 'f.txt'), 'utf8')).toBe('new');
  });

  it('reports a file where a folder is needed', async () => {
    const { root } = await setup();
    await writeFile(path.join(root, 'a.txt'), 'file');
    await expect(
      holdFolder(root, path.join(root, 'a.txt', 'sub'), { create: true, label: 'a.txt/sub/f', via }),
    ).rejects.toMatchObject({ name: 'NotADirectory' });
  });

  it('refuses a symlink met on the way, even one that stays inside', async () => {
    const { root, outside } = await setup();
    await mkdir(path.join(root, 'real'));
    await symlink(outside, path.join(root, 'out'));
    await symlink(path.join(root, 'real'), path.join(root, 'in'));
    for (const name of ['out', 'in']) {
      await expect(
        holdFolder(root, path.join(root, name, 'sub'), { create: true, label: `${name}/sub/f`, via }),
      ).rejects.toMatchObject({ name: 'PathChanged' });
    }
    expect(await readdir(outside)).toEqual([]);
    expect(await readdir(path.join(root, 'real'))).toEqual([]);
  });

  it('takes a folder whose name starts with two dots for what it is, a folder inside', async () => {
    const { root } = await setup();
    const folder = await holdFolder(root, path.join(root, '..cache'), {
      create: true,
      label: '..cache/f',
      via,
    });
    await folder.close();
    expect(await readdir(root)).toEqual(['..cache']);
  });

  it('refuses a folder outside the root', async () => {
    const { root, outside } = await setup();
    await expect(holdFolder(root, outside, { create: true, label: 'x', via })).rejects.toMatchObject({
      name: 'PathOutsideWorkspace',
    });
  });
});

describe('holdFolder (via handles)', () => {
  it('keeps naming the folder it walked to after that folder is swapped for a symlink to outside', async () => {
    const { root, outside } = await setup();
    await mkdir(path.join(root, 'sub'));
    const folder = await holdFolder(root, path.join(root, 'sub'), { create: false, label: 'sub/f.txt' });
    try {
      // What a symlink race does between the check and the write.
      await rename(path.join(root, 'sub'), path.join(root, 'moved'));
      await symlink(outside, path.join(root, 'sub'));
      await writeFile(folder.entry('f.txt'), 'stays inside');
    } finally {
      await folder.close();
    }
    expect(await readdir(outside)).toEqual([]);
    expect(await readFile(path.join(root, 'moved', 'f.txt'), 'utf8')).toBe('stays inside');
  });
});
