import { spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  chmod,
  link,
  mkdir,
  readdir,
  readFile,
  realpath,
  stat,
  symlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NamedError } from '../../../shared/errors';
import { makeWorkspace } from '../../../../test/support/engine';
import { withLockedFolder } from '../../../../test/support/locked-folder';
import { tempDir } from '../../../../test/support/temp-dir';
import { toolContext } from '../../../../test/support/tool-context';
import { patchTool } from './patch';
import { PATCH_SHAPE } from '../../../shared/patch-format';
import { toOpenAiTools } from './tool-registry';

async function setup(files: Record<string, string> = {}) {
  const workspace = await realpath(await makeWorkspace(files));
  const ctx = toolContext(workspace);
  const patch = (args: { path: string; patch: string }) => patchTool.execute(args, ctx);
  const contents = (name: string) => readFile(path.join(workspace, name), 'utf8');
  return { workspace, patch, contents };
}

const hunk = (original: string, updated: string) =>
  `<<<<<<< ORIGINAL\n${original}\n=======\n${updated}\n>>>>>>> UPDATED\n`;

const SOURCE = [
  'export function greet(name: string) {',
  "  const greeting = 'Hello';",
  '  return `${greeting}, ${name}`;',
  '}',
  '',
  'export function part(name: string) {',
  "  return 'Bye, ' + name;",
  '}',
  '',
].join('\n');

/** Runs a failing patch and checks the file on disk is byte-for-byte what it was. */
async function expectRefused(files: Record<string, string>, file: string, patchText: string) {
  const { patch, workspace } = await setup(files);
  const before = await readFile(path.join(workspace, file));
  const error = await patch({ path: file, patch: patchText }).then(
    () => {
      throw new Error('expected the patch to be refused');
    },
    (caught: unknown) => caught as { name: string; message: string },
  );
  expect(await readFile(path.join(workspace, file))).toEqual(before);
  expect(await readdir(workspace)).toEqual(Object.keys(files).map((name) => name.split('/')[0]));
  return error;
}

