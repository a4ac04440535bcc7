import { mkdir, realpath, symlink } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeWorkspace } from '../../../../test/support/engine';
import { tempDir } from '../../../../test/support/temp-dir';
import { refuseOutsideWorkspace, resolveInWorkspace } from './workspace-path';

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

  it('refuses a path with a NUL byte before looking at the disk', async () => {
    const ws = await realpath(await makeWorkspace({ 'a.txt': 'x' }));
    await expect(resolveInWorkspace(ws, 'a.txt\0.png')).rejects.toMatchObject({
      name: 'InvalidPath',
      message: expect.stringMatching(/NUL character/),
    });
  });

  it('says a path that leaves by name is outside the workspace, without blaming a symlink', async () => {
    const ws = await realpath(await makeWorkspace());
    for (const bad of ['../x', '..', '/etc/passwd']) {
      await expect(resolveInWorkspace(ws, bad), bad).rejects.toMatchObject({
        name: 'PathOutsideWorkspace',
        message: `${bad} is outside the workspace (${ws}); refused`,
        data: { path: bad },
      });
    }
    await symlink('/etc', path.join(ws, 'etc-link'));
    await expect(resolveInWorkspace(ws, 'etc-link/passwd')).rejects.toMatchObject({
      name: 'PathOutsideWorkspace',
      message: 'etc-link/passwd leads outside the workspace through a symlink; refused',
      data: { path: 'etc-link/passwd' },
    });
  });

  it('refuses an absolute path outside the workspace even when it is a symlink into it', async () => {
    // The model named a place outside; that the link happens to land inside is no reason to
    // write there, and the approval card would show the outside path.
    const ws = await realpath(await makeWorkspace({ 'a.txt': 'x', 'sub/b.txt': 'y' }));
    const outside = await realpath(await tempDir());
    await symlink(path.join(ws, 'a.txt'), path.join(outside, 'into-file'));
    await symlink(path.join(ws, 'sub'), path.join(outside, 'into-folder'));
    for (const bad of [path.join(outside, 'into-file'), path.join(outside, 'into-folder', 'b.txt')]) {
      await expect(resolveInWorkspace(ws, bad), bad).rejects.toMatchObject({
        name: 'PathOutsideWorkspace',
        message: expect.stringMatching(/is outside the workspace/),
      });
    }
  });

  it('follows dangling symlinks, relative ones from their own folder, to where a write would land', async () => {
    const ws = await realpath(await makeWorkspace({ 'd/keep.txt': '' }));
    await symlink('new.txt', path.join(ws, 'd', 'rel-link'));
    await symlink('../../escape.txt', path.join(ws, 'd', 'rel-out'));
    await symlink(path.join(ws, 'd', 'rel-link'), path.join(ws, 'chain'));
    expect(await resolveInWorkspace(ws, 'd/rel-link')).toBe(path.join(ws, 'd', 'new.txt'));
    expect(await resolveInWorkspace(ws, 'chain')).toBe(path.join(ws, 'd', 'new.txt'));
    await expect(resolveInWorkspace(ws, 'd/rel-out')).rejects.toMatchObject({ name: 'PathOutsideWorkspace' });
  });

  it('names a symlink loop instead of resolving around it', async () => {
    const ws = await realpath(await makeWorkspace());
    await symlink('loop', path.join(ws, 'loop'));
    await symlink('pong', path.join(ws, 'ping'));
    await symlink('ping', path.join(ws, 'pong'));
    for (const bad of ['loop', 'loop/x.txt', 'ping/x.txt']) {
      await expect(resolveInWorkspace(ws, bad), bad).rejects.toMatchObject({
        name: 'SymlinkLoop',
        message: `${bad} goes through a loop of symbolic links (or too many of them); refused`,
        data: { path: bad },
      });
    }
  });

  it('passes on other errors of the file system, named after the path the model gave', async () => {
    const ws = await realpath(await makeWorkspace());
    const long = `${'x'.repeat(300)}/y.txt`;
    await expect(resolveInWorkspace(ws, long)).rejects.toMatchObject({ code: 'ENAMETOOLONG' });
  });

  it("refuses Deskmate's data folder by any name, even before it exists, and nothing beside it", async () => {
    const ws = await realpath(await makeWorkspace({ 'data/keys.json': '{}', 'data-old/x.txt': '' }));
    await symlink(path.join(ws, 'data'), path.join(ws, 'data-link'));
    const offLimits = [path.join(ws, 'data-link'), path.join(ws, 'later')];
    for (const bad of ['data/keys.json', 'data', 'data-link/keys.json', 'later/settings.json']) {
      await expect(resolveInWorkspace(ws, bad, offLimits), bad).rejects.toMatchObject({
        name: 'PathOffLimits',
        message: `${bad} is in Deskmate's own data folder, which the file tools never touch; refused`,
        data: { path: bad },
      });
    }
    expect(await resolveInWorkspace(ws, 'data-old/x.txt', offLimits)).toBe(path.join(ws, 'data-old/x.txt'));
  });

  it('refuses before approval with the same checks, given a tool call and its context', async () => {
    const ws = await realpath(await makeWorkspace({ 'data/keys.json': '{}' }));
    const context = { workspace: ws, offLimits: [path.join(ws, 'data')] };
    await expect(refuseOutsideWorkspace({ path: 'ok.txt' }, context)).resolves.toBeUndefined();
    await expect(refuseOutsideWorkspace({ path: '../x' }, context)).rejects.toMatchObject({
      name: 'PathOutsideWorkspace',
    });
    await expect(refuseOutsideWorkspace({ path: 'data/keys.json' }, context)).rejects.toMatchObject({
      name: 'PathOffLimits',
    });
  });
});
