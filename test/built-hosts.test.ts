// Issue 12: `npm run cli` and `npm run serve` run the JavaScript the build writes, with plain node (no
// TypeScript loader at run time), and with no --data-dir they share one folder: the app's own. The
// test builds into a folder of its own, so it needs no earlier build and never races one; the folder
// sits inside the package so the built files find node_modules as they do in out/.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { makeWorkspace } from './support/engine';
import { startScriptedProvider, type ScriptedProvider } from './support/scripted-provider';
import { tempDir } from './support/temp-dir';
import { TestClient, type ServerTarget } from './support/web-test-support';

const ROOT = path.resolve(import.meta.dirname, '..');
let built = '';
let provider: ScriptedProvider | undefined;

beforeAll(async () => {
  const cache = path.join(ROOT, 'node_modules', '.cache');
  await mkdir(cache, { recursive: true });
  built = await mkdtemp(path.join(cache, 'deskmate-built-hosts-'));
  // What `npm run build` runs, written elsewhere.
  const build = spawnSync(
    process.execPath,
    [
      path.join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'),
      'build',
      '--outDir',
      built,
      '--logLevel',
      'error',
    ],
    { cwd: ROOT, encoding: 'utf8' },
  );
  expect(build.status, build.stderr).toBe(0);
}, 120_000);
afterAll(async () => {
  if (built) await rm(built, { recursive: true, force: true });
});
afterEach(async () => provider?.close());

/** A user's home in a temp folder: nothing from the machine running the test, no NODE_OPTIONS, no loader. */
async function freshUser() {
  const home = await tempDir('deskmate-home-');
  const env = { PATH: process.env.PATH ?? '', HOME: home, XDG_CONFIG_HOME: path.join(home, 'xdg-config') };
  return { home, env, appFolder: path.join(env.XDG_CONFIG_HOME, 'deskmate') };
}

/** `node <built file> ...args`, nothing before the file: no --import, no loader. */
function runBuilt(file: string, args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, [path.join(built, 'main', file), ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  expect(child.spawnargs).toEqual([process.execPath, path.join(built, 'main', file), ...args]);
  return child;
}

function finished(child: ChildProcess): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** The relative imports of a built file, followed, and every package they import. */
function packagesImportedBy(file: string, seen = new Set<string>()): Set<string> {
  const packages = new Set<string>();
  if (seen.has(file)) return packages;
  seen.add(file);
  const code = readFileSync(file, 'utf8');
  for (const [, specifier] of code.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*"([^"]+)"/g)) {
    if (specifier!.startsWith('.')) {
      for (const name of packagesImportedBy(path.resolve(path.dirname(file), specifier!), seen))
        packages.add(name);
    } else if (!specifier!.startsWith('node:')) packages.add(specifier!);
  }
  return packages;
}

describe('npm run serve and npm run cli run built JavaScript', () => {
  it('are the files `npm run build` writes, run with plain node after building them', () => {
    const { scripts } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(scripts.build).toBe('electron-vite build');
    expect(scripts.serve).toMatch(/^electron-vite build( --logLevel \w+)? && node out\/main\/serve\.js$/);
    expect(scripts.cli).toMatch(/^electron-vite build( --logLevel \w+)? && node out\/main\/cli\.js$/);
    for (const file of ['serve.js', 'cli.js', 'index.js'])
      expect(existsSync(path.join(built, 'main', file))).toBe(true);
  });

  it('import nothing of Electron, which only the app has', () => {
    const app = packagesImportedBy(path.join(built, 'main', 'index.js'));
    expect([...app]).toEqual(expect.arrayContaining(['electron', 'electron-store']));
    for (const host of ['serve.js', 'cli.js']) {
      const imported = [...packagesImportedBy(path.join(built, 'main', host))];
      expect(imported).toEqual(expect.arrayContaining(['openai', 'conf']));
      expect(imported.filter((name) => name.startsWith('electron') || name === 'tsx')).toEqual([]);
    }
  });

  it('with no --data-dir, the conversation `npm run cli` made is in the list `npm run serve` gives', async () => {
    const { env, appFolder } = await freshUser();
    provider = await startScriptedProvider();
    provider.enqueue({ kind: 'stream', text: 'Noted.' });
    const workspace = await makeWorkspace();
    const cli = await finished(
      runBuilt('cli.js', ['--workspace', workspace, 'Remember the built CLI'], {
        ...env,
        OPENAI_BASE_URL: provider.url,
        OPENAI_API_KEY: 'sk-built',
        DESKMATE_MODEL: 'scripted-model',
      }),
    );
    expect(cli.stderr).not.toMatch(/error/i);
    expect(cli.code).toBe(0);
    expect(cli.stdout).toContain('Noted.');
    const id = /deskmate: conversation (\S+)/.exec(cli.stderr)?.[1];
    expect(id).toBeDefined();
    // In the folder the app would use as its userData, and nowhere else.
    expect(existsSync(path.join(appFolder, 'conversations', id!, 'conversation.jsonl'))).toBe(true);

    const serve = runBuilt('serve.js', ['--port', '0'], env);
    onTestFinished(() => void serve.kill('SIGKILL'));
    const output = finished(serve);
    const target = await readyTarget(serve);
    const client = await TestClient.connect(target);
    const listed = await client.request('conversation.list', {});
    expect(listed).toMatchObject({
      ok: true,
      value: { total: 1, items: [{ id, name: expect.any(String) }] },
    });
    // A clean shutdown with a client connected: 0, not the 130 of a second signal.
    serve.kill('SIGTERM');
    const { code, stderr } = await output;
    expect(code, stderr).toBe(0);
    expect(stderr).toContain(`deskmate: data in ${appFolder}\n`);
  });
});

/** Waits for serve's ready line: where a client connects, and with which token. */
function readyTarget(child: ChildProcess): Promise<ServerTarget> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    child.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString();
      const match = /(http:\/\/127\.0\.0\.1:\d+)\/\?token=(\S+)/.exec(stdout);
      if (match) resolve({ server: { origin: match[1]! } as ServerTarget['server'], token: match[2]! });
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${stdout}`)));
  });
}
