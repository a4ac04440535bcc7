import { closeSync, constants, openSync, readSync, truncateSync } from 'node:fs';
import { link, lstat, mkdir, readdir, readFile, realpath, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bounded } from '../../../../test/support/bounded';
import { makeWorkspace } from '../../../../test/support/engine';
import { makeFifo } from '../../../../test/support/fifo';
import { withLockedFolder } from '../../../../test/support/locked-folder';
import { tempDir } from '../../../../test/support/temp-dir';
import { toolContext } from '../../../../test/support/tool-context';
import { appendAt, appendTool } from './append';

const openHandles = async () => (await readdir('/proc/self/fd')).length;

/** Makes `file` (sparse) as large as its file system allows: one more byte cannot be written. */
function growToLimit(file: string): void {
  let fits = 0;
  let tooBig = Number.MAX_SAFE_INTEGER;
  while (tooBig - fits > 1) {
    const size = Math.floor((fits + tooBig) / 2);
    try {
      truncateSync(file, size);
      fits = size;
    } catch {
      tooBig = size;
    }
  }
  truncateSync(file, fits);
}

async function setup(files: Record<string, string> = {}) {
  const workspace = await realpath(await makeWorkspace(files));
  const ctx = toolContext(workspace);
  const append = (args: { path: string; content: string }) => appendTool.execute(args, ctx);
  const contents = (name: string) => readFile(path.join(workspace, name), 'utf8');
  return { workspace, append, contents };
}

describe('append', () => {
  it('needs approval', () => {
    expect(appendTool.needsApproval).toBe(true);
  });

  it('adds to the end of an existing file, exactly as given', async () => {
    const { append, contents } = await setup({ 'log.md': '# Log\n' });
    const result = await append({ path: 'log.md', content: '- first\n' });
    await append({ path: 'log.md', content: '- second\n' });
    expect(await contents('log.md')).toBe('# Log\n- first\n- second\n');
    expect(result).toBe('Appended 8 bytes to log.md (now 14 bytes)');
  });

  it('creates a missing file and its parent folders', async () => {
    const { append, contents } = await setup();
    const result = await append({ path: 'notes/2024/today.md', content: 'hello\n' });
    expect(await contents('notes/2024/today.md')).toBe('hello\n');
    expect(result).toContain('new file');
  });

  it('refuses a directory', async () => {
    const { append } = await setup({ 'dir/keep.txt': 'x' });
    await expect(append({ path: 'dir', content: 'x' })).rejects.toMatchObject({
      name: 'IsADirectory',
      message: 'dir is a directory; give a file path to append to',
    });
  });

  it('refuses a hard-linked file, whose twin may be outside, and changes neither', async () => {
    const { workspace, append, contents } = await setup({ 'a.txt': 'shared\n' });
    const outside = await realpath(await tempDir('deskmate-outside-'));
    await link(path.join(workspace, 'a.txt'), path.join(outside, 'twin.txt'));
    await expect(append({ path: 'a.txt', content: 'more\n' })).rejects.toMatchObject({
      name: 'HardLinked',
      data: { path: 'a.txt', links: 2 },
    });
    expect(await contents('a.txt')).toBe('shared\n');
  });

  it('says permission was denied when the file cannot be created, and creates nothing', async () => {
    const { workspace, append } = await setup({ 'locked/keep.txt': 'keep' });
    const locked = path.join(workspace, 'locked');
    await withLockedFolder(locked, async () => {
      await expect(append({ path: 'locked/new.txt', content: 'x' })).rejects.toMatchObject({
        name: 'PermissionDenied',
        message: 'Permission denied for locked/new.txt',
      });
    });
    expect(await readdir(locked)).toEqual(['keep.txt']);
  });

  it('fails, and says nothing was appended, when the file system refuses the bytes', async () => {
    const { workspace, append } = await setup({ 'full.bin': '' });
    const file = path.join(workspace, 'full.bin');
    growToLimit(file);
    const size = (await stat(file)).size;
    await expect(append({ path: 'full.bin', content: 'x' })).rejects.toMatchObject({ code: 'EFBIG' });
    expect((await stat(file)).size).toBe(size);
  });

  it('keeps no file or folder open after an append, whether it worked or not', async () => {
    const { append } = await setup({ 'dir/keep.txt': 'x' });
    const before = await openHandles();
    await append({ path: 'dir/a.txt', content: 'x' });
    await expect(append({ path: 'dir', content: 'x' })).rejects.toMatchObject({ name: 'IsADirectory' });
    expect(await openHandles()).toBe(before);
  });

  describe('refuses paths outside the workspace', () => {
    async function withOutside() {
      const setupResult = await setup();
      const outside = await realpath(await tempDir('deskmate-outside-'));
      await mkdir(path.join(outside, 'dir'));
      await writeFile(path.join(outside, 'secret.txt'), 'secret\n');
      await writeFile(path.join(outside, 'dir', 'inner.txt'), 'inner\n');
      const outsideFiles = async () => ({
        top: (await readdir(outside)).sort(),
        secret: await readFile(path.join(outside, 'secret.txt'), 'utf8'),
        inner: await readFile(path.join(outside, 'dir', 'inner.txt'), 'utf8'),
      });
      return { ...setupResult, outside, outsideFiles };
    }
    const untouched = { top: ['dir', 'secret.txt'], secret: 'secret\n', inner: 'inner\n' };

    it('../ out of the workspace', async () => {
      const { append, outsideFiles } = await withOutside();
      await expect(append({ path: '../escaped.txt', content: 'x' })).rejects.toMatchObject({
        name: 'PathOutsideWorkspace',
      });
      expect(await outsideFiles()).toEqual(untouched);
    });

    it('an absolute path elsewhere', async () => {
      const { append, outside, outsideFiles } = await withOutside();
      await expect(append({ path: '/etc/passwd', content: 'x' })).rejects.toMatchObject({
        name: 'PathOutsideWorkspace',
      });
      await expect(append({ path: path.join(outside, 'secret.txt'), content: 'x' })).rejects.toMatchObject({
        name: 'PathOutsideWorkspace',
      });
      expect(await outsideFiles()).toEqual(untouched);
    });

    it('a symlink inside pointing out', async () => {
      const { workspace, append, outside, outsideFiles } = await withOutside();
      await symlink(path.join(outside, 'secret.txt'), path.join(workspace, 'link.txt'));
      await expect(append({ path: 'link.txt', content: 'x' })).rejects.toMatchObject({
        name: 'PathOutsideWorkspace',
      });
      expect(await outsideFiles()).toEqual(untouched);
    });

    it('a symlink inside pointing at a missing file outside', async () => {
      const { workspace, append, outside, outsideFiles } = await withOutside();
      await symlink(path.join(outside, 'created.txt'), path.join(workspace, 'dangling.txt'));
      await expect(append({ path: 'dangling.txt', content: 'x' })).rejects.toMatchObject({
        name: 'PathOutsideWorkspace',
      });
      expect(await outsideFiles()).toEqual(untouched);
    });

    it('a path through a symlinked directory', async () => {
      const { workspace, append, outside, outsideFiles } = await withOutside();
      await symlink(path.join(outside, 'dir'), path.join(workspace, 'linked'));
      await expect(append({ path: 'linked/inner.txt', content: 'x' })).rejects.toMatchObject({
        name: 'PathOutsideWorkspace',
      });
      await expect(append({ path: 'linked/new.txt', content: 'x' })).rejects.toMatchObject({
        name: 'PathOutsideWorkspace',
      });
      expect(await outsideFiles()).toEqual(untouched);
      expect(await readdir(path.join(outside, 'dir'))).toEqual(['inner.txt']);
    });
  });
});

