import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { freePort } from '../../../test/support/free-port';
import { tempDir } from '../../../test/support/temp-dir';
import { makeStaticFixture } from '../../../test/support/web-test-support';

const ENTRY = path.resolve('src/main/web/index.ts');
const READY = /http:\/\/127\.0\.0\.1:(\d+)\/\?token=(\S+)/;

/** Starts the real host as `npm run serve` would (without the build), killed after the test. */
function startHost(
  args: string[],
  env: Record<string, string> = {},
): ChildProcess & { output: () => string } {
  // One process (tsx as a loader), so a signal reaches the host itself.
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  onTestFinished(() => void child.kill('SIGKILL'));
  return Object.assign(child, { output: () => output });
}

function readyLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    const onData = (d: Buffer) => {
      stdout += d.toString();
      const line = stdout.split('\n').find((l) => READY.test(l));
      if (line) {
        child.stdout?.off('data', onData);
        resolve(line);
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited with ${code} before it was ready: ${stdout}`)));
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

function status(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });
}

describe('npm run serve', () => {
  it('prints one ready line with the real port and token, serves, and stops on SIGTERM', async () => {
    const dataDir = await tempDir('deskmate-serve-');
    const { root } = await makeStaticFixture();
    const host = startHost(['--port', '0', '--data-dir', dataDir, '--static', root]);
    const line = await readyLine(host);
    const [url, port, token] = line.match(READY)!;
    expect(host.output()).not.toContain('note:');
    expect(Number(port)).toBeGreaterThan(0);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await status(url)).toBe(200);
    // The page is public build output; what opens the engine, /ws, wants the token.
    expect(await status(`http://127.0.0.1:${port}/`)).toBe(200);
    expect(await status(`http://127.0.0.1:${port}/ws`)).toBe(401);
    expect(await status(`http://127.0.0.1:${port}/ws?token=${token}`)).toBe(426);

    host.kill('SIGTERM');
    expect(await exited(host)).toBe(0);
    expect(host.output().match(new RegExp(READY.source, 'g'))).toHaveLength(1);
  });

  it('takes its token from DESKMATE_TOKEN', async () => {
    const dataDir = await tempDir('deskmate-serve-');
    const token = 'a-fixed-token-for-this-test-0123456789';
    const host = startHost(['--data-dir', dataDir], { DESKMATE_TOKEN: token });
    expect(await readyLine(host)).toContain(`?token=${token}`);
    // A port picked anew each start: nobody can wait on it for a tab to come back.
    expect(host.output()).not.toContain('note:');
  });

  it('warns that a fixed DESKMATE_TOKEN on a fixed --port can be collected by whoever holds the port', async () => {
    const dataDir = await tempDir('deskmate-serve-');
    const port = await freePort();
    const token = 'a-fixed-token-for-this-test-0123456789';
    const host = startHost(['--data-dir', dataDir, '--port', String(port)], { DESKMATE_TOKEN: token });
    await readyLine(host);
    expect(host.output()).toContain(
      `deskmate: note: DESKMATE_TOKEN with a fixed --port: whoever listens on port ${port} while Deskmate ` +
        'is down gets the token from any tab left open on it; leave DESKMATE_TOKEN unset',
    );
  });

  it('refuses to start with a DESKMATE_TOKEN shorter than 32 characters: exit 1, a clear message', async () => {
    const dataDir = await tempDir('deskmate-serve-');
    const host = startHost(['--data-dir', dataDir], { DESKMATE_TOKEN: 'short-token' });
    expect(await exited(host)).toBe(1);
    expect(host.output()).toMatch(
      /^deskmate: DESKMATE_TOKEN is 11 characters long; it must be at least 32\b/m,
    );
    expect(host.output()).not.toMatch(READY);
  });

  it('refuses a non-loopback host without --allow-remote', async () => {
    const dataDir = await tempDir('deskmate-serve-');
    const host = startHost(['--host', '0.0.0.0', '--data-dir', dataDir]);
    expect(await exited(host)).toBe(1);
    expect(host.output()).toMatch(/--allow-remote/);
    expect(host.output()).not.toMatch(READY);
  });
});
