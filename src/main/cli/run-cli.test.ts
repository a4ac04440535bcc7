import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { ConversationStore } from '../engine/conversation-store/conversation-store';
import { makeWorkspace } from '../../../test/support/engine';
import { notPrivate, walk } from '../../../test/support/file-modes';
import { underPermissiveUmask } from '../../../test/support/permissive-umask';
import {
  startScriptedProvider,
  type ScriptedProvider,
  type Step,
} from '../../../test/support/scripted-provider';
import { makeHostileRepo, ranMarkers } from '../../../test/support/hostile-repo';
import { filesHolding } from '../../../test/support/secret-scan';
import { tempDir } from '../../../test/support/temp-dir';
import { openConfBackend } from '../engine/config/conf-backend';
import { openUserSettings } from '../engine/config/open-settings';
import { loadProjectLayers } from '../engine/config/project-layer';
import { fingerprintOf, trustRequestOf } from '../engine/config/workspace-trust';

const ENTRY = path.resolve('src/main/cli/index.ts');
let provider: ScriptedProvider | undefined;
afterEach(async () => provider?.close());

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI in a child process, as `npm run cli -- ...` would. */
function runCli(
  args: string[],
  env: Record<string, string>,
  onSpawn?: (child: ChildProcess) => void,
): Promise<Run> {
  return new Promise((resolve) => {
    // One process (tsx as a loader, not its CLI wrapper), so a signal reaches the engine itself.
    const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    onSpawn?.(child);
  });
}

const shellThenSave: Step[] = [
  {
    kind: 'stream',
    text: 'Let me do that.',
    toolCalls: [
      { name: 'shell', args: { command: 'echo hello-from-shell' } },
      { name: 'save', args: { path: 'out/result.txt', content: 'written by the model\n' } },
    ],
  },
  { kind: 'stream', text: 'All done.' },
];

async function setup(steps: Step[]) {
  provider = await startScriptedProvider();
  provider.enqueue(...steps);
  const dataDir = await tempDir('deskmate-cli-');
  const workspace = await makeWorkspace();
  const env = { OPENAI_BASE_URL: provider.url, OPENAI_API_KEY: 'sk-cli', DESKMATE_MODEL: 'scripted-model' };
  return { dataDir, workspace, env };
}