describe('patch', () => {
  it('needs approval', () => {
    expect(patchTool.needsApproval).toBe(true);
  });

  it('tells the model the hunk shape, that ORIGINAL must match one place, and when to use save instead', () => {
    const [tool] = toOpenAiTools([patchTool]);
    expect(tool?.type === 'function' ? tool.function.name : undefined).toBe('patch');
    const description = tool?.type === 'function' ? tool.function.description : undefined;
    expect(description).toMatch(/^Change part of an existing file in the workspace\. .*one or more hunks:\n/);
    expect(description).toContain(`\n${PATCH_SHAPE}\n`);
    expect(description).toMatch(
      /ORIGINAL must match exactly one place in the file \(copy it from the file, with enough context lines to be unique\)\./,
    );
    expect(description).toMatch(
      /Hunks apply in order; if any fails, the file is left unchanged\. To create a file or rewrite it whole, use save\.$/,
    );
    expect(tool?.type === 'function' ? tool.function.parameters : undefined).toMatchObject({
      properties: {
        path: { type: 'string', minLength: 1, description: 'File path, relative to the workspace' },
        patch: { type: 'string', minLength: 1, description: 'One or more ORIGINAL/UPDATED hunks' },
      },
      required: ['path', 'patch'],
      additionalProperties: false,
    });
  });

  it('applies a single exact hunk', async () => {
    const { patch, contents } = await setup({ 'src/a.ts': SOURCE });
    const result = await patch({
      path: 'src/a.ts',
      patch: hunk("  const greeting = 'Hello';", "  const greeting = 'Hi';"),
    });
    expect(result).toBe('Applied 1 hunk to src/a.ts');
    expect(await contents('src/a.ts')).toBe(SOURCE.replace("'Hello'", "'Hi'"));
  });

  it('applies several hunks in one call', async () => {
    const { patch, contents } = await setup({ 'src/a.ts': SOURCE });
    const result = await patch({
      path: 'src/a.ts',
      patch:
        hunk("  const greeting = 'Hello';", "  const greeting = 'Hi';") +
        hunk('function part(', 'function farewell('),
    });
    expect(result).toBe('Applied 2 hunks to src/a.ts');
    expect(await contents('src/a.ts')).toBe(
      SOURCE.replace("'Hello'", "'Hi'").replace('function part(', 'function farewell('),
    );
  });

  it('accepts hunks wrapped in a code fence', async () => {
    const { patch, contents } = await setup({ 'a.txt': 'alpha\nbeta\n' });
    await patch({ path: 'a.txt', patch: '```\n' + hunk('beta', 'gamma') + '```\n' });
    expect(await contents('a.txt')).toBe('alpha\ngamma\n');
  });

  it('tolerates trailing whitespace the model dropped', async () => {
    const { patch, contents } = await setup({ 'a.py': 'def f():   \n    return 1  \n' });
    await patch({ path: 'a.py', patch: hunk('def f():\n    return 1', 'def f():\n    return 2') });
    expect(await contents('a.py')).toBe('def f():\n    return 2\n');
  });

  it('tolerates a block copied without its indentation and keeps the file indented', async () => {
    const file = 'class A:\n    def f(self):\n        if ready:\n            go()\n        done()\n';
    const { patch, contents } = await setup({ 'a.py': file });
    await patch({ path: 'a.py', patch: hunk('if ready:\n    go()', 'if ready:\n    prepare()\n    go()') });
    expect(await contents('a.py')).toBe(
      'class A:\n    def f(self):\n        if ready:\n            prepare()\n            go()\n        done()\n',
    );
  });

  it('keeps a CRLF file CRLF', async () => {
    const { patch, contents } = await setup({ 'win.txt': 'one\r\ntwo\r\nthree\r\n' });
    await patch({ path: 'win.txt', patch: hunk('two', 'TWO\nand a half') });
    expect(await contents('win.txt')).toBe('one\r\nTWO\r\nand a half\r\nthree\r\n');
  });

  it('deletes lines when UPDATED is empty', async () => {
    const { patch, contents } = await setup({ 'a.txt': 'keep\ndrop\nkeep too\n' });
    await patch({ path: 'a.txt', patch: '<<<<<<< ORIGINAL\ndrop\n=======\n>>>>>>> UPDATED' });
    expect(await contents('a.txt')).toBe('keep\nkeep too\n');
  });

  it('names the hunk it could not find and shows its first line', async () => {
    const error = await expectRefused(
      { 'a.ts': SOURCE },
      'a.ts',
      hunk('function part(', 'function bye(') + hunk('  return 42;\n}', '  return 43;\n}'),
    );
    expect(error.name).toBe('PatchNotFound');
    expect(error.message).toContain('Hunk 2');
    expect(error.message).toContain('return 42;');
  });

  it('leaves the file untouched when a later hunk fails even though the first would apply', async () => {
    const error = await expectRefused(
      { 'a.ts': SOURCE },
      'a.ts',
      hunk("  const greeting = 'Hello';", "  const greeting = 'Hi';") + hunk('no such line', 'x'),
    );
    expect(error.name).toBe('PatchNotFound');
  });

  it('refuses an ORIGINAL that matches several places, saying how many', async () => {
    const error = await expectRefused({ 'a.ts': SOURCE }, 'a.ts', hunk('export function', 'function'));
    expect(error.name).toBe('PatchNotUnique');
    expect(error.message).toContain('2 times');
    expect(error.message).toMatch(/context/);
  });

  it('refuses a hunk that changes nothing', async () => {
    const error = await expectRefused({ 'a.ts': SOURCE }, 'a.ts', hunk('}', '}'));
    expect(error.name).toBe('PatchNoChange');
  });

  it.each([
    [
      'a missing =======',
      "<<<<<<< ORIGINAL\n  const greeting = 'Hello';\n>>>>>>> UPDATED\n",
      'expected ======= first',
    ],
    [
      'a missing UPDATED marker',
      "<<<<<<< ORIGINAL\n  const greeting = 'Hello';\n=======\nx\n",
      'Hunk 1 ends without >>>>>>> UPDATED',
    ],
    [
      'markers in the wrong order',
      "=======\n  const greeting = 'Hello';\n<<<<<<< ORIGINAL\nx\n>>>>>>> UPDATED\n",
      'before any',
    ],
    ['an empty ORIGINAL', '<<<<<<< ORIGINAL\n=======\nnew text\n>>>>>>> UPDATED\n', 'save'],
    ['no hunks at all', "replace 'Hello' with 'Hi'", 'No hunk'],
  ])('refuses a malformed patch: %s', async (_label, patchText, expected) => {
    const error = await expectRefused({ 'a.ts': SOURCE }, 'a.ts', patchText);
    expect(error.name).toBe('PatchMalformed');
    expect(error.message).toContain(expected);
  });

  it('changes nothing when the patch is cut off before >>>>>>> UPDATED, and says so', async () => {
    // A truncated model reply: the first hunk is whole and would apply, the second stops short.
    const error = await expectRefused(
      { 'a.ts': SOURCE },
      'a.ts',
      hunk("  const greeting = 'Hello';", "  const greeting = 'Hi';") +
        "<<<<<<< ORIGINAL\n  return 'Bye, ' + name;\n=======\n  return 'So long, ' + name;\n",
    );
    expect(error.name).toBe('PatchMalformed');
    expect(error.message).toMatch(/^Hunk 2 ends without >>>>>>> UPDATED\./);
  });

  it.each([
    ['a second =======', hunk('}', '}\n=======\n// end')],
    ['a <<<<<<< ORIGINAL inside UPDATED', hunk('}', '}\n<<<<<<< ORIGINAL')],
    ['a marker with trailing spaces inside UPDATED', hunk('}', '}\n=======   \n// end')],
    ['a marker ending in CR inside UPDATED', hunk('}', '}\n=======\r\n// end')],
  ])('never writes a conflict marker into the file: %s', async (_label, patchText) => {
    const error = await expectRefused({ 'a.ts': SOURCE }, 'a.ts', patchText);
    expect(error.name).toBe('PatchMalformed');
    expect(error.message).toContain('Hunk 1: found');
  });

  it('reports a missing file or folder and points to save, creating nothing', async () => {
    const { patch, workspace } = await setup();
    for (const missing of ['nope.ts', 'no/such/folder.ts']) {
      await expect(patch({ path: missing, patch: hunk('a', 'b') }), missing).rejects.toMatchObject({
        name: 'NotFound',
        message: `${missing} does not exist; use save to create a new file`,
        data: { path: missing },
      });
    }
    expect(await readdir(workspace)).toEqual([]);
  });

  it("never patches Deskmate's data folder inside the workspace", async () => {
    const workspace = await realpath(await makeWorkspace({ 'data/keys.json': '{"key":"old"}\n' }));
    const ctx = toolContext(workspace, { offLimits: [path.join(workspace, 'data')] });
    await expect(
      patchTool.execute({ path: 'data/keys.json', patch: hunk('{"key":"old"}', '{"key":"new"}') }, ctx),
    ).rejects.toMatchObject({ name: 'PathOffLimits' });
    expect(await readFile(path.join(workspace, 'data/keys.json'), 'utf8')).toBe('{"key":"old"}\n');
  });

  it('refuses a directory, saying to patch a file inside it', async () => {
    const { patch } = await setup({ 'src/a.ts': SOURCE });
    await expect(patch({ path: 'src', patch: hunk('x', 'y') })).rejects.toMatchObject({
      name: 'IsADirectory',
      message: 'src is a directory; patch a file inside it',
      data: { path: 'src' },
    });
  });

  it('keeps an executable script executable', async () => {
    const { workspace, patch } = await setup({ 'run.sh': 'echo old\n' });
    await chmod(path.join(workspace, 'run.sh'), 0o750);
    await patch({ path: 'run.sh', patch: hunk('echo old', 'echo new') });
    expect((await stat(path.join(workspace, 'run.sh'))).mode & 0o7777).toBe(0o750);
  });

  it('refuses a file over 8 MiB without changing it, and patches one of exactly 8 MiB', async () => {
    const limit = 8 * 1024 * 1024;
    const { workspace, patch, contents } = await setup();
    await writeFile(path.join(workspace, 'big.txt'), `first\n${'x'.repeat(limit - 6)}`);
    await writeFile(path.join(workspace, 'bigger.txt'), `first\n${'x'.repeat(limit - 5)}`);
    await patch({ path: 'big.txt', patch: hunk('first', 'FIRST') });
    expect((await contents('big.txt')).startsWith('FIRST\nxxx')).toBe(true);
    await expect(patch({ path: 'bigger.txt', patch: hunk('first', 'FIRST') })).rejects.toMatchObject({
      name: 'FileTooLarge',
      data: { path: 'bigger.txt', size: limit + 1, limit },
    });
    expect((await contents('bigger.txt')).startsWith('first\nxxx')).toBe(true);
  });

  it('fails, saying why, when the patched file cannot be written back, and leaves it as it was', async () => {
    // The file is there to read, but its folder takes no new entry: the temp file cannot be made.
    const { workspace, patch } = await setup({ 'locked/a.txt': 'old\n' });
    const locked = path.join(workspace, 'locked');
    await withLockedFolder(locked, async () => {
      await expect(patch({ path: 'locked/a.txt', patch: hunk('old', 'new') })).rejects.toMatchObject({
        name: 'PermissionDenied',
        message: 'Permission denied for locked/a.txt',
      });
    });
    expect(await readFile(path.join(locked, 'a.txt'), 'utf8')).toBe('old\n');
    expect(await readdir(locked)).toEqual(['a.txt']);
  });

  it('keeps no folder open after a patch, whether it applied or was refused', async () => {
    const openHandles = async () => (await readdir('/proc/self/fd')).length;
    const { patch, contents } = await setup({ 'src/a.ts': SOURCE });
    const before = await openHandles();
    await patch({ path: 'src/a.ts', patch: hunk('function part(', 'function farewell(') });
    await expect(patch({ path: 'src/a.ts', patch: hunk('no such line', 'x') })).rejects.toMatchObject({
      name: 'PatchNotFound',
    });
    expect(await openHandles()).toBe(before);
    expect(await contents('src/a.ts')).toBe(SOURCE.replace('function part(', 'function farewell('));
  });

  it('patches a file through a symlink that stays inside the workspace', async () => {
    const { workspace, patch, contents } = await setup({ 'real/a.txt': 'x\n' });
    await symlink(path.join(workspace, 'real', 'a.txt'), path.join(workspace, 'alias.txt'));
    await patch({ path: 'alias.txt', patch: hunk('x', 'y') });
    expect(await contents('real/a.txt')).toBe('y\n');
  });

  describe('refuses paths outside the workspace', () => {
    async function withOutside() {
      const setupResult = await setup();
      const outside = await realpath(await tempDir('deskmate-outside-'));
      await mkdir(path.join(outside, 'dir'));
      await writeFile(path.join(outside, 'secret.txt'), 'secret\n');
      await writeFile(path.join(outside, 'dir', 'inner.txt'), 'secret\n');
      const outsideFiles = async () => ({
        secret: await readFile(path.join(outside, 'secret.txt'), 'utf8'),
        inner: await readFile(path.join(outside, 'dir', 'inner.txt'), 'utf8'),
      });
      return { ...setupResult, outside, outsideFiles };
    }
    const untouched = { secret: 'secret\n', inner: 'secret\n' };
    const change = hunk('secret', 'changed');

    it('../ out of the workspace', async () => {
      const { patch, outsideFiles } = await withOutside();
      await expect(patch({ path: '../secret.txt', patch: change })).rejects.toMatchObject({
        name: 'PathOutsideWorkspace',
      });
      expect(await outsideFiles()).toEqual(untouched);
    });

    it('an absolute path elsewhere', async () => {
      const { patch, outside, outsideFiles } = await withOutside();
      await expect(patch({ path: '/etc/passwd', patch: hunk('root', 'toor') })).rejects.toMatchObject({
        name: 'PathOutsideWorkspace',
      });
      await expect(patch({ path: path.join(outside, 'secret.txt'), patch: change })).rejects.toMatchObject({
        name: 'PathOutsideWorkspace',
      });
      expect(await outsideFiles()).toEqual(untouched);
    });

    it('a symlink inside pointing out', async () => {
      const { workspace, patch, outside, outsideFiles } = await withOutside();
      await symlink(path.join(outside, 'secret.txt'), path.join(workspace, 'link.txt'));
      await expect(patch({ path: 'link.txt', patch: change })).rejects.toMatchObject({
        name: 'PathOutsideWorkspace',
      });
      expect(await outsideFiles()).toEqual(untouched);
    });

    it('a hard link inside to a file outside', async () => {
      const { workspace, patch, outside, outsideFiles } = await withOutside();
      await link(path.join(outside, 'secret.txt'), path.join(workspace, 'linked.txt'));
      await expect(patch({ path: 'linked.txt', patch: change })).rejects.toMatchObject({
        name: 'HardLinked',
        data: { path: 'linked.txt', links: 2 },
      });
      expect(await outsideFiles()).toEqual(untouched);
    });

    it('a file swapped back and forth with a symlink to a file outside is never read through it', async () => {
      const { workspace, patch, outside } = await withOutside();
      await writeFile(path.join(workspace, 'f.txt'), 'secret\n');
      const secret = path.join(outside, 'secret.txt');
      // Read time far before the last change: the first read of the file outside moves it
      // (relatime), and nothing else here reads it (a symlink is made and resolved by name).
      await utimes(secret, new Date(0), new Date());
      // Each swap is one rename, so f.txt is always there: the plain file (kept aside under a
      // second name while the symlink stands, rather than written anew, which ext4 flushes on
      // rename and so holds the symlink in place for most of the time) or a symlink to outside.
      const flipper = spawn(
        process.execPath,
        [
          '-e',
          `const fs = require('node:fs');
          const [f, secret] = process.argv.slice(1);
          process.send('flipping');
          for (;;) {
            try { fs.linkSync(f, f + '.keep'); } catch {}
            try { fs.symlinkSync(secret, f + '.link'); fs.renameSync(f + '.link', f); } catch {}
            try { fs.symlinkSync(secret, f + '.pad'); fs.unlinkSync(f + '.pad'); } catch {}
            try { fs.renameSync(f + '.keep', f); } catch {}
          }`,
          path.join(workspace, 'f.txt'),
          secret,
        ],
        { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] },
      );
      const outcomes = new Map<string, number>();
      try {
        await once(flipper, 'message');
        for (let call = 0; call < 100; call++) {
          const outcome = await patch({ path: 'f.txt', patch: change }).then(
            () => 'ok',
            (error: unknown) => (error instanceof NamedError ? error.name : `unexpected ${String(error)}`),
          );
          outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
        }
      } finally {
        flipper.kill('SIGKILL');
        await once(flipper, 'exit');
      }
      expect((await stat(secret)).atimeMs, JSON.stringify([...outcomes])).toBe(0);
      expect(await readFile(secret, 'utf8')).toBe('secret\n');
      expect([...outcomes.keys()].filter((outcome) => outcome.startsWith('unexpected'))).toEqual([]);
      // The race ran against real patches: some got through, inside.
      expect(outcomes.get('ok') ?? 0, JSON.stringify([...outcomes])).toBeGreaterThan(0);
    });

    it('a path through a symlinked directory', async () => {
      const { workspace, patch, outside, outsideFiles } = await withOutside();
      await symlink(path.join(outside, 'dir'), path.join(workspace, 'linked'));
      await expect(patch({ path: 'linked/inner.txt', patch: change })).rejects.toMatchObject({
        name: 'PathOutsideWorkspace',
      });
      expect(await outsideFiles()).toEqual(untouched);
    });
  });
});
