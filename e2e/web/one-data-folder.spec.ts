import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startScriptedProvider, type ScriptedProvider } from '../../test/support/scripted-provider';
import { tempWorkspace } from './tab';

// Issue 12, as a new user tries it: a conversation made with `npm run cli` is in the list the app
// shows (here `npm run serve`'s page), with no --data-dir, because every host defaults to the app's
// own folder; and both scripts run the built JavaScript with plain node, no TypeScript loader.

let provider: ScriptedProvider | undefined;
let serve: ChildProcess | undefined;

test.afterEach(async () => {
  // npm runs the script in a shell: the whole group goes, the host with it.
  if (serve?.pid && serve.exitCode === null) process.kill(-serve.pid, 'SIGKILL');
  await provider?.close();
});

/** A user with a home of their own: HOME and XDG_CONFIG_HOME in a temp folder, and no NODE_OPTIONS. */
async function freshUser() {
  const home = await mkdtemp(path.join(tmpdir(), 'deskmate-home-'));
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, 'config'),
    // npm itself: no registry look-up for a newer npm from this fresh home.
    npm_config_update_notifier: 'false',
  };
  return { env, appFolder: path.join(env.XDG_CONFIG_HOME, 'deskmate') };
}

function npmRun(args: string[], env: Record<string, string>): ChildProcess {
  return spawn('npm', ['run', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
}

function output(child: ChildProcess) {
  let text = '';
  child.stdout?.on('data', (d: Buffer) => (text += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (text += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { text: () => text, exited };
}

test('npm run cli, then npm run serve: the conversation is in the list, from one data folder', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const { env, appFolder } = await freshUser();
  provider = await startScriptedProvider();
  provider.enqueue({ kind: 'stream', text: 'Noted from the terminal.' });
  const workspace = await tempWorkspace('deskmate-one-folder-');

  const cli = npmRun(['cli', '--', '--workspace', workspace, 'Remember the terminal'], {
    ...env,
    OPENAI_BASE_URL: provider.url,
    OPENAI_API_KEY: 'sk-e2e',
    DESKMATE_MODEL: 'scripted',
  });
  const said = output(cli);
  expect(await said.exited, said.text()).toBe(0);
  // npm prints the command it runs: the built file, with plain node.
  expect(said.text()).toMatch(/^> electron-vite build[^\n]* && node out\/main\/cli\.js /m);
  expect(said.text()).not.toContain('tsx');
  expect(said.text()).toContain('Noted from the terminal.');
  expect(existsSync(path.join(appFolder, 'conversations', 'index.jsonl'))).toBe(true);

  serve = npmRun(['serve', '--', '--port', '0'], env);
  const served = output(serve);
  await expect.poll(() => served.text(), { timeout: 60_000 }).toMatch(/Deskmate is ready: http/);
  expect(served.text()).toMatch(/^> electron-vite build[^\n]* && node out\/main\/serve\.js /m);
  expect(served.text()).not.toContain('tsx');
  expect(served.text()).toContain(`deskmate: data in ${appFolder}\n`);
  const url = /Deskmate is ready: (\S+)/.exec(served.text())![1]!;

  // No provider for serve: the page opens on its welcome, with the sidebar beside it.
  await page.goto(url);
  await expect(
    page.getByTestId('conversation-item').filter({ hasText: 'Remember the terminal' }),
  ).toBeVisible();
});
