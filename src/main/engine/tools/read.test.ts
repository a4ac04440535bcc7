import { mkdir, realpath, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeWorkspace } from '../../../../test/support/engine';
import { tempDir } from '../../../../test/support/temp-dir';
import { toolContext } from '../../../../test/support/tool-context';
import { readTool } from './read';

async function setup(files: Record<string, string> = {}) {
  const workspace = await realpath(await makeWorkspace(files));
  const ctx = toolContext(workspace);
  const read = (args: { path: string; start_line?: number; end_line?: number }) =>
    readTool.execute(args, ctx);
  return { workspace, read };
}

const lines = (count: number) =>
  Array.from({ length: count }, (_, index) => `line ${index + 1}`).join('\n') + '\n';

describe('read', () => {
  it('numbers lines like cat -n, right-aligned with a tab', async () => {
    const { read } = await setup({ 'src/a.ts': lines(10) });
    const text = await read({ path: 'src/a.ts' });
    expect(text.split('\n')).toHaveLength(10);
    expect(text.split('\n')[0]).toBe(' 1\tline 1');
    expect(text.split('\n')[9]).toBe('10\tline 10');
  });

  it('does not run without approval, the others do', () => {
    expect(readTool.needsApproval).toBe(false);
  });

  it('shows CRLF files without the carriage returns', async () => {
    const { read } = await setup({ 'win.txt': 'one\r\ntwo\r\n' });
    expect(await read({ path: 'win.txt' })).toBe('1\tone\n2\ttwo');
  });

  it('reads a line range, inclusive, and clamps an end past the last line', async () => {
    const { read } = await setup({ 'a.txt': lines(20) });
    expect(await read({ path: 'a.txt', start_line: 3, end_line: 5 })).toBe('3\tline 3\n4\tline 4\n5\tline 5');
    expect(await read({ path: 'a.txt', start_line: 19, end_line: 500 })).toBe('19\tline 19\n20\tline 20');
    expect(await read({ path: 'a.txt', end_line: 1 })).toBe('1\tline 1');
  });

  it('refuses a range that starts after it ends, or past the end, saying how long the file is', async () => {
    const { read } = await setup({ 'a.txt': lines(12) });
    await expect(read({ path: 'a.txt', start_line: 5, end_line: 4 })).rejects.toMatchObject({
      name: 'InvalidRange',
    });
    await expect(read({ path: 'a.txt', start_line: 13 })).rejects.toMatchObject({
      name: 'InvalidRange',
      message: expect.stringContaining('12 lines'),
    });
  });

  it('rejects line numbers below 1 in the schema', () => {
    expect(readTool.schema.safeParse({ path: 'a', start_line: 0 }).success).toBe(false);
    expect(readTool.schema.safeParse({ path: 'a', end_line: 1.5 }).success).toBe(false);
    expect(readTool.schema.safeParse({ path: 'a', extra: 1 }).success).toBe(false);
  });

  it('says an empty file is empty', async () => {
    const { read } = await setup({ 'empty.txt': '' });
    expect(await read({ path: 'empty.txt' })).toContain('empty');
  });

  it('caps a long file and tells the model how to read on', async () => {
    const { read } = await setup({ 'big.txt': lines(2500) });
    const text = await read({ path: 'big.txt' });
    expect(text).toContain('2000\tline 2000');
    expect(text).not.toContain('line 2001');
    expect(text).toContain('start_line=2001');
    expect(await read({ path: 'big.txt', start_line: 2001 })).toContain('2500\tline 2500');
  });

  it('reports a missing file, a directory and a binary file by name', async () => {
    const { workspace, read } = await setup({ 'dir/keep.txt': 'x' });
    await writeFile(path.join(workspace, 'image.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]));
    await expect(read({ path: 'nope.txt' })).rejects.toMatchObject({ name: 'NotFound' });
    await expect(read({ path: 'dir' })).rejects.toMatchObject({ name: 'IsADirectory' });
    await expect(read({ path: 'image.png' })).rejects.toMatchObject({ name: 'BinaryFile' });
  });

  it('refuses a file over 2 MiB with a hint to look at parts of it', async () => {
    const { workspace, read } = await setup();
    await writeFile(path.join(workspace, 'huge.log'), 'x'.repeat(2 * 1024 * 1024 + 1));
    await expect(read({ path: 'huge.log' })).rejects.toMatchObject({
      name: 'FileTooLarge',
      message: expect.stringMatching(/head|grep/),
    });
  });

  it('reads through a symlink that stays inside the workspace', async () => {
    const { workspace, read } = await setup({ 'real/a.txt': 'hello\n' });
    await symlink(path.join(workspace, 'real'), path.join(workspace, 'alias'));
    expect(await read({ path: 'alias/a.txt' })).toBe('1\thello');
  });

  describe('refuses paths outside the workspace', () => {
    async function withOutside() {
      const setupResult = await setup({ 'inside.txt': 'ok\n' });
      const outside = await realpath(await tempDir('deskmate-outside-'));
      await mkdir(path.join(outside, 'dir'));
      await writeFile(path.join(outside, 'secret.txt'), 'secret\n');
      await writeFile(path.join(outside, 'dir', 'secret.txt'), 'secret\n');
      return { ...setupResult, outside };
    }

    it('../ out of the workspace', async () => {
      const { read } = await withOutside();
      await expect(read({ path: '../secret.txt' })).rejects.toMatchObject({ name: 'PathOutsideWorkspace' });
    });

    it('an absolute path elsewhere', async () => {
      const { read, outside } = await withOutside();
      await expect(read({ path: '/etc/passwd' })).rejects.toMatchObject({ name: 'PathOutsideWorkspace' });
      await expect(read({ path: path.join(outside, 'secret.txt') })).rejects.toMatchObject({
        name: 'PathOutsideWorkspace',
      });
    });

    it('a symlink inside pointing out', async () => {
      const { workspace, read, outside } = await withOutside();
      await symlink(path.join(outside, 'secret.txt'), path.join(workspace, 'link.txt'));
      await expect(read({ path: 'link.txt' })).rejects.toMatchObject({ name: 'PathOutsideWorkspace' });
    });

    it('a path through a symlinked directory', async () => {
      const { workspace, read, outside } = await withOutside();
      await symlink(path.join(outside, 'dir'), path.join(workspace, 'linked'));
      await expect(read({ path: 'linked/secret.txt' })).rejects.toMatchObject({
        name: 'PathOutsideWorkspace',
      });
    });
  });
});
