// read, save, append and patch against what is not a plain file of the workspace: FIFOs, sockets,
// hard links to files outside. Each tool refuses without blocking and leaves everything as it was.
import { link, lstat, readdir, readFile, realpath, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bounded } from '../../../../test/support/bounded';
import { makeWorkspace } from '../../../../test/support/engine';
import { makeFifo } from '../../../../test/support/fifo';
import { tempDir } from '../../../../test/support/temp-dir';
import { toolContext } from '../../../../test/support/tool-context';
import { appendTool } from './append';
import { patchTool } from './patch';
import { readTool } from './read';
import { saveTool } from './save';

const hunk = (original: string, updated: string) =>
  `<<<<<<< ORIGINAL\n${original}\n=======\n${updated}\n>>>>>>> UPDATED\n`;

/** Each tool, called on `file` with arguments that would work on a plain file holding "secret\n". */
const TOOLS = {
  read: (file: string) => ({ tool: readTool, args: { path: file } }),
  save: (file: string) => ({ tool: saveTool, args: { path: file, content: 'changed\n' } }),
  append: (file: string) => ({ tool: appendTool, args: { path: file, content: 'changed\n' } }),
  patch: (file: string) => ({ tool: patchTool, args: { path: file, patch: hunk('secret', 'changed') } }),
} as const;
type ToolKey = keyof typeof TOOLS;
const WRITE_TOOLS = ['save', 'append', 'patch'] as const;

async function setup() {
  const workspace = await realpath(await makeWorkspace());
  const ctx = toolContext(workspace);
  const run = (key: ToolKey, file: string) => {
    const { tool, args } = TOOLS[key](file);
    // Each tool's own argument type; the table keeps them together.
    return (tool.execute as (a: typeof args, c: typeof ctx) => Promise<string>)(args, ctx);
  };
  return { workspace, run };
}

describe.each(Object.keys(TOOLS) as ToolKey[])('%s', (key) => {
  it('refuses a FIFO at once, even with no writer (a blocking open would hold a threadpool thread)', async () => {
    const { workspace, run } = await setup();
    makeFifo(path.join(workspace, 'pipe'));
    await expect(bounded(run(key, 'pipe'), 5_000, `${key} of a FIFO`)).rejects.toMatchObject({
      name: 'NotARegularFile',
      message: expect.stringContaining('pipe is a FIFO (named pipe), not a regular file'),
    });
    expect((await lstat(path.join(workspace, 'pipe'))).isFIFO()).toBe(true);
  });

  it('refuses a socket', async () => {
    const { workspace, run } = await setup();
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(path.join(workspace, 'sock'), resolve));
    try {
      await expect(run(key, 'sock')).rejects.toMatchObject({ name: 'NotARegularFile' });
      expect((await lstat(path.join(workspace, 'sock'))).isSocket()).toBe(true);
    } finally {
      server.close();
    }
  });
});

describe.each(WRITE_TOOLS)('%s of a hard link to a file outside the workspace', (key) => {
  it('is refused and the outside file is unchanged', async () => {
    const { workspace, run } = await setup();
    const outside = await realpath(await tempDir('deskmate-outside-'));
    await writeFile(path.join(outside, 'secret.txt'), 'secret\n');
    await link(path.join(outside, 'secret.txt'), path.join(workspace, 'linked.txt'));
    await expect(run(key, 'linked.txt')).rejects.toMatchObject({
      name: 'HardLinked',
      message: expect.stringContaining('linked.txt has 2 hard links'),
    });
    expect(await readFile(path.join(outside, 'secret.txt'), 'utf8')).toBe('secret\n');
    expect(await readFile(path.join(workspace, 'linked.txt'), 'utf8')).toBe('secret\n');
    expect((await lstat(path.join(workspace, 'linked.txt'))).nlink).toBe(2);
    expect(await readdir(outside)).toEqual(['secret.txt']);
    expect(await readdir(workspace)).toEqual(['linked.txt']);
  });
});

describe('read of a hard-linked file', () => {
  // pnpm's node_modules is made of hard links into its store; reading one reveals nothing a
  // hard link could not have been made from (making it needs access to the file already).
  it('is allowed', async () => {
    const { workspace, run } = await setup();
    const store = await realpath(await tempDir('deskmate-store-'));
    await writeFile(path.join(store, 'index.js'), 'module.exports = 1;\n');
    await link(path.join(store, 'index.js'), path.join(workspace, 'index.js'));
    expect(await run('read', 'index.js')).toBe('1\tmodule.exports = 1;');
  });
});
