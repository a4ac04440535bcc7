import { link, lstat, readdir, readFile, realpath, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeWorkspace } from '../../../../test/support/engine';
import { makeFifo } from '../../../../test/support/fifo';
import { tempDir } from '../../../../test/support/temp-dir';
import { assertWritable, readWorkspaceFile, targetFile, writeError } from './target-file';

const openHandles = async () => (await readdir('/proc/self/fd')).length;

describe('targetFile', () => {
  it('names a new file through its held folder, making the folders on the way for a write', async () => {
    const ws = await realpath(await makeWorkspace());
    const before = await openHandles();
    const target = await targetFile(ws, 'new/dir/f.txt', { create: true });
    expect(target.existing).toBeUndefined();
    await writeFile(target.entry, 'written');
    await target.close();
    expect(await readFile(path.join(ws, 'new/dir/f.txt'), 'utf8')).toBe('written');
    expect(await openHandles()).toBe(before);
  });

  it('says what is there already, without following a symlink in its last part', async () => {
    const ws = await realpath(await makeWorkspace({ 'a.txt': 'abc' }));
    await symlink('a.txt', path.join(ws, 'alias.txt'));
    const target = await targetFile(ws, 'a.txt', { create: false });
    expect(target.existing?.isFile()).toBe(true);
    expect(target.existing?.size).toBe(3);
    await target.close();
    // The resolved alias names the real file; what lstat sees there is the file, not the link.
    const alias = await targetFile(ws, 'alias.txt', { create: false });
    expect(alias.existing?.isFile()).toBe(true);
    await alias.close();
  });

  it('reports a missing folder as NotFound when reading, and creates nothing', async () => {
    const ws = await realpath(await makeWorkspace());
    await expect(targetFile(ws, 'nowhere/f.txt', { create: false })).rejects.toMatchObject({
      name: 'NotFound',
    });
    expect(await readdir(ws)).toEqual([]);
  });

  it('refuses the workspace folder itself, by any name', async () => {
    const ws = await realpath(await makeWorkspace());
    for (const requested of ['.', ws, 'sub/..']) {
      await expect(targetFile(ws, requested, { create: true }), requested).rejects.toMatchObject({
        name: 'IsADirectory',
        message: `${requested} is the workspace folder itself, not a file`,
        data: { path: requested },
      });
    }
  });

  it('refuses paths outside and off limits before holding anything', async () => {
    const ws = await realpath(await makeWorkspace({ 'data/keys.json': '{}' }));
    await expect(targetFile(ws, '../x.txt', { create: true })).rejects.toMatchObject({
      name: 'PathOutsideWorkspace',
    });
    await expect(
      targetFile(ws, 'data/keys.json', { create: true, offLimits: [path.join(ws, 'data')] }),
    ).rejects.toMatchObject({ name: 'PathOffLimits' });
  });
});

describe('assertWritable', () => {
  it('lets a single-linked regular file be written', async () => {
    const ws = await realpath(await makeWorkspace({ 'a.txt': 'x' }));
    const stats = await stat(path.join(ws, 'a.txt'));
    expect(() => assertWritable(stats, 'a.txt', 'save to')).not.toThrow();
  });

  it('refuses a folder, a symlink swapped in, a FIFO and a hard-linked file, each saying why', async () => {
    const ws = await realpath(await makeWorkspace({ 'dir/x': '', 'a.txt': 'x' }));
    const outside = await realpath(await tempDir());
    await symlink('a.txt', path.join(ws, 'link'));
    makeFifo(path.join(ws, 'pipe'));
    await link(path.join(ws, 'a.txt'), path.join(outside, 'twin.txt'));
    const cases: [string, object][] = [
      ['dir', { name: 'IsADirectory', message: 'dir is a directory; give a file path to save to' }],
      [
        'link',
        { name: 'PathChanged', message: 'link was replaced by a symlink while it was being opened; refused' },
      ],
      ['pipe', { name: 'NotARegularFile' }],
      [
        'a.txt',
        {
          name: 'HardLinked',
          message: expect.stringMatching(
            /^a\.txt has 2 hard links: .*outside the workspace, and writing it would change it there too; refused\. To change only this copy, break the link first \(for example with shell: cp -p FILE/,
          ),
          data: { path: 'a.txt', links: 2 },
        },
      ],
    ];
    for (const [name, expected] of cases) {
      const stats = await lstat(path.join(ws, name));
      let caught: unknown;
      try {
        assertWritable(stats, name, 'save to');
      } catch (error) {
        caught = error;
      }
      expect(caught, name).toMatchObject({ data: { path: name }, ...expected });
    }
  });
});

describe('readWorkspaceFile', () => {
  it('reads a file of the workspace, hard-linked ones included', async () => {
    const ws = await realpath(await makeWorkspace({ 'a.txt': 'hello' }));
    const outside = await realpath(await tempDir());
    await link(path.join(ws, 'a.txt'), path.join(outside, 'twin.txt'));
    expect((await readWorkspaceFile(ws, 'a.txt', { maxBytes: 100 })).toString()).toBe('hello');
    expect((await readWorkspaceFile(ws, 'a.txt', { maxBytes: 2, truncate: true })).toString()).toBe('he');
  });

  it('creates nothing when the folder of the file is missing, and keeps no folder open', async () => {
    const ws = await realpath(await makeWorkspace({ 'a.txt': 'x' }));
    const before = await openHandles();
    await expect(readWorkspaceFile(ws, 'nowhere/f.txt', { maxBytes: 100 })).rejects.toMatchObject({
      name: 'NotFound',
    });
    await readWorkspaceFile(ws, 'a.txt', { maxBytes: 100 });
    expect(await readdir(ws)).toEqual(['a.txt']);
    expect(await openHandles()).toBe(before);
  });

  it('names the file as it was asked for, and keeps away from what is off limits', async () => {
    const ws = await realpath(await makeWorkspace({ 'big.txt': 'x'.repeat(10), 'data/keys.json': '{}' }));
    await expect(readWorkspaceFile(ws, './big.txt', { maxBytes: 5 })).rejects.toMatchObject({
      name: 'FileTooLarge',
      message: './big.txt is 10 bytes, over the 5-byte limit',
    });
    await expect(
      readWorkspaceFile(ws, 'data/keys.json', { maxBytes: 100, offLimits: [path.join(ws, 'data')] }),
    ).rejects.toMatchObject({ name: 'PathOffLimits' });
    await expect(readWorkspaceFile(ws, 'gone.txt', { maxBytes: 100 })).rejects.toMatchObject({
      name: 'NotFound',
      message: 'gone.txt does not exist',
    });
  });
});

describe('writeError', () => {
  it('tells a folder moved away or a symlink swapped in during a write from other failures', async () => {
    expect(writeError(Object.assign(new Error('x'), { code: 'ENOENT' }), 'a/b.txt')).toMatchObject({
      name: 'PathChanged',
      message: 'The folder of a/b.txt was moved or removed while it was being written; nothing was written',
      data: { path: 'a/b.txt' },
    });
    expect(writeError(Object.assign(new Error('x'), { code: 'ELOOP' }), 'a/b.txt')).toMatchObject({
      name: 'PathChanged',
      message: 'a/b.txt was replaced by a symlink while it was being written; refused',
      data: { path: 'a/b.txt' },
    });
    expect(writeError(Object.assign(new Error('x'), { code: 'ENOSPC' }), 'a/b.txt')).toMatchObject({
      name: 'DiskFull',
    });
    const strange = Object.assign(new Error('strange'), { code: 'EWEIRD' });
    expect(writeError(strange, 'a/b.txt')).toBe(strange);
  });
});
