import { mkdir, readdir, readFile, realpath, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeWorkspace } from '../../../../test/support/engine';
import { tempDir } from '../../../../test/support/temp-dir';
import { toolContext } from '../../../../test/support/tool-context';
import { appendTool } from './append';

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
    await expect(append({ path: 'dir', content: 'x' })).rejects.toMatchObject({ name: 'IsADirectory' });
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
