import {
  chmod,
  link,
  lstat,
  mkdir,
  readdir,
  readFile,
  realpath,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeWorkspace } from '../../../../test/support/engine';
import { makeFifo } from '../../../../test/support/fifo';
import { withLockedFolder } from '../../../../test/support/locked-folder';
import { tempDir } from '../../../../test/support/temp-dir';
import { toolContext } from '../../../../test/support/tool-context';
import { saveTool } from './save';

const openHandles = async () => (await readdir('/proc/self/fd')).length;

async function setup(files: Record<string, string> = {}) {
  const workspace = await realpath(await makeWorkspace(files));
  const ctx = toolContext(workspace);
  const save = (args: { path: string; content: string }) => saveTool.execute(args, ctx);
  const contents = (name: string) => readFile(path.join(workspace, name), 'utf8');
  return { workspace, save, contents };
}

describe('save', () => {
  it('needs approval', () => {
    expect(saveTool.needsApproval).toBe(true);
  });

  it('creates a new file and its parent folders', async () => {
    const { save, contents } = await setup();
    const result = await save({ path: 'src/deep/a.ts', content: 'export const a = 1;\n' });
    expect(await contents('src/deep/a.ts')).toBe('export const a = 1;\n');
    expect(result).toBe('Saved 20 bytes to src/deep/a.ts (new file)');
  });

  it('overwrites an existing file, counting bytes not characters, and leaves no temp file', async () => {
    const { workspace, save, contents } = await setup({ 'notes.md': 'old text that is longer\n' });
    const result = await save({ path: 'notes.md', content: 'héllo\n' });
    expect(await contents('notes.md')).toBe('héllo\n');
    expect(result).toBe('Saved 7 bytes to notes.md (overwrote)');
    expect(await readdir(workspace)).toEqual(['notes.md']);
  });

  it('keeps an executable script executable', async () => {
    const { workspace, save } = await setup({ 'run.sh': 'echo old\n' });
    await chmod(path.join(workspace, 'run.sh'), 0o755);
    await save({ path: 'run.sh', content: 'echo new\n' });
    expect((await stat(path.join(workspace, 'run.sh'))).mode & 0o777).toBe(0o755);
  });

  it('accepts an absolute path inside the workspace', async () => {
    const { workspace, save, contents } = await setup();
    await save({ path: path.join(workspace, 'abs.txt'), content: 'x' });
    expect(await contents('abs.txt')).toBe('x\n');
  });

  it('refuses to save onto a directory and leaves it alone', async () => {
    const { workspace, save, contents } = await setup({ 'src/keep.ts': 'keep' });
    await expect(save({ path: 'src', content: 'x' })).rejects.toMatchObject({
      name: 'IsADirectory',
      message: 'src is a directory; give a file path to save to',
    });
    expect(await contents('src/keep.ts')).toBe('keep');
    expect((await stat(path.join(workspace, 'src'))).isDirectory()).toBe(true);
  });

  it('refuses to replace a hard-linked file, whose twin may be outside, and changes neither', async () => {
    const { workspace, save, contents } = await setup({ 'a.txt': 'shared\n' });
    const outside = await realpath(await tempDir('deskmate-outside-'));
    await link(path.join(workspace, 'a.txt'), path.join(outside, 'twin.txt'));
    await expect(save({ path: 'a.txt', content: 'changed\n' })).rejects.toMatchObject({
      name: 'HardLinked',
      data: { path: 'a.txt', links: 2 },
    });
    expect(await contents('a.txt')).toBe('shared\n');
    expect((await lstat(path.join(workspace, 'a.txt'))).nlink).toBe(2);
  });

  it('refuses to replace a FIFO with a file', async () => {
    const { workspace, save } = await setup();
    makeFifo(path.join(workspace, 'pipe'));
    await expect(save({ path: 'pipe', content: 'x' })).rejects.toMatchObject({ name: 'NotARegularFile' });
    expect((await lstat(path.join(workspace, 'pipe'))).isFIFO()).toBe(true);
  });

  it('says permission was denied when the folder cannot be written, and leaves nothing behind', async () => {
    const { workspace, save } = await setup({ 'locked/keep.txt': 'keep' });
    const locked = path.join(workspace, 'locked');
    await withLockedFolder(locked, async () => {
      await expect(save({ path: 'locked/new.txt', content: 'x' })).rejects.toMatchObject({
        name: 'PermissionDenied',
        message: 'Permission denied for locked/new.txt',
      });
    });
    expect(await readdir(locked)).toEqual(['keep.txt']);
  });

  it('keeps no file or folder open after a save, whether it worked or not', async () => {
    const { save } = await setup({ 'dir/keep.txt': 'x' });
    const before = await openHandles();
    await save({ path: 'dir/a.txt', content: 'x' });
    await expect(save({ path: 'dir', content: 'x' })).rejects.toMatchObject({ name: 'IsADirectory' });
    expect(await openHandles()).toBe(before);
  });

  it('saves a file whose name is as long as the file system allows', async () => {
    const { save, contents } = await setup();
    const name = `${'n'.repeat(251)}.txt`;
    expect(await save({ path: name, content: 'x' })).toBe(`Saved 2 bytes to ${name} (new file)`);
    expect(await contents(name)).toBe('x\n');
  });

  it('reports a file standing where a folder is needed', async () => {
    const { save } = await setup({ 'a.txt': 'file' });
    await expect(save({ path: 'a.txt/b.txt', content: 'x' })).rejects.toMatchObject({
      name: 'NotADirectory',
    });
  });

  describe('refuses paths outside the workspace', () => {
    async function withOutside() {
      const setupResult = await setup();
      const outside = await realpath(await tempDir('deskmate-outside-'));
      await mkdir(path.join(outside, 'dir'));
      await writeFile(path.join(outside, 'secret.txt'), 'secret\n');
      const outsideFiles = async () => ({
        top: (await readdir(outside)).sort(),
        dir: await readdir(path.join(outside, 'dir')),
        secret: await readFile(path.join(outside, 'secret.txt'), 'utf8'),
      });
      return { ...setupResult, outside, outsideFiles };
    }
    const untouched = { top: ['dir', 'secret.txt'], dir: [], secret: 'secret\n' };

    it('../ out of the workspace', async () => {
      const { save, outsideFiles } = await withOutside();
      await expect(save({ path: '../escaped.txt', content: 'x' })).rejects.toMatchObject({
        name: 'PathOutsideWorkspace',
      });
      expect(await outsideFiles()).toEqual(untouched);
    });

    it('an absolute path elsewhere', async () => {
      const { save, outside, outsideFiles } = await withOutside();
      await expect(save({ path: path.join(outside, 'secret.txt'), content: 'x' })).rejects.toMatchObject({
        name: 'PathOutsideWorkspace',
      });
      expect(await outsideFiles()).toEqual(untouched);
    });

    it('a symlink inside pointing out', async () => {
      const { workspace, save, outside, outsideFiles } = await withOutside();
      await symlink(path.join(outside, 'secret.txt'), path.join(workspace, 'link.txt'));
      await expect(save({ path: 'link.txt', content: 'x' })).rejects.toMatchObject({
        name: 'PathOutsideWorkspace',
      });
      expect(await outsideFiles()).toEqual(untouched);
    });

    it('a symlink inside pointing at a missing file outside', async () => {
      const { workspace, save, outside, outsideFiles } = await withOutside();
      await symlink(path.join(outside, 'created.txt'), path.join(workspace, 'dangling.txt'));
      await save({ path: 'dangling.txt', content: 'x' }).catch(() => undefined);
      expect(await outsideFiles()).toEqual(untouched);
    });

    it('a path through a symlinked directory', async () => {
      const { workspace, save, outside, outsideFiles } = await withOutside();
      await symlink(path.join(outside, 'dir'), path.join(workspace, 'linked'));
      await expect(save({ path: 'linked/new.txt', content: 'x' })).rejects.toMatchObject({
        name: 'PathOutsideWorkspace',
      });
      await expect(save({ path: 'linked/sub/new.txt', content: 'x' })).rejects.toMatchObject({
        name: 'PathOutsideWorkspace',
      });
      expect(await outsideFiles()).toEqual(untouched);
    });
  });

  // gptme's save ends every file with a line break (test_save_overwrites_binary_file: "new content" is
  // saved as "new content\n"); a file without one breaks `cat`, diffs and POSIX tools.
  it('ends the file with a line break when the content has none, in the style of its other breaks', async () => {
    const { save, contents } = await setup({ 'old.bin': '\u0000\u0001' });
    expect(await save({ path: 'old.bin', content: 'new content' })).toBe(
      'Saved 12 bytes to old.bin (overwrote)',
    );
    expect(await contents('old.bin')).toBe('new content\n');
    await save({ path: 'win.txt', content: 'a\r\nb' });
    expect(await contents('win.txt')).toBe('a\r\nb\r\n');
    await save({ path: 'mixed.txt', content: 'a\r\nb\nc' });
    expect(await contents('mixed.txt')).toBe('a\r\nb\nc\n');
  });

  it('adds nothing to content that already ends a line, and keeps an empty file empty', async () => {
    const { save, contents } = await setup();
    await save({ path: 'a.txt', content: 'a\n' });
    await save({ path: 'b.txt', content: 'b\r\n' });
    await save({ path: 'empty.txt', content: '' });
    expect([await contents('a.txt'), await contents('b.txt'), await contents('empty.txt')]).toEqual([
      'a\n',
      'b\r\n',
      '',
    ]);
  });
});
