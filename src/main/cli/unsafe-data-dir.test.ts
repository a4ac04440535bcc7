// `npm run cli` on a data folder someone else could write does not start: whoever can write
// settings.json there chooses the server the key is sent to (issue 9).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { anotherUsersFolder } from '../../../test/support/another-user';
import { makeWorkspace } from '../../../test/support/engine';
import { startScriptedProvider, type ScriptedProvider } from '../../../test/support/scripted-provider';
import { tempDir } from '../../../test/support/temp-dir';

const ENTRY = path.resolve('src/main/cli/index.ts');
let provider: ScriptedProvider | undefined;
afterEach(async () => provider?.close());

/** Runs the real CLI with a provider that would answer, so only the data folder can stop it. */
async function runCli(dataDir: string): Promise<{ code: number | null; stderr: string }> {
  provider = await startScriptedProvider();
  provider.enqueue({ kind: 'stream', text: 'Hello.' });
  const workspace = await makeWorkspace();
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    OPENAI_BASE_URL: provider.url,
    OPENAI_API_KEY: 'sk-cli',
    DESKMATE_MODEL: 'scripted-model',
  };
  const args = ['--import', 'tsx', ENTRY, '--data-dir', dataDir, '--workspace', workspace, 'hi'];
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

describe('npm run cli refuses a data folder someone else could write', () => {
  it('one that belongs to another user: exit 1, why and what to do, and no request with the key', async () => {
    const dir = anotherUsersFolder(path.join(await tempDir('deskmate-cli-'), 'data'));
    const run = await runCli(dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^deskmate: Cannot use .* as the data folder: it belongs to another user \(uid \d+\), who could rewrite what Deskmate reads there and so choose the server your API key is sent to\. Choose a folder of your own with --data-dir/m,
    );
    expect(provider?.requests).toEqual([]);
    expect(existsSync(path.join(dir, 'settings.json'))).toBe(false);
  });

  it('one that others can write to, holding files that are not Deskmate’s: exit 1, and its mode kept', async () => {
    const dir = path.join(await tempDir('deskmate-cli-'), 'data');
    await mkdir(dir);
    await writeFile(path.join(dir, 'photo.jpg'), 'not a setting');
    await chmod(dir, 0o777);
    const run = await runCli(dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^deskmate: Cannot use .* as the data folder: other users can write to it \(mode 0777\) and it does not look like a Deskmate data folder/m,
    );
    expect(provider?.requests).toEqual([]);
    expect(existsSync(path.join(dir, 'settings.json'))).toBe(false);
    expect((await stat(dir)).mode & 0o7777).toBe(0o777);
  });
});