describe('npm run cli', () => {
  it('with --yes runs shell and save: the file lands in the workspace, exit 0', async () => {
    const { dataDir, workspace, env } = await setup(shellThenSave);
    const run = await runCli(
      ['--data-dir', dataDir, '--workspace', workspace, '--yes', 'Make the file'],
      env,
    );
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.code).toBe(0);
    expect(await readFile(path.join(workspace, 'out/result.txt'), 'utf8')).toBe('written by the model\n');
    expect(run.stdout).toContain('Let me do that.');
    expect(run.stdout).toContain('$ echo hello-from-shell');
    expect(run.stdout).toContain('hello-from-shell\n');
    expect(run.stdout).toContain('All done.');
  });

  it('without --yes skips the tools, says so, and writes nothing', async () => {
    const { dataDir, workspace, env } = await setup(shellThenSave);
    const run = await runCli(['--data-dir', dataDir, '--workspace', workspace, 'Make the file'], env);
    expect(run.code).toBe(0);
    await expect(readFile(path.join(workspace, 'out/result.txt'))).rejects.toThrow();
    expect(run.stdout.match(/skipped: this tool needs approval \(run with --yes/g)).toHaveLength(2);
    const toolResults = provider!.requests[1]!.body.messages!.filter((m) => m.role === 'tool');
    expect(toolResults.map((m) => String(m.content))).toEqual([
      expect.stringMatching(/skipped/),
      expect.stringMatching(/skipped/),
    ]);
  });

  it('with --yes still skips a dangerous command, and prints why', async () => {
    const { dataDir, workspace, env } = await setup([
      {
        kind: 'stream',
        text: 'Opening it up.',
        toolCalls: [
          { name: 'shell', args: { command: 'chmod 777 notes.txt' } },
          { name: 'shell', args: { command: 'echo still-runs' } },
        ],
      },
      { kind: 'stream', text: 'Done.' },
    ]);
    await writeFile(path.join(workspace, 'notes.txt'), 'private\n', { mode: 0o600 });
    const run = await runCli(['--data-dir', dataDir, '--workspace', workspace, '--yes', 'Share it'], env);
    expect(run.code).toBe(0);
    expect((await stat(path.join(workspace, 'notes.txt'))).mode & 0o777).toBe(0o600);
    expect(run.stdout).toMatch(
      /\$ chmod 777 notes\.txt\n {2}skipped: .*makes files writable by every user.*\n {2}--yes does not cover/,
    );
    // An ordinary command in the same reply still runs under --yes.
    expect(run.stdout).toContain('still-runs\n');
    const toolResults = provider!.requests[1]!.body.messages!.filter((m) => m.role === 'tool');
    expect(String(toolResults[0]!.content)).toMatch(/skipped/i);
  });

  it('creates its data folder 0700 and writes only 0600 files, even under umask 000', async () => {
    const { dataDir: base, workspace, env } = await setup(shellThenSave);
    const dataDir = path.join(base, 'new', 'data');
    const running = underPermissiveUmask(() =>
      runCli(['--data-dir', dataDir, '--workspace', workspace, '--yes', 'Make the file'], env),
    );
    expect((await running).code).toBe(0);
    const entries = await walk(dataDir);
    expect(entries.map((entry) => entry.path)).toEqual(
      expect.arrayContaining(['.', 'settings.json', 'conversations/index.jsonl']),
    );
    expect(notPrivate(entries)).toEqual([]);
  });

  it('exits 1 with the error on stderr when the provider refuses the key', async () => {
    const { dataDir, workspace, env } = await setup([{ kind: 'error', status: 401 }]);
    const run = await runCli(['--data-dir', dataDir, '--workspace', workspace, 'hi'], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/ProviderAuth: .*API key/);
  });

  it('exits 1 with usage when no prompt is given', async () => {
    const run = await runCli([], {});
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/no prompt given\nusage: npm run cli/);
  });

  it('resumes a conversation with --conversation', async () => {
    const { dataDir, workspace, env } = await setup([
      { kind: 'stream', text: 'First answer.' },
      { kind: 'stream', text: 'Second answer.' },
    ]);
    const first = await runCli(['--data-dir', dataDir, '--workspace', workspace, 'first question'], env);
    const id = /conversation (\S+)/.exec(first.stderr)?.[1];
    expect(id).toBeDefined();
    const second = await runCli(['--data-dir', dataDir, '--conversation', id!, 'second question'], env);
    expect(second.code).toBe(0);
    const sent = provider!.requests[1]!.body.messages!.filter((m) => m.role !== 'system');
    expect(sent.map((m) => [m.role, m.content])).toEqual([
      ['user', 'first question'],
      ['assistant', 'First answer.'],
      ['user', 'second question'],
    ]);
  });

  it('Ctrl+C stops the turn, keeps what was said, and names the conversation', async () => {
    provider = await startScriptedProvider();
    provider.enqueue({ kind: 'stream', text: 'a long reply '.repeat(500), delayMs: 20 });
    const dataDir = await tempDir('deskmate-cli-');
    const workspace = await makeWorkspace();
    const env = { OPENAI_BASE_URL: provider.url, OPENAI_API_KEY: 'sk-cli', DESKMATE_MODEL: 'scripted-model' };
    const run = await runCli(['--data-dir', dataDir, '--workspace', workspace, 'go'], env, (child) => {
      // Once the reply is streaming: the first words are out by then.
      child.stdout?.once('data', () => setTimeout(() => child.kill('SIGINT'), 200));
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('a long reply');
    expect(run.stdout).toContain('[interrupted]');
    const id = /deskmate: conversation (\S+)/.exec(run.stderr)?.[1];
    expect(id).toBeDefined();
    const opened = await new ConversationStore(dataDir).open(id!);
    expect(opened.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(opened.messages[1]?.metadata?.interrupted).toBe(true);
    expect(opened.messages[1]?.content.length).toBeLessThan('a long reply '.repeat(500).length);
  });

  it('killed mid-turn, it leaves every completed message in a log that parses', async () => {
    provider = await startScriptedProvider({
      respond: (request) =>
        provider!.requests.indexOf(request) === 0
          ? {
              kind: 'stream',
              text: 'Running it.',
              toolCalls: [{ id: 'k1', name: 'shell', args: { command: 'echo survived' } }],
            }
          : { kind: 'stream', text: 'a long reply '.repeat(500), delayMs: 20 },
    });
    const dataDir = await tempDir('deskmate-cli-');
    const workspace = await makeWorkspace();
    const env = { OPENAI_BASE_URL: provider.url, OPENAI_API_KEY: 'sk-cli' };
    let child: ChildProcess | undefined;
    const killer = setInterval(() => {
      // Kill once the second reply is streaming: the first three messages are complete by then.
      if (provider!.requests.length >= 2) {
        clearInterval(killer);
        setTimeout(() => child?.kill('SIGKILL'), 200);
      }
    }, 10);
    const run = await runCli(
      ['--data-dir', dataDir, '--workspace', workspace, '--yes', 'go'],
      env,
      (c) => (child = c),
    );
    clearInterval(killer);
    expect(run.signal).toBe('SIGKILL');

    const store = new ConversationStore(dataDir);
    const { items } = await store.list();
    expect(items).toHaveLength(1);
    const raw = await readFile(
      path.join(dataDir, 'conversations', items[0]!.id, 'conversation.jsonl'),
      'utf8',
    );
    const lines = raw.split('\n').filter(Boolean);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    const opened = await store.open(items[0]!.id);
    expect(opened.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool']);
    expect(opened.messages[1]?.tool_calls?.[0]).toMatchObject({ id: 'k1', name: 'shell' });
    expect(opened.messages[2]).toMatchObject({ call_id: 'k1', content: expect.stringContaining('survived') });
    expect(opened.skippedLines).toBe(0);
  });
});

describe('npm run cli on a hostile repository', () => {
  const envThenDone: Step[] = [
    { kind: 'stream', toolCalls: [{ name: 'shell', args: { command: 'env; whoami' } }] },
    { kind: 'stream', text: 'Looked.' },
  ];

  async function hostileRun(args: string[], trustInSettings = false) {
    const { dataDir, env } = await setup(envThenDone);
    const hostile = await makeHostileRepo();
    onTestFinished(() => hostile.remove());
    if (trustInSettings) {
      const settings = openUserSettings(dataDir, openConfBackend);
      const request = trustRequestOf(await loadProjectLayers(hostile.repo));
      settings.setTrust(hostile.repo, fingerprintOf(request));
    }
    const run = await runCli(
      ['--data-dir', dataDir, '--workspace', hostile.repo, '--yes', ...args, 'Look'],
      env,
    );
    return { run, hostile, dataDir };
  }

  it('untrusted: lists what it did not apply, runs none of it, and prints no key', async () => {
    const { run, hostile, dataDir } = await hostileRun([]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('not applied (the folder is not trusted; run with --trust to apply)');
    for (const [name, value] of Object.entries(hostile.trustedEnv))
      expect(run.stderr).toContain(`env ${name}=${value}`);
    expect(run.stderr).toMatch(/env\.BASH_ENV: bash would run it as code/);
    expect(run.stdout).not.toContain('LD_PRELOAD=');
    expect(run.stdout).not.toContain('hijacked-whoami');
    expect(run.stdout + run.stderr).not.toContain('sk-cli');
    expect(await ranMarkers(hostile)).toEqual([]);
    expect(await filesHolding(dataDir, ['sk-cli'])).toEqual([]);
  });

  it('--trust applies exactly what it printed for this run only, and still no key', async () => {
    const { run, hostile, dataDir } = await hostileRun(['--trust']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('trusted workspace, applying from its project files');
    for (const [name, value] of Object.entries(hostile.trustedEnv))
      expect(run.stdout).toContain(`${name}=${value}`);
    expect(run.stdout).toContain('hijacked-whoami');
    expect(run.stdout + run.stderr).not.toContain('sk-cli');
    // Trusted, its context_cmd runs too (listed in the trust request it was given for; issue 13).
    expect(await ranMarkers(hostile)).toEqual(['context-cmd', 'path-hijack']);
    // For this run only: nothing was saved.
    expect(openUserSettings(dataDir, openConfBackend).trustedFolders()).toEqual([]);
  });

  it('--trust covers the folder given, not the folder of the conversation it continues', async () => {
    const { run: first, hostile, dataDir } = await hostileRun([]);
    const id = /conversation (\S+)/.exec(first.stderr)?.[1];
    expect(id).toBeDefined();
    provider!.enqueue(...envThenDone);
    const mine = await makeWorkspace({ '.deskmate.toml': '[env]\nMY_NOTE = "fine"\n' });
    const env = {
      OPENAI_BASE_URL: provider!.url,
      OPENAI_API_KEY: 'sk-cli',
      DESKMATE_MODEL: 'scripted-model',
    };
    const run = await runCli(
      ['--data-dir', dataDir, '--workspace', mine, '--trust', '--yes', '--conversation', id!, 'Go on'],
      env,
    );
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`conversation ${id} works in ${hostile.repo}`);
    expect(run.stderr).toContain('not applied (the folder is not trusted');
    expect(run.stdout).not.toContain('LD_PRELOAD=');
    expect(run.stdout).not.toContain('MY_NOTE=');
    expect(await ranMarkers(hostile)).toEqual([]);
  });

  it('shows a project value that tries to rewrite the terminal, instead of obeying it', async () => {
    const { dataDir, env } = await setup([
      {
        kind: 'stream',
        text: 'Title: \u001b]0;pwned\u0007 done.',
        toolCalls: [{ name: 'shell', args: { command: 'env; whoami' } }],
      },
      { kind: 'stream', text: 'Looked.' },
    ]);
    const sneaky = await makeWorkspace({
      '.deskmate.toml': '[env]\nLD_PRELOAD = "./x.so"\nNOTE = "\\u001b[1A\\u001b[2K\\r  env NOTE=harmless"\n',
    });
    const run = await runCli(['--data-dir', dataDir, '--workspace', sneaky, 'Look'], env);
    expect(run.stderr).toContain('env LD_PRELOAD=./x.so  (runs-code)');
    expect(run.stderr).toContain('env NOTE=\\u{1b}[1A\\u{1b}[2K\\u{d}  env NOTE=harmless');
    expect(run.stderr).not.toContain('\u001b');
    expect(run.stdout).toContain('Title: \\u{1b}]0;pwned\\u{7} done.');
    expect(run.stdout).not.toContain('\u001b');
  });

  it('a folder trusted in the settings applies without --trust', async () => {
    const { run, hostile } = await hostileRun([], true);
    expect(run.stderr).toContain('trusted workspace, applying');
    expect(run.stdout).toContain(`LD_PRELOAD=${hostile.trustedEnv.LD_PRELOAD}`);
  });
});
