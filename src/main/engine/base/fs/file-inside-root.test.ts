import { mkdir, realpath, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeFifo } from '../../../../../test/support/fifo';
import { tempDir } from '../../../../../test/support/temp-dir';
import { isStrictlyInside, regularFileInside } from './file-inside-root';

describe('isStrictlyInside', () => {
  it('is true only strictly below the root', () => {
    expect(isStrictlyInside('/srv/app', '/srv/app/index.html')).toBe(true);
    expect(isStrictlyInside('/srv/app', '/srv/app/..cache/x')).toBe(true);
    expect(isStrictlyInside('/srv/app', '/srv/app')).toBe(false);
    expect(isStrictlyInside('/srv/app', '/srv/app-old/index.html')).toBe(false);
    expect(isStrictlyInside('/srv/app', '/srv')).toBe(false);
    expect(isStrictlyInside('/srv/app', '/etc/passwd')).toBe(false);
  });
});

describe('regularFileInside', () => {
  async function site() {
    const root = await realpath(await tempDir());
    const outside = await realpath(await tempDir());
    await mkdir(path.join(root, 'assets'));
    await writeFile(path.join(root, 'index.html'), '<p>hi</p>');
    await writeFile(path.join(root, 'assets', 'app.js'), 'x');
    await writeFile(path.join(outside, 'secret.txt'), 'secret');
    return { root, outside };
  }

  it('finds a regular file below the root, with its real path, size and time', async () => {
    const { root } = await site();
    const found = await regularFileInside(root, 'index.html');
    expect(found).toEqual({ file: path.join(root, 'index.html'), size: 9, mtime: expect.any(Date) });
    expect(found?.mtime.getTime()).toBeGreaterThan(Date.now() - 60_000);
  });

  it('follows symlinks that stay inside, on either side', async () => {
    const { root } = await site();
    await symlink(path.join(root, 'assets', 'app.js'), path.join(root, 'alias.js'));
    const linkedRoot = path.join(await tempDir(), 'site');
    await symlink(root, linkedRoot);
    expect(await regularFileInside(root, 'alias.js')).toMatchObject({
      file: path.join(root, 'assets', 'app.js'),
    });
    expect(await regularFileInside(linkedRoot, 'assets/app.js')).toMatchObject({
      file: path.join(root, 'assets', 'app.js'),
      size: 1,
    });
  });

  it('finds nothing outside the root, at the root itself, or where there is no regular file', async () => {
    const { root, outside } = await site();
    await symlink(path.join(outside, 'secret.txt'), path.join(root, 'leak.txt'));
    await symlink(outside, path.join(root, 'out'));
    makeFifo(path.join(root, 'pipe'));
    // Named from outside, though it leads back in: only the path as given counts first.
    await symlink(path.join(root, 'index.html'), path.join(outside, 'back-in.html'));
    for (const relative of [
      '../secret.txt',
      path.join(path.relative(root, outside), 'back-in.html'),
      path.join(outside, 'secret.txt'),
      'leak.txt',
      'out/secret.txt',
      '',
      '.',
      'assets',
      'missing.html',
      'pipe',
    ]) {
      expect(await regularFileInside(root, relative), relative).toBeUndefined();
    }
  });
});
