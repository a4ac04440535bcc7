// `npm run serve` on a data folder someone else could write does not start: whoever can write
// settings.json there chooses the server the key is sent to (issue 9).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { anotherUsersFolder } from '../../../test/support/another-user';
import { tempDir } from '../../../test/support/temp-dir';
import { makeStaticFixture } from '../../../test/support/web-test-support';

const ENTRY = path.resolve('src/main/web/index.ts');
const READY = 'Deskmate is ready';

/** Starts the real host; settles when it exits, or as soon as it says it is ready (then killed). */
async function startHost(dataDir: string): Promise<{ code: number | null; output: string }> {
  const { root } = await makeStaticFixture();
  const args = ['--import', 'tsx', ENTRY, '--port', '0', '--data-dir', dataDir, '--static', root];
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', OPENAI_API_KEY: 'sk-serve' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  onTestFinished(() => void child.kill('SIGKILL'));
  let output = '';
  return new Promise((resolve) => {
    const collect = (d: Buffer) => {
      output += d.toString();
      if (output.includes(READY)) resolve({ code: null, output });
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('npm run serve refuses a data folder someone else could write', () => {
  it('one that belongs to another user: exit 1, why and what to do, never ready', async () => {
    const dir = anotherUsersFolder(path.join(await tempDir('deskmate-serve-'), 'data'));
    const host = await startHost(dir);
    expect(host.output).not.toContain(READY);
    expect(host.code).toBe(1);
    expect(host.output).toMatch(
      /^deskmate: Cannot use .* as the data folder: it belongs to another user \(uid \d+\), who could rewrite what Deskmate reads there and so choose the server your API key is sent to\. Choose a folder of your own with --data-dir/m,
    );
    expect(existsSync(path.join(dir, 'settings.json'))).toBe(false);
  });

  it('one that others can write to, holding files that are not Deskmate’s: exit 1, and its mode kept', async () => {
    const dir = path.join(await tempDir('deskmate-serve-'), 'data');
    await mkdir(dir);
    await writeFile(path.join(dir, 'photo.jpg'), 'not a setting');
    await chmod(dir, 0o777);
    const host = await startHost(dir);
    expect(host.output).not.toContain(READY);
    expect(host.code).toBe(1);
    expect(host.output).toMatch(
      /^deskmate: Cannot use .* as the data folder: other users can write to it \(mode 0777\) and it does not look like a Deskmate data folder.*--data-dir/m,
    );
    expect(existsSync(path.join(dir, 'settings.json'))).toBe(false);
    expect((await stat(dir)).mode & 0o7777).toBe(0o777);
  });
});
