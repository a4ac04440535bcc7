import { getEventListeners } from 'node:events';
import { existsSync } from 'node:fs';
import { readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { bounded } from '../../../../test/support/bounded';
import { createChatEngine, makeWorkspace } from '../../../../test/support/engine';
import { processesInside } from '../../../../test/support/process-scan';
import { startScriptedProvider, type ScriptedProvider } from '../../../../test/support/scripted-provider';
import { CONTEXT_CMD_MAX_CHARS, formatContextOutput, runContextCommand } from './context-command';

const env = { PATH: process.env.PATH ?? '/usr/bin:/bin' };

describe('running a context command', () => {
  it('runs in the workspace with exactly the environment given', async () => {
    const ws = await makeWorkspace({ 'hello.txt': 'hi' });
    const result = await runContextCommand('pwd; cat hello.txt; echo "[$WHO][${OPENAI_API_KEY:-none}]"', {
      cwd: ws,
      env: { ...env, WHO: 'tool' },
      timeoutMs: 10_000,
    });
    expect(result.output).toBe(`${ws}\nhi[tool][none]\n`);
    expect(result).toMatchObject({ exitCode: 0, cut: false, timedOut: false, command: expect.any(String) });
    expect(formatContextOutput(result)).toContain('```\n');
  });

  it('stops a command that never ends, with everything it started, and keeps what it printed', async () => {
    const ws = await makeWorkspace();
    const started = Date.now();
    const result = await bounded(
      runContextCommand('echo before; (sleep 1000; echo escaped > late.txt) & sleep 1000', {
        cwd: ws,
        env,
        timeoutMs: 300,
      }),
      10_000,
      'a context command that never ends',
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result).toMatchObject({ output: 'before\n', exitCode: null, timedOut: true });
    expect(formatContextOutput(result)).toContain('[stopped: it ran out of time]');
    // The background sleep went with it: killed as one process group.
    const real = await realpath(ws);
    await expect.poll(() => processesInside(real), { timeout: 3_000 }).toEqual([]);
  });

  it('cuts a flood of output at the cap, says so, and stops the command', async () => {
    const ws = await makeWorkspace();
    // 50 MB, far past the cap: the command is stopped long before it is done.
    const result = await bounded(
      runContextCommand('head -c 52428800 /dev/zero | tr "\\0" "x"; echo done > finished.txt', {
        cwd: ws,
        env,
        timeoutMs: 20_000,
      }),
      20_000,
      'a context command printing 50 MB',
    );
    expect(result.output).toHaveLength(CONTEXT_CMD_MAX_CHARS);
    expect(result).toMatchObject({ cut: true, timedOut: false });
    expect(formatContextOutput(result)).toContain('[… cut at 100,000 characters]');
    expect(existsSync(path.join(ws, 'finished.txt'))).toBe(false);
  });

  it('reports a failing command with its exit code and what it said on stderr', async () => {
    const result = await runContextCommand('echo partial; echo broken >&2; exit 3', {
      cwd: await makeWorkspace(),
      env,
      timeoutMs: 10_000,
    });
    expect(result).toMatchObject({ output: 'partial\n', exitCode: 3, stderr: 'broken\n' });
    expect(formatContextOutput(result)).toMatch(/partial\n```\n\[exit code 3\]\nstderr:\nbroken$/);
  });

  it('keeps exactly the cap of output uncut', async () => {
    const result = await runContextCommand(`head -c ${CONTEXT_CMD_MAX_CHARS} /dev/zero | tr "\\0" "x"`, {
      cwd: await makeWorkspace(),
      env,
      timeoutMs: 10_000,
    });
    expect(result.output).toHaveLength(CONTEXT_CMD_MAX_CHARS);
    expect(result).toMatchObject({ cut: false, exitCode: 0 });
    expect(formatContextOutput(result)).not.toContain('[… cut');
  });

  it('lets a long output that ends by itself finish with its exit code; only the prompt gets it cut', async () => {
    // As much as is read before a flood is stopped: four bytes for each character kept.
    const result = await runContextCommand(`head -c ${4 * CONTEXT_CMD_MAX_CHARS} /dev/zero | tr "\\0" "x"`, {
      cwd: await makeWorkspace(),
      env,
      timeoutMs: 10_000,
    });
    expect(result.output).toHaveLength(CONTEXT_CMD_MAX_CHARS);
    expect(result).toMatchObject({ cut: true, exitCode: 0, timedOut: false });
  });

  it('keeps a flood on stderr to a short excerpt', async () => {
    const result = await runContextCommand('head -c 50000 /dev/zero | tr "\\0" "e" >&2; exit 1', {
      cwd: await makeWorkspace(),
      env,
      timeoutMs: 10_000,
    });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toBe('e'.repeat(2_000));
  });

  it('gives a command no input, so one that reads it does not wait', async () => {
    const result = await runContextCommand('cat; read -r line; echo "after [$line]"', {
      cwd: await makeWorkspace(),
      env,
      timeoutMs: 5_000,
    });
    expect(result).toMatchObject({ output: 'after []\n', timedOut: false });
  });

  it('says why a command could not start', async () => {
    const ws = await makeWorkspace();
    const result = await runContextCommand('echo hi', { cwd: path.join(ws, 'gone'), env, timeoutMs: 10_000 });
    expect(result).toMatchObject({ output: '', exitCode: null, timedOut: false });
    expect(result.stderr).toMatch(/ENOENT/);
    expect(formatContextOutput(result)).toMatch(/\nstderr:\n.*ENOENT/);
  });

  it('leaves no timer running and nothing on its signal once it is done', async () => {
    const ws = await makeWorkspace();
    const controller = new AbortController();
    // Only the clock is faked, to count its timers; the command is a real process.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      // A one-shot CLI run would otherwise wait out the whole minute before it could exit.
      const result = await runContextCommand('echo quick', {
        cwd: ws,
        env,
        timeoutMs: 60_000,
        signal: controller.signal,
      });
      expect(result.output).toBe('quick\n');
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('is stopped by its signal', async () => {
    const controller = new AbortController();
    const running = runContextCommand('sleep 1000', {
      cwd: await makeWorkspace(),
      env,
      timeoutMs: 60_000,
      signal: controller.signal,
    });
    controller.abort();
    expect(await bounded(running, 5_000, 'an aborted context command')).toMatchObject({ exitCode: null });
  });
});

describe('the context command output in the system prompt', () => {
  const run = {
    command: 'git status',
    ranAt: '2026-01-01T00:00:00.000Z',
    output: 'clean\n',
    exitCode: 0,
    stderr: '',
    cut: false,
    timedOut: false,
  };

  it('is the command, when it ran and its output; a warning on stderr of a success is not shown', () => {
    const text = [
      "Output of the project's context command (git status), run at 2026-01-01T00:00:00.000Z:",
      '```\nclean\n```',
    ].join('\n');
    expect(formatContextOutput(run)).toBe(text);
    expect(formatContextOutput({ ...run, stderr: 'warning: slow\n' })).toBe(text);
  });

  it('says a failure with its exit code and stderr, and a stop without either', () => {
    expect(
      formatContextOutput({ ...run, exitCode: 2, stderr: ' bad \n' })
        .split('\n')
        .slice(-3),
    ).toEqual(['[exit code 2]', 'stderr:', 'bad']);
    expect(
      formatContextOutput({ ...run, exitCode: 2 })
        .split('\n')
        .at(-1),
    ).toBe('[exit code 2]');
    expect(
      formatContextOutput({ ...run, exitCode: 2, stderr: ' \n' })
        .split('\n')
        .at(-1),
    ).toBe('[exit code 2]');
    expect(
      formatContextOutput({ ...run, exitCode: null, timedOut: true })
        .split('\n')
        .slice(-2),
    ).toEqual(['```', '[stopped: it ran out of time]']);
  });
});

describe('a context command that tries to outlast its bounds', () => {
  it('is not started at all when its signal is already aborted', async () => {
    const ws = await makeWorkspace();
    const result = await runContextCommand('touch started.txt', {
      cwd: ws,
      env,
      timeoutMs: 10_000,
      signal: AbortSignal.abort(),
    });
    expect(result).toEqual({
      command: 'touch started.txt',
      ranAt: expect.any(String),
      output: '',
      exitCode: null,
      stderr: '',
      cut: false,
      timedOut: false,
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(existsSync(path.join(ws, 'started.txt'))).toBe(false);
  });

  it('does not hold the turn when something it started left its process group and keeps the output open', async () => {
    const ws = await makeWorkspace();
    const real = await realpath(ws);
    try {
      const result = await bounded(
        runContextCommand('setsid sleep 30 & echo started; sleep 1000', { cwd: ws, env, timeoutMs: 300 }),
        5_000,
        'a context command whose grandchild left its group',
      );
      expect(result).toMatchObject({ output: 'started\n', timedOut: true });
    } finally {
      for (const { pid } of processesInside(real)) process.kill(pid, 'SIGKILL');
    }
  });

  it('is stopped even when it ignores the polite signal to stop', async () => {
    const ws = await makeWorkspace();
    const real = await realpath(ws);
    const result = await bounded(
      runContextCommand("trap '' TERM; echo before; sleep 1000 & sleep 1000", {
        cwd: ws,
        env,
        timeoutMs: 300,
      }),
      5_000,
      'a context command that ignores SIGTERM',
    );
    expect(result).toMatchObject({ output: 'before\n', timedOut: true });
    await expect.poll(() => processesInside(real), { timeout: 3_000 }).toEqual([]);
  });

  it('can no longer be written to by what left its process group, once it is over', async () => {
    const ws = await makeWorkspace();
    const real = await realpath(ws);
    const late = (stream: string, marker: string) =>
      `setsid sh -c 'sleep 1; echo late ${stream} && touch ${marker}' &`;
    const result = await bounded(
      runContextCommand(`${late('', 'out.txt')} ${late('>&2', 'err.txt')} echo started; sleep 1000`, {
        cwd: ws,
        env,
        timeoutMs: 300,
      }),
      5_000,
      'a context command whose grandchildren left its group',
    );
    expect(result).toMatchObject({ output: 'started\n', timedOut: true });
    // The late writers end either way: killed by the closed pipe, or done writing into an open one.
    await expect.poll(() => processesInside(real), { timeout: 5_000 }).toEqual([]);
    expect(existsSync(path.join(ws, 'out.txt'))).toBe(false);
    expect(existsSync(path.join(ws, 'err.txt'))).toBe(false);
  });
});

describe("a project's context_cmd in a conversation", () => {
  let provider: ScriptedProvider;
  beforeEach(async () => {
    provider = await startScriptedProvider();
  });
  afterEach(async () => {
    await provider.close();
  });

  it('reaches the provider only once the workspace is trusted, and never runs before', async () => {
    for (let i = 0; i < 4; i++) provider.enqueue({ kind: 'stream', text: 'ok' });
    const engine = await createChatEngine(provider);
    const workspace = await makeWorkspace({
      'gptme.toml': 'context_cmd = "echo run >> ran.txt; echo COMPUTED-CONTEXT"\n',
    });
    const context = engine.connect('w');
    await context.openWorkspace(workspace);
    const system = (i: number) => String(provider.requests[i]?.body.messages?.[0]?.content);

    await bounded((await context.chat.send('hi')).done, 10_000, 'an untrusted turn');
    expect(system(0)).not.toContain('COMPUTED-CONTEXT');
    expect(existsSync(path.join(workspace, 'ran.txt'))).toBe(false);
    expect(context.trust.request.settings).toEqual([
      expect.objectContaining({ key: 'context_cmd', value: 'echo run >> ran.txt; echo COMPUTED-CONTEXT' }),
    ]);

    context.setTrust(true);
    await bounded((await context.chat.send('again')).done, 10_000, 'a trusted turn');
    expect(system(1)).toContain('COMPUTED-CONTEXT');
    // Once per conversation: the next turn keeps the output it has.
    await bounded((await context.chat.send('and again')).done, 10_000, 'a second trusted turn');
    expect(system(2)).toContain('COMPUTED-CONTEXT');
    expect(await readFile(path.join(workspace, 'ran.txt'), 'utf8')).toBe('run\n');
    // On request (`context.refresh`), again.
    expect(await engine.router.handle('w', 'context.refresh', {})).toMatchObject({
      ok: true,
      value: { run: { output: 'COMPUTED-CONTEXT\n', exitCode: 0, ranAt: expect.any(String) } },
    });
    expect(await readFile(path.join(workspace, 'ran.txt'), 'utf8')).toBe('run\nrun\n');
    // Trust taken back: the output leaves the prompt with it, and a request runs nothing.
    context.setTrust(false);
    expect(await engine.router.handle('w', 'context.refresh', {})).toEqual({
      ok: true,
      value: { run: null },
    });
    await bounded((await context.chat.send('last')).done, 10_000, 'a turn after revoking');
    expect(system(3)).not.toContain('COMPUTED-CONTEXT');
    expect(await readFile(path.join(workspace, 'ran.txt'), 'utf8')).toBe('run\nrun\n');
    engine.registry.dispose();
  });

  it('runs again when the conversation moves to another folder with the same command', async () => {
    for (let i = 0; i < 2; i++) provider.enqueue({ kind: 'stream', text: 'ok' });
    const engine = await createChatEngine(provider);
    const toml = { 'gptme.toml': 'context_cmd = "echo here: $(basename $PWD)"\n' };
    const [first, second] = [await makeWorkspace(toml), await makeWorkspace(toml)];
    const context = engine.connect('w');
    const system = (i: number) => String(provider.requests[i]?.body.messages?.[0]?.content);
    await context.openWorkspace(first);
    context.setTrust(true);
    await bounded((await context.chat.send('hi')).done, 10_000, 'a turn in the first folder');
    await context.openWorkspace(second);
    context.setTrust(true);
    await bounded((await context.chat.send('hi')).done, 10_000, 'a turn in the second folder');
    expect(system(0)).toContain(`here: ${path.basename(first)}`);
    expect(system(1)).toContain(`here: ${path.basename(second)}`);
    engine.registry.dispose();
  });
});
