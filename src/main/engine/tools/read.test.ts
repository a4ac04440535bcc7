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

  it('reports a missing file and a binary file by name, and lists a directory', async () => {
    const { workspace, read } = await setup({ 'dir/keep.txt': 'x' });
    await writeFile(path.join(workspace, 'image.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]));
    await expect(read({ path: 'nope.txt' })).rejects.toMatchObject({ name: 'NotFound' });
    expect(await read({ path: 'dir' })).toBe('dir (folder, 1 entry)\nkeep.txt');
    await expect(read({ path: 'image.png' })).rejects.toMatchObject({ name: 'BinaryFile' });
  });

  it('refuses a file over 2 MiB with a hint to look at parts of it', async () => {
    const { workspace, read } = await setup();
    await writeFile(path.join(workspace, 'huge.log'), 'x'.repeat(2 * 1024 * 1024 + 1));
    await expect(read({ path: 'huge.log' })).rejects.toMatchObject({
      name: 'FileTooLarge',
      message:
        'huge.log is 2097153 bytes, over the 2097152-byte limit for read; ' +
        'use shell with head, tail, sed -n or grep -n to look at parts of it',
      data: { path: 'huge.log', size: 2097153, limit: 2097152 },
    });
  });

  it('reads through a symlink that stays inside the workspace', async () => {
    const { workspace, read } = await setup({ 'real/a.txt': 'hello\n' });
    await symlink(path.join(workspace, 'real'), path.join(workspace, 'alias'));
    expect(await read({ path: 'alias/a.txt' })).toBe('1\thello');
  });

  it('cuts a very long line, such as minified code, and says how long it was', async () => {
    const { read } = await setup({ 'min.js': `${'a'.repeat(2000)}\n${'b'.repeat(2001)}\n` });
    const [first, second] = (await read({ path: 'min.js' })).split('\n');
    expect(first).toBe(`1\t${'a'.repeat(2000)}`);
    expect(second).toBe(`2\t${'b'.repeat(2000)}... [line cut, 2001 characters]`);
  });

  it('shows exactly 2000 lines whole, and says which lines it showed of a longer file', async () => {
    const { read } = await setup({ 'exact.txt': lines(2000), 'big.txt': lines(2003) });
    const exact = await read({ path: 'exact.txt' });
    expect(exact.split('\n')).toHaveLength(2000);
    expect(exact.endsWith('2000\tline 2000')).toBe(true);
    expect(await read({ path: 'big.txt', start_line: 2, end_line: 2003 })).toMatch(
      /\n2001\tline 2001\n\[Shown lines 2-2001 of 2003\. Call read again with start_line=2002 \(and an end_line\) to see more\.\]$/,
    );
  });

  it('says why a range is refused, in words that fit the file', async () => {
    const { read } = await setup({ 'one.txt': 'only\n', 'a.txt': lines(12), 'empty.txt': '' });
    await expect(read({ path: 'a.txt', start_line: 5, end_line: 4 })).rejects.toMatchObject({
      message: 'start_line 5 is after end_line 4',
      data: { path: 'a.txt' },
    });
    await expect(read({ path: 'one.txt', start_line: 2 })).rejects.toMatchObject({
      name: 'InvalidRange',
      message: 'start_line 2 is past the end of one.txt, which has 1 line',
      data: { path: 'one.txt', lines: 1 },
    });
    await expect(read({ path: 'empty.txt', start_line: 1 })).rejects.toMatchObject({
      name: 'InvalidRange',
      message: 'start_line 1 is past the end of empty.txt, which has 0 lines',
    });
    expect(await read({ path: 'empty.txt' })).toBe('(empty.txt is empty)');
    expect(await read({ path: 'one.txt', start_line: 1, end_line: 1 })).toBe('1\tonly');
  });

  it('reads a last line without a line break, and keeps blank lines', async () => {
    const { read } = await setup({ 'a.txt': 'one\n\nthree' });
    expect(await read({ path: 'a.txt' })).toBe('1\tone\n2\t\n3\tthree');
  });

  it('lists a folder, and says what a binary file is', async () => {
    const { workspace, read } = await setup({ 'dir/keep.txt': 'x' });
    await writeFile(
      path.join(workspace, 'late.bin'),
      Buffer.concat([Buffer.alloc(8 * 1024 - 1, 'x'), Buffer.from([0])]),
    );
    expect(await read({ path: 'dir' })).toBe('dir (folder, 1 entry)\nkeep.txt');
    await expect(read({ path: 'late.bin' })).rejects.toMatchObject({
      name: 'BinaryFile',
      message: 'late.bin looks like a binary file (it contains NUL bytes)',
      data: { path: 'late.bin' },
    });
  });

  it('takes a NUL byte far into a text file for part of the text, as git does', async () => {
    const { workspace, read } = await setup();
    await writeFile(path.join(workspace, 'log.txt'), `${'x'.repeat(8 * 1024)}\0tail\n`);
    expect(await read({ path: 'log.txt' })).toBe(`1\t${'x'.repeat(2000)}... [line cut, 8197 characters]`);
  });

  it("never reads Deskmate's data folder, and stops when the turn is stopped", async () => {
    const workspace = await realpath(await makeWorkspace({ 'data/keys.json': '{}', 'a.txt': 'x\n' }));
    const offLimits = toolContext(workspace, { offLimits: [path.join(workspace, 'data')] });
    await expect(readTool.execute({ path: 'data/keys.json' }, offLimits)).rejects.toMatchObject({
      name: 'PathOffLimits',
    });
    const controller = new AbortController();
    controller.abort(new Error('stopped by the user'));
    const stopped = toolContext(workspace, { signal: controller.signal });
    await expect(readTool.execute({ path: 'a.txt' }, stopped)).rejects.toThrow('stopped by the user');
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