// What is at the resolved name may change before it is opened (another process swaps it): the
// open itself and the opened handle are checked again.
describe('appendAt, on a name changed since it was resolved', () => {
  it('refuses a symlink now there, and writes nothing through it', async () => {
    const workspace = await realpath(await makeWorkspace({ 'target.txt': 'target\n' }));
    await symlink(path.join(workspace, 'target.txt'), path.join(workspace, 'swapped.txt'));
    await expect(appendAt(path.join(workspace, 'swapped.txt'), 'swapped.txt', 'x')).rejects.toMatchObject({
      name: 'PathChanged',
      message: 'swapped.txt was replaced by a symlink while it was being written; refused',
    });
    expect(await readFile(path.join(workspace, 'target.txt'), 'utf8')).toBe('target\n');
  });

  it('refuses a FIFO now there at once, with or without a reader, and sends it nothing', async () => {
    const workspace = await realpath(await makeWorkspace());
    const fifo = makeFifo(path.join(workspace, 'pipe'));
    await expect(bounded(appendAt(fifo, 'pipe', 'x'), 5_000, 'append to a FIFO')).rejects.toMatchObject({
      name: 'NotARegularFile',
    });
    const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      await expect(appendAt(fifo, 'pipe', 'x')).rejects.toMatchObject({
        name: 'NotARegularFile',
        message: expect.stringContaining('pipe is a FIFO (named pipe), not a regular file'),
      });
      // Its writer has closed with nothing sent: the reader is at the end.
      expect(readSync(reader, Buffer.alloc(1))).toBe(0);
    } finally {
      closeSync(reader);
    }
  });

  it('refuses a file hard-linked since, and leaves both names as they were', async () => {
    const workspace = await realpath(await makeWorkspace({ 'a.txt': 'shared\n' }));
    const outside = await realpath(await tempDir('deskmate-outside-'));
    await link(path.join(workspace, 'a.txt'), path.join(outside, 'twin.txt'));
    await expect(appendAt(path.join(workspace, 'a.txt'), 'a.txt', 'x')).rejects.toMatchObject({
      name: 'HardLinked',
    });
    expect(await readFile(path.join(outside, 'twin.txt'), 'utf8')).toBe('shared\n');
    expect((await lstat(path.join(workspace, 'a.txt'))).nlink).toBe(2);
  });
});
