// A write cannot be redirected outside the workspace by a symlink swapped in during the call.
// Another process flips `sub` between a real folder of the workspace and a symlink to a folder
// outside it as fast as it can, while save, append and patch write `sub/f.txt` many times.
import { spawn } from 'node:child_process';
import { watch } from 'node:fs';
import { mkdir, readdir, readFile, realpath, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NamedError } from '../../../shared/errors';
import { makeWorkspace } from '../../../../test/support/engine';
import { tempDir } from '../../../../test/support/temp-dir';
import { toolContext } from '../../../../test/support/tool-context';
import { appendTool } from './append';
import { patchTool } from './patch';
import { saveTool } from './save';

const CALLS_PER_TOOL = 300;

// Sync calls in a loop of its own process: nothing waits on the test's event loop or threadpool.
const FLIPPER = `
const fs = require('node:fs');
const [workspace, outside] = process.argv.slice(1);
const sub = workspace + '/sub', real = workspace + '/real';
let strays = 0;
// A tool may create sub/ while it is missing; move that aside (it stays inside) and go on.
const aside = () => { try { fs.renameSync(sub, workspace + '/stray-' + strays++); } catch {} };
process.send('flipping');
for (;;) {
  try { fs.renameSync(real, sub); } catch { aside(); }
  try { fs.renameSync(sub, real); } catch { aside(); }
  try { fs.symlinkSync(outside, sub); } catch { aside(); }
  try { fs.unlinkSync(sub); } catch { aside(); }
}`;

/** Every file under `dir` with its content. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files: Record<string, string> = {};
  for (const entry of entries.filter((e) => e.isFile())) {
    const file = path.join(entry.parentPath, entry.name);
    files[path.relative(dir, file)] = await readFile(file, 'utf8');
  }
  return files;
}

describe('writes while a folder flips between inside and a symlink to outside', () => {
  it('never put a byte outside, and each call either wrote inside or failed with a named error', async () => {
    const workspace = await realpath(await makeWorkspace({ 'real/f.txt': 'line\n' }));
    const outside = await realpath(await tempDir('deskmate-outside-'));
    await writeFile(path.join(outside, 'f.txt'), 'line\n');
    await mkdir(path.join(outside, 'deeper'));
    const before = await snapshot(outside);
    // Any create, write, rename or attribute change under the outside folder, however brief.
    const touched: string[] = [];
    const watcher = watch(outside, { recursive: true }, (event, name) => touched.push(`${event} ${name}`));

    const ctx = toolContext(workspace);
    const calls = {
      save: () => saveTool.execute({ path: 'sub/f.txt', content: 'line\nsaved\n' }, ctx),
      append: () => appendTool.execute({ path: 'sub/f.txt', content: 'appended\n' }, ctx),
      patch: () =>
        patchTool.execute(
          { path: 'sub/f.txt', patch: '<<<<<<< ORIGINAL\nline\n=======\nline\npatched\n>>>>>>> UPDATED\n' },
          ctx,
        ),
      deeper: () => saveTool.execute({ path: 'sub/deeper/new.txt', content: 'new\n' }, ctx),
    };
    const outcomes: Record<keyof typeof calls, Map<string, number>> = {
      save: new Map(),
      append: new Map(),
      patch: new Map(),
      deeper: new Map(),
    };

    const flipper = spawn(process.execPath, ['-e', FLIPPER, workspace, outside], {
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    try {
      await new Promise((resolve) => flipper.once('message', resolve));
      await Promise.all(
        (Object.keys(calls) as (keyof typeof calls)[]).map(async (key) => {
          for (let i = 0; i < CALLS_PER_TOOL; i++) {
            const outcome = await calls[key]().then(
              () => 'ok',
              // A refusal the model can act on; a raw errno error would reach it as Internal.
              (error: unknown) => (error instanceof NamedError ? error.name : `unexpected ${String(error)}`),
            );
            outcomes[key].set(outcome, (outcomes[key].get(outcome) ?? 0) + 1);
          }
        }),
      );
    } finally {
      flipper.kill('SIGKILL');
      await new Promise((resolve) => setTimeout(resolve, 50));
      watcher.close();
    }

    expect(touched).toEqual([]);
    expect(await snapshot(outside)).toEqual(before);
    for (const [key, seen] of Object.entries(outcomes)) {
      const unexpected = [...seen.keys()].filter((outcome) => outcome.startsWith('unexpected'));
      expect(unexpected, key).toEqual([]);
      // The race ran against real writes: some calls got through, inside.
      expect(seen.get('ok') ?? 0, `${key}: ${JSON.stringify([...seen])}`).toBeGreaterThan(0);
    }
  });
});
