import { mkdir, realpath, symlink } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeWorkspace } from '../../../../test/support/engine';
import { tempDir } from '../../../../test/support/temp-dir';
import { resolveInWorkspace } from './workspace-path';

describe('resolveInWorkspace', () => {
  it('resolves relative and absolute paths inside the workspace', async () => {
    const ws = await realpath(await makeWorkspace({ 'a/b.txt': 'x' }));
    expect(await resolveInWorkspace(ws, 'a/b.txt')).toBe(path.join(ws, 'a/b.txt'));
    expect(await resolveInWorkspace(ws, path.join(ws, 'a/new/c.txt'))).toBe(path.join(ws, 'a/new/c.txt'));
    expect(await resolveInWorkspace(ws, 'a/../a/./b.txt')).toBe(path.join(ws, 'a/b.txt'));
    // A name that starts with two dots is not a way out.
    expect(await resolveInWorkspace(ws, '..cache/x.txt')).toBe(path.join(ws, '..cache/x.txt'));
  });

  it('refuses .., absolute paths elsewhere and symlinks that lead out, dangling ones included', async () => {
    const ws = await realpath(await makeWorkspace());
    const outside = await realpath(await tempDir());
    await symlink(outside, path.join(ws, 'out-dir'));
    await symlink(path.join(outside, 'not-yet.txt'), path.join(ws, 'dangling.txt'));
    await mkdir(path.join(ws, 'in'));
    await symlink(path.join(ws, 'in'), path.join(ws, 'in-link'));
    for (const bad of ['../x', '/etc/passwd', 'out-dir/file.txt', 'dangling.txt', 'a/../../x']) {
      await expect(resolveInWorkspace(ws, bad), bad).rejects.toMatchObject({ name: 'PathOutsideWorkspace' });
    }
    expect(await resolveInWorkspace(ws, 'in-link/f.txt')).toBe(path.join(ws, 'in/f.txt'));
  });
});
