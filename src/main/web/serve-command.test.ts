import { mkdir, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { homedir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { tempDir } from '../../../test/support/temp-dir';
import { USAGE } from './serve-args';
import { packageRoot, runServeCommand, serveArgsContext, type ServeProcess } from './serve-command';
import { makeStaticFixture } from '../../../test/support/web-test-support';

const TOKEN = 'serve-command-token-0123456789-abcdefghij';

/**
 * The process the command runs in, as far as it can tell: its arguments and environment, what it
 * writes, the signal handlers it installs and the exits it asks for (recorded, not taken).
 */
function fakeProcess(args: string[], env: Record<string, string> = {}) {
  const handlers = new Map<string, (signal: NodeJS.Signals) => void>();
  const exits: number[] = [];
  let exited: (code: number) => void = () => undefined;
  const exit = new Promise<number>((resolve) => (exited = resolve));
  const out = { stdout: '', stderr: '' };
  const proc: ServeProcess = {
    argv: ['node', 'index.ts', ...args],
    env: { PATH: process.env.PATH, ...env },
    cwd: () => '/home/me/project',
    stdout: { write: (text: string) => (out.stdout += text) },
    stderr: { write: (text: string) => (out.stderr += text) },
    on: (signal, listener) => handlers.set(signal, listener),
    exit: (code) => {
      exits.push(code);
      exited(code);
    },
  };
  return { proc, out, handlers, exits, exit };
}

async function startArgs(): Promise<string[]> {
  const { root } = await makeStaticFixture();
  return ['--port', '0', '--data-dir', await tempDir('deskmate-command-'), '--static', root];
}

function status(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    // A new connection each time: a kept-alive one would outlive the server's listening socket.
    request(url, { agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });
}

describe('where npm run serve looks', () => {
  it('takes relative paths from the folder the command was typed in', () => {
    expect(serveArgsContext({ env: { INIT_CWD: '/home/me/typed-here' }, cwd: () => '/pkg' }).cwd).toBe(
      '/home/me/typed-here',
    );
    expect(serveArgsContext({ env: {}, cwd: () => '/pkg' }).cwd).toBe('/pkg');
    expect(serveArgsContext({ env: { INIT_CWD: '' }, cwd: () => '/pkg' }).cwd).toBe('/pkg');
  });

  it.runIf(process.platform === 'linux')('keeps its data in the platform data folder, named deskmate', () => {
    // The app's own folder (Electron's userData), from the environment the command was given.
    expect(serveArgsContext({ env: {}, cwd: () => '/pkg' }).platformDataDir).toBe(
      path.join(homedir(), '.config', 'deskmate'),
    );
    expect(serveArgsContext({ env: { XDG_CONFIG_HOME: '/cfg' }, cwd: () => '/pkg' }).platformDataDir).toBe(
      path.join('/cfg', 'deskmate'),
    );
  });

  it('finds the package folder from wherever its code runs: the sources or the build', async () => {
    const root = await tempDir('deskmate-package-');
    await mkdir(path.join(root, 'out', 'main'), { recursive: true });
    await writeFile(path.join(root, 'package.json'), '{}');
    expect(packageRoot(path.join(root, 'out', 'main'))).toBe(root);
    expect(packageRoot(root)).toBe(root);
    expect(packageRoot(path.resolve('src/main/web'))).toBe(path.resolve('.'));
    // Nowhere above: the folder it started from.
    const loose = await tempDir('deskmate-nopackage-');
    expect(packageRoot(loose)).toBe(loose);
  });

  it('serves the renderer the build wrote, from the package, wherever the command was typed', () => {
    const context = serveArgsContext({ env: { INIT_CWD: '/elsewhere' }, cwd: () => '/pkg' });
    expect(context.defaultStaticDir).toBe(path.resolve('out', 'renderer'));
  });
});

describe('npm run serve, in process', () => {
  it('prints the usage for --help and starts nothing', async () => {
    const { proc, out } = fakeProcess(['--help']);
    expect(await runServeCommand(proc)).toBeUndefined();
    expect(out.stdout).toBe(`${USAGE}\n`);
    expect(out.stderr).toBe('');
    expect(proc.exitCode).toBeUndefined();
  });

  it('says what is wrong with the arguments, with the usage, and exits 1', async () => {
    const { proc, out } = fakeProcess(['--host', '0.0.0.0']);
    expect(await runServeCommand(proc)).toBeUndefined();
    expect(out.stderr).toBe(
      'deskmate: --host 0.0.0.0 would let other machines reach this server; add --allow-remote if that ' +
        `is what you want (anyone with the token can run commands here)\n${USAGE}\n`,
    );
    expect(out.stdout).toBe('');
    expect(proc.exitCode).toBe(1);
  });

  it('says why it could not start, and exits 1 without a ready line', async () => {
    const { proc, out } = fakeProcess(await startArgs(), { DESKMATE_TOKEN: 'short' });
    expect(await runServeCommand(proc)).toBeUndefined();
    expect(out.stderr).toMatch(/^deskmate: DESKMATE_TOKEN is 5 characters long; it must be at least 32\b/m);
    expect(out.stdout).toBe('');
    expect(proc.exitCode).toBe(1);
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('stops serving on %s and exits 0', async (signal) => {
    const { proc, out, handlers, exit } = fakeProcess(await startArgs(), { DESKMATE_TOKEN: TOKEN });
    const running = await runServeCommand(proc);
    onTestFinished(() => running?.close());
    expect(running).toBeDefined();
    const origin = running!.server.origin;
    expect(out.stdout).toBe(`Deskmate is ready: ${origin}/?token=${TOKEN}\n`);
    expect(await status(`${origin}/`)).toBe(200);

    handlers.get(signal)!(signal);
    expect(await exit).toBe(0);
    expect(out.stderr).toContain(`deskmate: ${signal}, shutting down\n`);
    await expect(status(`${origin}/`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(running!.registry.size).toBe(0);
    expect(proc.exitCode).toBeUndefined();
  });

  it('quits at once on a second signal while shutting down', async () => {
    const { proc, handlers, exits, exit } = fakeProcess(await startArgs(), { DESKMATE_TOKEN: TOKEN });
    const running = await runServeCommand(proc);
    onTestFinished(() => running?.close());
    handlers.get('SIGINT')!('SIGINT');
    handlers.get('SIGINT')!('SIGINT');
    expect(exits).toEqual([130]);
    await exit;
    // The first shutdown still finishes on its own.
    await running!.close();
  });

  it('says the shutdown failed, and exits 1', async () => {
    const { proc, out, handlers, exits, exit } = fakeProcess(await startArgs(), { DESKMATE_TOKEN: TOKEN });
    const running = await runServeCommand(proc);
    // A context whose cleanup fails: a shell that would not die, say.
    running!.registry
      .create('stuck', () => undefined)
      .register({
        dispose: () => {
          throw new Error('the shell would not die');
        },
      });
    handlers.get('SIGTERM')!('SIGTERM');
    expect(await exit).toBe(1);
    expect(exits).toEqual([1]);
    expect(out.stderr).toContain('deskmate: shutdown failed: Error: the shell would not die\n');
  });
});
