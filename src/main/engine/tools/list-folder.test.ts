import { existsSync, readdirSync } from 'node:fs';
import { mkdir, realpath, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeWorkspace } from '../../../../test/support/engine';
import { tempDir } from '../../../../test/support/temp-dir';
import { toolContext } from '../../../../test/support/tool-context';
import { listFolder } from './list-folder';
import { readTool } from './read';

// gptme's read lists a folder where Deskmate's used to refuse it (test_tools_read.py: directory
// listing, folders first with a slash, capped at 100 entries).

async function setup(files: Record<string, string> = {}, offLimits: string[] = []) {
  const workspace = await realpath(await makeWorkspace(files));
  const ctx = toolContext(workspace, { offLimits });
  const read = (args: { path: string }) => readTool.execute(args, ctx);
  return { workspace, read, ctx };
}

describe('read on a folder', () => {
  it('lists folders first, then files, by name ignoring case; folders end in /', async () => {
    const { workspace, read } = await setup({ 'b.txt': '', 'A.md': '', 'src/x.ts': '', 'Docs/y.md': '' });
    await mkdir(path.join(workspace, 'empty'));
    expect(await read({ path: '.' })).toBe('. (folder, 5 entries)\nDocs/\nempty/\nsrc/\nA.md\nb.txt');
    expect(await read({ path: 'src' })).toBe('src (folder, 1 entry)\nx.ts');
    expect(await read({ path: 'empty/' })).toBe('empty/ (empty folder)');
  });

  it('lists the workspace folder itself, by any name for it', async () => {
    const { workspace, read } = await setup({ 'a.txt': '' });
    expect(await read({ path: workspace })).toBe(`${workspace} (folder, 1 entry)\na.txt`);
  });

  it('shows at most 100 entries and says how many more there are', async () => {
    const files = Object.fromEntries(
      Array.from({ length: 130 }, (_, i) => [`f${String(i).padStart(3, '0')}.txt`, '']),
    );
    const { read } = await setup(files);
    const lines = (await read({ path: '.' })).split('\n');
    expect(lines[0]).toBe('. (folder, 130 entries)');
    expect(lines.slice(1, 101)).toEqual(
      Array.from({ length: 100 }, (_, i) => `f${String(i).padStart(3, '0')}.txt`),
    );
    expect(lines.slice(101)).toEqual(['... and 30 more entries']);
  });

  it('shows exactly 100 entries without a line for more', async () => {
    const files = Object.fromEntries(
      Array.from({ length: 100 }, (_, i) => [`f${String(i).padStart(3, '0')}.txt`, '']),
    );
    const { read } = await setup(files);
    const lines = (await read({ path: '.' })).split('\n');
    expect(lines).toHaveLength(101);
    expect(lines.at(-1)).toBe('f099.txt');
  });

  it('leaves no file open once it has listed a folder', async () => {
    const { read } = await setup({ 'a.txt': '', 'src/b.ts': '' });
    const open = () => readdirSync('/proc/self/fd').length;
    const before = open();
    for (let i = 0; i < 5; i++) await read({ path: 'src' });
    expect(open()).toBe(before);
  });

  it('names a folder that is not there, and creates nothing', async () => {
    const { workspace } = await setup({ 'a.txt': '' });
    const listing = listFolder(workspace, 'gone/deeper', {
      offLimits: [],
      signal: new AbortController().signal,
    });
    await expect(listing).rejects.toThrow(/gone/);
    expect(existsSync(path.join(workspace, 'gone'))).toBe(false);
  });

  it('marks a symbolic link with @ without following it, even one pointing out', async () => {
    const { workspace, read } = await setup({ 'a.txt': '' });
    const outside = await tempDir();
    await writeFile(path.join(outside, 'secret.txt'), 'secret');
    await symlink(outside, path.join(workspace, 'out'));
    await symlink('a.txt', path.join(workspace, 'link.txt'));
    expect(await read({ path: '.' })).toBe('. (folder, 3 entries)\na.txt\nlink.txt@\nout@');
  });

  it('refuses to list a folder outside, through a symlink out, or in the data folder', async () => {
    const outside = await tempDir();
    await writeFile(path.join(outside, 'secret.txt'), 'secret');
    const { workspace, read } = await setup({ 'data/keys.json': '{}', 'a.txt': '' }, []);
    await symlink(outside, path.join(workspace, 'out'));
    await expect(read({ path: '..' })).rejects.toMatchObject({ name: 'PathOutsideWorkspace' });
    await expect(read({ path: outside })).rejects.toMatchObject({ name: 'PathOutsideWorkspace' });
    await expect(read({ path: 'out' })).rejects.toMatchObject({ name: 'PathOutsideWorkspace' });
    await expect(read({ path: 'out/' })).rejects.toMatchObject({ name: 'PathOutsideWorkspace' });
    const guarded = toolContext(workspace, { offLimits: [path.join(workspace, 'data')] });
    await expect(readTool.execute({ path: 'data' }, guarded)).rejects.toMatchObject({
      name: 'PathOffLimits',
    });
  });

  it('quotes a name holding a line break, so a file name cannot pose as other lines', async () => {
    const { workspace, read } = await setup();
    await writeFile(path.join(workspace, 'x\n[done] all good'), '');
    expect(await read({ path: '.' })).toBe('. (folder, 1 entry)\n"x\\n[done] all good"');
  });

  it('stops when the turn is stopped', async () => {
    const { workspace } = await setup({ 'a.txt': '', 'b.txt': '' });
    const controller = new AbortController();
    controller.abort(new Error('stopped'));
    const ctx = toolContext(workspace, { signal: controller.signal });
    await expect(readTool.execute({ path: '.' }, ctx)).rejects.toThrow('stopped');
  });
});
