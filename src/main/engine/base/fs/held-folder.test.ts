import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, realpath, rename, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bounded } from '../../../../../test/support/bounded';
import { withLockedFolder } from '../../../../../test/support/locked-folder';
import { tempDir } from '../../../../../test/support/temp-dir';
import { holdFolder, type HeldFolder } from './held-folder';

async function setup() {
  const root = await realpath(await tempDir('deskmate-ws-'));
  const outside = await realpath(await tempDir('deskmate-outside-'));
  return { root, outside };
}

/** What holding `folder` came to: `held` (then closed), or the name of the error. */
async function outcomeOf(hold: Promise<HeldFolder>): Promise<string> {
  return hold.then(
    async (folder) => {
      await folder.close();
      return 'held';
    },
    (error: { name: string }) => error.name,
  );
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

  it('says a file stands where a folder should be, or that the file asked for is missing', async () => {
    const { root } = await setup();
    await writeFile(path.join(root, 'a.txt'), 'file');
    await expect(
      holdFolder(root, path.join(root, 'a.txt', 'sub'), { create: true, label: 'a.txt/sub/f', via }),
    ).rejects.toMatchObject({
      message: 'Cannot create a.txt/sub/f: a part of its folder path is a file',
      data: { path: 'a.txt/sub/f' },
    });
    await expect(
      holdFolder(root, path.join(root, 'a.txt', 'sub'), { create: false, label: 'a.txt/sub/f', via }),
    ).rejects.toMatchObject({ name: 'NotFound', message: 'a.txt/sub/f does not exist' });
    expect(await readFile(path.join(root, 'a.txt'), 'utf8')).toBe('file');
  });

  it('says a missing folder is missing, naming the path it was given', async () => {
    const { root } = await setup();
    await expect(
      holdFolder(root, path.join(root, 'x'), { create: false, label: 'x/f.txt', via }),
    ).rejects.toMatchObject({ name: 'NotFound', data: { path: 'x/f.txt' } });
    await writeFile(path.join(root, 'a.txt'), 'file');
    await expect(
      holdFolder(root, path.join(root, 'a.txt', 'sub'), { create: false, label: 'a.txt/sub/f', via }),
    ).rejects.toMatchObject({ name: 'NotFound', data: { path: 'a.txt/sub/f' } });
  });

  it('refuses as changed, or missing, a workspace folder that was removed meanwhile', async () => {
    const { root } = await setup();
    await rm(root, { recursive: true });
    await expect(
      holdFolder(root, path.join(root, 'sub'), { create: true, label: 'sub/f.txt', via }),
    ).rejects.toMatchObject({ name: 'PathChanged', data: { path: 'sub/f.txt' } });
    await expect(
      holdFolder(root, path.join(root, 'sub'), { create: false, label: 'sub/f.txt', via }),
    ).rejects.toMatchObject({ name: 'NotFound', message: 'sub/f.txt does not exist' });
  });

  it('refuses as changed a workspace folder that became a loop of symlinks', async () => {
    const { root } = await setup();
    const loop = path.join(root, 'loop');
    await symlink(loop, loop);
    for (const create of [true, false]) {
      await expect(
        holdFolder(loop, path.join(loop, 'sub'), { create, label: 'sub/f.txt', via }),
      ).rejects.toMatchObject({ name: 'PathChanged' });
    }
  });

  it('says permission was denied where a folder may not be created', async () => {
    const { root } = await setup();
    await mkdir(path.join(root, 'locked'));
    await withLockedFolder(path.join(root, 'locked'), async () => {
      await expect(
        holdFolder(root, path.join(root, 'locked', 'new'), { create: true, label: 'locked/new/f', via }),
      ).rejects.toMatchObject({
        name: 'PermissionDenied',
        message: 'Permission denied for a folder on the path of locked/new/f',
        data: { path: 'locked/new/f' },
      });
    });
    expect(await readdir(path.join(root, 'locked'))).toEqual([]);
  });

  it('passes on an error it has no name for, rather than blame it on a swap', async () => {
    const { root } = await setup();
    const long = 'n'.repeat(300);
    for (const create of [true, false]) {
      await expect(
        holdFolder(root, path.join(root, long), { create, label: 'long/f', via }),
      ).rejects.toMatchObject({ code: 'ENAMETOOLONG' });
    }
  });

  it('lets several calls make the same new folders at once, all of them holding it', async () => {
    const { root } = await setup();
    const folder = path.join(root, 'new', 'sub');
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, () => outcomeOf(holdFolder(root, folder, { create: true, label: 'f', via }))),
    );
    expect(outcomes).toEqual(Array.from({ length: 8 }, () => 'held'));
    expect(await readdir(path.join(root, 'new'))).toEqual(['sub']);
  });

  it('holds a real folder or says the path changed, while another process swaps a symlink in and out of its place', async () => {
    const { root, outside } = await setup();
    // The place of `new` keeps changing: a symlink to outside, then nothing, whatever was made there gone.
    const flipper = spawn(
      'sh',
      ['-c', `cd '${root}'; while :; do ln -s '${outside}' new; rm -rf new; done 2>/dev/null`],
      { stdio: 'ignore' },
    );
    try {
      const outcomes = new Map<string, number>();
      const count = (outcome: string) => outcomes.get(outcome) ?? 0;
      const hold = async () => {
        const outcome = await outcomeOf(
          holdFolder(root, path.join(root, 'new'), { create: true, label: 'new/f', via }),
        );
        outcomes.set(outcome, count(outcome) + 1);
      };
      const holds = async () => {
        for (let round = 0; round < 100 && count('PathChanged') < 250; round++) {
          await Promise.all(Array.from({ length: 20 }, hold));
        }
      };
      await bounded(holds(), 10_000, 'holds of a folder whose place keeps changing');
      expect(count('PathChanged')).toBeGreaterThan(0);
      expect([...outcomes.keys()].filter((key) => !['held', 'PathChanged'].includes(key))).toEqual([]);
    } finally {
      flipper.kill('SIGKILL');
    }
    expect(await readdir(outside)).toEqual([]);
  });

  it('holds the root folder itself for a file at the top', async () => {
    const { root } = await setup();
    const folder = await holdFolder(root, root, { create: false, label: 'top.txt', via });
    await writeFile(folder.entry('top.txt'), 'top');
    await folder.close();
    expect(await readFile(path.join(root, 'top.txt'), 'utf8')).toBe('top');
  });

  it('refuses a symlink met on the way, even one that stays inside', async () => {
    const { root, outside } = await setup();
    await mkdir(path.join(root, 'real'));
    await symlink(outside, path.join(root, 'out'));
    await symlink(path.join(root, 'real'), path.join(root, 'in'));
    for (const name of ['out', 'in']) {
      await expect(
        holdFolder(root, path.join(root, name, 'sub'), { create: true, label: `${name}/sub/f`, via }),
      ).rejects.toMatchObject({
        name: 'PathChanged',
        message:
          `A folder on the path of ${name}/sub/f was moved, removed or replaced by a symlink while it was ` +
          'being opened; refused, nothing was changed. Look at the folder and try again.',
        data: { path: `${name}/sub/f` },
      });
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
    for (const folder of [outside, path.dirname(root), `${root}-old`]) {
      await expect(holdFolder(root, folder, { create: true, label: 'x', via }), folder).rejects.toMatchObject(
        {
          name: 'PathOutsideWorkspace',
          message: 'x is outside the workspace; refused',
          data: { path: 'x' },
        },
      );
    }
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

describe('holdFolder, how it names files', () => {
  it('names them through the held handle by default on Linux, and by plain path when asked', async () => {
    const { root } = await setup();
    await mkdir(path.join(root, 'sub'));
    const byHandle = await holdFolder(root, path.join(root, 'sub'), { create: false, label: 'sub/f' });
    const byPath = await holdFolder(root, path.join(root, 'sub'), {
      create: false,
      label: 'sub/f',
      via: 'paths',
    });
    try {
      expect(byHandle.entry('f')).toMatch(/^\/proc\/self\/fd\/\d+\/f$/);
      expect(byPath.entry('f')).toBe(path.join(root, 'sub', 'f'));
    } finally {
      await byHandle.close();
      await byPath.close();
    }
  });
});

describe('holdFolder (via handles), open handles', () => {
  const openHandles = async () => (await readdir('/proc/self/fd')).length;

  it('closes every folder it opened, when it fails on the way as when it is closed', async () => {
    const { root } = await setup();
    await mkdir(path.join(root, 'a', 'b'), { recursive: true });
    await writeFile(path.join(root, 'a', 'b', 'file'), '');
    const before = await openHandles();
    await expect(
      holdFolder(root, path.join(root, 'a', 'b', 'file', 'c'), { create: true, label: 'x', via: 'handles' }),
    ).rejects.toMatchObject({ name: 'NotADirectory' });
    expect(await openHandles()).toBe(before);
    const folder = await holdFolder(root, path.join(root, 'a', 'b'), { create: false, label: 'x' });
    expect(await openHandles()).toBe(before + 1);
    await folder.close();
    expect(await openHandles()).toBe(before);
  });
});
