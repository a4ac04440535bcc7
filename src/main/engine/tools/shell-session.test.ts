import { getEventListeners } from 'node:events';
import { chmod, mkdir, realpath, readdir, rm, writeFile } from 'node:fs/promises';
import { tempDir } from '../../../../test/support/temp-dir';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { groupAlive, makeWorkspace } from '../../../../test/support/engine';
import { BashSession, bashOf, startOfAt, type RunOptions } from './shell-session';

const sessions: BashSession[] = [];
afterEach(() => sessions.splice(0).forEach((s) => s.dispose()));

async function session(
  files: Record<string, string> = {},
  env: Record<string, string> = {},
  keptEnds?: number,
) {
  const cwd = await realpath(await makeWorkspace(files));
  const shell = new BashSession({
    cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    keptEnds,
  });
  sessions.push(shell);
  return { shell, cwd };
}

function opts(overrides: Partial<RunOptions> = {}): RunOptions {
  return { signal: new AbortController().signal, timeoutMs: 10_000, onOutput: () => {}, ...overrides };
}

/** Options that collect what is streamed; `text()` fails on an empty chunk (an event sent for nothing). */
function streamed(overrides: Partial<RunOptions> = {}) {
  const chunks: string[] = [];
  const options = opts({ onOutput: (chunk) => chunks.push(chunk), ...overrides });
  const text = () => {
    expect(
      chunks.filter((chunk) => !chunk),
      'empty chunks',
    ).toEqual([]);
    return chunks.join('');
  };
  return { options, text };
}

describe('the persistent shell', () => {
  it('starts the system bash, never one a relative PATH entry finds in the workspace', async () => {
    const { cwd } = await session();
    const marker = path.join(cwd, 'fake-bash-ran');
    const fake = `#!/bin/sh\ntouch ${marker}\nexec /bin/bash "$@"\n`;
    const { shell } = await session(
      { 'node_modules/.bin/bash': fake, bash: fake },
      { PATH: `node_modules/.bin::${process.env.PATH ?? '/usr/bin:/bin'}` },
    );
    const { chmod } = await import('node:fs/promises');
    for (const file of ['node_modules/.bin/bash', 'bash']) await chmod(path.join(shell.cwd, file), 0o755);
    expect((await shell.run('echo hi', opts())).output.trim()).toBe('hi');
    expect(await readdir(cwd)).not.toContain('fake-bash-ran');
    expect(await readdir(shell.cwd)).not.toContain('fake-bash-ran');
  });

  it('never honours bash start-up hooks or imported functions, whoever put them in its env', async () => {
    const { cwd } = await session();
    const marker = path.join(cwd, 'hook-ran');
    const { shell } = await session(
      { 'hook.sh': `touch ${marker}\n` },
      {
        BASH_ENV: path.join(cwd, 'hook.sh'),
        ENV: path.join(cwd, 'hook.sh'),
        SHELLOPTS: 'xtrace',
        PS4: `$(touch ${marker})`,
        'BASH_FUNC_echo%%': '() { builtin echo hijacked; }',
        KEPT: 'yes',
      },
    );
    const result = await shell.run('echo "plain $KEPT"', opts());
    expect(result.output.trim()).toBe('plain yes');
    expect(await readdir(cwd)).not.toContain('hook-ran');
  });

  it('starts in the workspace and keeps cd and exports between commands', async () => {
    const { shell, cwd } = await session({ 'sub/file.txt': 'x' });
    expect((await shell.run('pwd', opts())).output.trim()).toBe(cwd);
    await shell.run('cd sub && export GREETING=hello', opts());
    const result = await shell.run('pwd; echo $GREETING; ls', opts());
    expect(result.output.split('\n').filter(Boolean)).toEqual([path.join(cwd, 'sub'), 'hello', 'file.txt']);
    expect(result.cwd).toBe(path.join(cwd, 'sub'));
  });

  it('reports the exit code and combines stdout with stderr', async () => {
    const { shell } = await session();
    const result = await shell.run('echo out; echo err >&2; exit_code() { return 3; }; exit_code', opts());
    expect(result.exitCode).toBe(3);
    expect(result.output).toContain('out');
    expect(result.output).toContain('err');
  });

  it('keeps output without a trailing newline exactly', async () => {
    const { shell } = await session();
    expect((await shell.run("printf 'a b'", opts())).output).toBe('a b');
    expect((await shell.run("printf 'line\\n'", opts())).output).toBe('line\n');
  });

  it('fails a command with a syntax error instead of hanging on it', async () => {
    const { shell } = await session();
    const result = await shell.run('echo "unterminated', opts({ timeoutMs: 5_000 }));
    expect(result.timedOut).toBe(false);
    expect(result.exitCode).not.toBe(0);
    expect((await shell.run('echo still alive', opts())).output.trim()).toBe('still alive');
  });

  it('gives commands an empty stdin so a prompt cannot hang the turn', async () => {
    const { shell } = await session();
    const result = await shell.run('read -r answer; echo "got:$answer"', opts({ timeoutMs: 5_000 }));
    expect(result.output.trim()).toBe('got:');
  });

  it('kills the whole process group on timeout and restarts in the last directory', async () => {
    const { shell, cwd } = await session({ 'sub/.keep': '' });
    await shell.run('cd sub && export LOST=1', opts());
    const pid = shell.pid;
    const result = await shell.run('sleep 30 & sleep 30', opts({ timeoutMs: 300 }));
    expect(result.timedOut).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(groupAlive(pid)).toBe(false);
    const next = await shell.run('pwd; echo "[$LOST]"', opts());
    expect(next.restarted).toBe(true);
    // The timed-out command's own result said the shell ended; the next one need not say it again.
    expect(result.endedShell).toBe(true);
    expect(next.restartExplained).toBe(true);
    expect(next.output.split('\n').filter(Boolean)).toEqual([path.join(cwd, 'sub'), '[]']);
  });

  it('says which command ended the shell: an exit, not the command after it', async () => {
    const { shell } = await session();
    expect((await shell.run('true', opts())).endedShell).toBe(false);
    const exited = await shell.run('exit 2', opts());
    expect(exited).toMatchObject({ exitCode: 2, endedShell: true, restarted: false });
    expect(await shell.run('true', opts())).toMatchObject({
      endedShell: false,
      restarted: true,
      restartExplained: true,
    });
    // A shell that died between commands, unseen by any result, is news to the next command.
    process.kill(-shell.pid!, 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await shell.run('true', opts())).toMatchObject({ restarted: true, restartExplained: false });
  });

  it('stops a running command when the signal aborts, leaving no process behind', async () => {
    const { shell } = await session();
    const controller = new AbortController();
    await shell.run('true', opts());
    const pid = shell.pid;
    const started = Date.now();
    const running = shell.run('sleep 30', opts({ signal: controller.signal }));
    setTimeout(() => controller.abort(), 100);
    const result = await running;
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(result.interrupted).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(groupAlive(pid)).toBe(false);
  });

  it('streams output while the command runs', async () => {
    const { shell } = await session();
    const chunks: string[] = [];
    const big = await shell.run(
      'for i in $(seq 1 3000); do echo "line $i"; done',
      opts({ onOutput: (c) => chunks.push(c) }),
    );
    expect(chunks.join('')).toBe(big.output);
    expect(chunks.length).toBeGreaterThan(1);
  });

  it('streams a short line at once, while the command is still running', async () => {
    const { shell } = await session();
    let seen: (chunk: string) => void = () => {};
    const firstLine = new Promise<string>((resolve) => (seen = resolve));
    let ended = false;
    const running = shell
      .run('echo first; sleep 20; echo second', opts({ timeoutMs: 60_000, onOutput: (c) => seen(c) }))
      .finally(() => (ended = true));
    const chunk = await firstLine;
    // Seen before the command ended: the output after the sleep is not in it.
    expect(chunk).toContain('first');
    expect(chunk).not.toContain('second');
    expect(ended).toBe(false);
    shell.dispose();
    await running;
  });

  it('never streams any part of its own end marker, however the output is cut', () => {
    const needle = '\n__DESKMATE_DONE_x__ ';
    expect(startOfAt('hello', needle)).toBe(0);
    expect(startOfAt('hello\n', needle)).toBe(1);
    expect(startOfAt('hello\n__DESK', needle)).toBe(7);
    expect(startOfAt('hello\n__DESKX', needle)).toBe(0);
    expect(startOfAt('a\n\n', needle)).toBe(1);
  });

  it('restarts after the user runs exit', async () => {
    const { shell } = await session();
    const result = await shell.run('echo bye; exit 4', opts());
    expect(result.exitCode).toBe(4);
    expect(result.output).toContain('bye');
    expect((await shell.run('echo back', opts())).output.trim()).toBe('back');
  });

  it('uses the env it was given, not the process environment', async () => {
    const { shell } = await session({}, { ONLY_HERE: 'yes' });
    const result = await shell.run('echo "[$ONLY_HERE][$HOME_NOT_SET]"', opts());
    expect(result.output.trim()).toBe('[yes][]');
  });

  it('dispose kills the shell', async () => {
    const { shell, cwd } = await session();
    await shell.run('true', opts());
    const pid = shell.pid;
    shell.dispose();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(groupAlive(pid)).toBe(false);
    expect(await readdir(cwd)).toEqual([]);
    await expect(shell.run('true', opts())).rejects.toThrow(/closed/);
  });

  it('keeps a working folder whose name has spaces, across a restart too', async () => {
    const { shell, cwd } = await session({ 'my  folder/x.txt': '' });
    expect((await shell.run("cd 'my  folder'", opts())).cwd).toBe(path.join(cwd, 'my  folder'));
    const ended = await shell.run('exit 0', opts());
    expect(ended).toMatchObject({ endedShell: true, cwd: path.join(cwd, 'my  folder') });
    expect((await shell.run('ls', opts())).output.trim()).toBe('x.txt');
  });

  it('runs commands one at a time, in the order they were given', async () => {
    const { shell, cwd } = await session({ 'sub/.keep': '' });
    const [first, second] = await Promise.all([
      shell.run('sleep 0.1; cd sub', opts()),
      shell.run('pwd', opts()),
    ]);
    expect(first.exitCode).toBe(0);
    expect(second.output.trim()).toBe(path.join(cwd, 'sub'));
  });

  it('tells pagers and colours to stay out of the way, and keeps prompts empty', async () => {
    const { shell } = await session();
    const result = await shell.run('echo "$TERM|$PAGER|$GIT_PAGER|$NO_COLOR|$PS1|$PS2|"', opts());
    expect(result.output).toBe('dumb|cat|cat|1|||\n');
  });

  it('runs nothing once the turn is already stopped', async () => {
    const { shell, cwd } = await session();
    const controller = new AbortController();
    controller.abort();
    const result = await shell.run('touch ran', opts({ signal: controller.signal }));
    expect(result).toMatchObject({ interrupted: true, exitCode: null, output: '' });
    expect(await readdir(cwd)).toEqual([]);
  });

  it('says a shell that died between commands was restarted, once', async () => {
    const { shell } = await session();
    await shell.run('export KEPT=1', opts());
    const pid = shell.pid;
    process.kill(-pid!, 'SIGKILL');
    // The session hears the exit on its own; the next command must not go to the dead bash.
    while (shell.pid !== undefined) await new Promise((resolve) => setTimeout(resolve, 5));
    const next = await shell.run('echo "[$KEPT]"', opts());
    expect(next).toMatchObject({
      output: '[]\n',
      restarted: true,
      restartExplained: false,
      endedShell: false,
    });
    expect(await shell.run('true', opts())).toMatchObject({ restarted: false });
  });

  it('says the restart was already explained when the command before ended the shell', async () => {
    const { shell } = await session();
    expect(await shell.run('exit 3', opts())).toMatchObject({ endedShell: true, exitCode: 3 });
    expect(await shell.run('true', opts())).toMatchObject({ restarted: true, restartExplained: true });
  });
});

describe('the persistent shell, against what a command can do to it', () => {
  it('reports a plain command as neither stopped, timed out, nor ending the shell', async () => {
    const { shell, cwd } = await session();
    expect(await shell.run('echo hi', opts())).toEqual({
      output: 'hi\n',
      exitCode: 0,
      timedOut: false,
      interrupted: false,
      cwd,
      endedShell: false,
      restarted: false,
      restartExplained: false,
    });
    expect(await shell.run('exit 2', opts())).toMatchObject({ interrupted: false, timedOut: false });
  });

  it('keeps indented lines whole, as in a diff or YAML', async () => {
    const { shell } = await session();
    const { options, text } = streamed();
    const result = await shell.run("printf 'a:\\n  b: 1\\n -c\\n'", options);
    expect(result).toMatchObject({ output: 'a:\n  b: 1\n -c\n', exitCode: 0 });
    expect(text()).toBe(result.output);
  });

  it('streams each command to its own listener, never the next command to the one before', async () => {
    const { shell } = await session();
    const first = streamed();
    const second = streamed();
    await shell.run('echo first', first.options);
    await shell.run('echo second', second.options);
    expect(first.text()).toBe('first\n');
    expect(second.text()).toBe('second\n');
  });

  it('streams nothing at all for a command that prints nothing', async () => {
    const { shell } = await session();
    const { options, text } = streamed();
    expect(await shell.run('true', options)).toMatchObject({ output: '', exitCode: 0 });
    expect(text()).toBe('');
  });

  it('streams a lone newline with the text after it, and no empty chunk', async () => {
    const { shell } = await session();
    const { options, text } = streamed();
    const result = await shell.run("printf '\\n'; sleep 0.1; printf 'x\\n'", options);
    expect(result.output).toBe('\nx\n');
    expect(text()).toBe('\nx\n');
  });

  it("leaves no listener on the turn's signal once a command is over", async () => {
    const { shell } = await session();
    const controller = new AbortController();
    await shell.run('true', opts({ signal: controller.signal }));
    await shell.run('exit 1', opts({ signal: controller.signal }));
    await shell.run('sleep 5', opts({ signal: controller.signal, timeoutMs: 100 }));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('says how bash was killed when a command kills its own shell', async () => {
    const { shell } = await session();
    expect(await shell.run('echo before; kill -9 $$', opts())).toMatchObject({
      output: 'before\n',
      exitCode: 137,
      interrupted: false,
      endedShell: true,
    });
    expect(await shell.run('echo back', opts())).toMatchObject({ output: 'back\n', restarted: true });
  });

  it('kills a command that ignores SIGTERM at its timeout, with everything it started', async () => {
    const { shell } = await session();
    await shell.run('true', opts());
    const pid = shell.pid;
    const result = await shell.run("trap '' TERM; sleep 30 & sleep 30", opts({ timeoutMs: 300 }));
    expect(result).toMatchObject({ timedOut: true, interrupted: false, exitCode: null, endedShell: true });
    while (groupAlive(pid)) await new Promise((resolve) => setTimeout(resolve, 10));
  });

  it('never lets the timeout of a command that finished kill a later one', async () => {
    const { shell } = await session();
    expect(await shell.run('true', opts({ timeoutMs: 100 }))).toMatchObject({ timedOut: false });
    const later = await shell.run('sleep 0.5; echo done', opts({ timeoutMs: 10_000 }));
    expect(later).toMatchObject({ output: 'done\n', exitCode: 0, timedOut: false, endedShell: false });
  });

  it('keeps the new shell after a timeout, whenever the killed one is heard to end', async () => {
    const { shell } = await session();
    await shell.run('sleep 30', opts({ timeoutMs: 100 }));
    // Started at once, before the killed bash's exit is heard.
    const [first, second] = await Promise.all([shell.run('echo $$', opts()), shell.run('echo $$', opts())]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const third = await shell.run('echo $$', opts());
    expect(first.restarted).toBe(true);
    expect(second).toMatchObject({ restarted: false, output: first.output });
    expect(third).toMatchObject({ restarted: false, output: first.output });
  });

  it('shows the trace of a command under set -x, and none of its own lines, and keeps set -x on', async () => {
    const { shell } = await session();
    await shell.run('set -x', opts());
    const { options, text } = streamed();
    const traced = await shell.run('echo hi', options);
    expect(traced.output).toBe("+ eval 'echo hi'\n++ echo hi\nhi\n");
    expect(text()).toBe(traced.output);
    await shell.run('set +x', opts());
    expect((await shell.run('echo plain', opts())).output).toBe('plain\n');
  });

  it('starts again in the workspace when the folder it was in has been removed', async () => {
    const { shell, cwd } = await session({ 'sub/x.txt': '' });
    await shell.run('cd sub', opts());
    expect(await shell.run('rm -r "$PWD"; exit', opts())).toMatchObject({ endedShell: true });
    expect(await shell.run('pwd', opts())).toMatchObject({ output: `${cwd}\n`, exitCode: 0, cwd });
  });

  it('fails a command at once while the workspace is gone, and works again once it is back', async () => {
    const { shell, cwd } = await session();
    await rm(cwd, { recursive: true });
    const failed = await shell.run('echo hi', opts({ timeoutMs: 5_000 }));
    expect(failed).toMatchObject({ output: '', timedOut: false, endedShell: true });
    expect(failed.exitCode).not.toBe(0);
    await mkdir(cwd);
    expect(await shell.run('echo back', opts({ timeoutMs: 5_000 }))).toMatchObject({
      output: 'back\n',
      exitCode: 0,
      timedOut: false,
    });
  });

  it('reads its status line whole when it comes in two reads', async () => {
    const { shell, cwd } = await session({ 'sub/.keep': '' });
    await shell.run('true', opts());
    // Output that, with the end line and the exit code, fills one 64 KiB read exactly: the rest of
    // the status line (the folder) comes in the next read. The test holds the event loop while
    // bash writes it all, so that the first read takes as much as it can.
    const filler = 65_536 - '\n__DESKMATE_DONE_00000000-0000-0000-0000-000000000000__ 0'.length;
    const running = shell.run(`cd sub && head -c ${filler} /dev/zero | tr '\\0' x`, opts());
    await new Promise((resolve) => setImmediate(resolve));
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
    const result = await running;
    expect(result).toMatchObject({ exitCode: 0, cwd: path.join(cwd, 'sub') });
    expect(result.output).toBe('x'.repeat(filler));
    expect((await shell.run('echo next', opts())).output).toBe('next\n');
  });

  it('keeps a character whole when a read ends in the middle of it', async () => {
    const { shell } = await session();
    await shell.run('true', opts());
    // The two bytes of é straddle the end of the first 64 KiB read (see above).
    const running = shell.run("head -c 65535 /dev/zero | tr '\\0' x; printf 'é\\n'", opts());
    await new Promise((resolve) => setImmediate(resolve));
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
    expect((await running).output).toBe(`${'x'.repeat(65_535)}é\n`);
  });

  it('keeps the start and the end of an output longer than it keeps, and streams all of it', async () => {
    const { shell } = await session({}, {}, 500);
    const { options, text } = streamed();
    const result = await shell.run('seq 1 3000', options);
    const full = text();
    expect(full.split('\n')).toHaveLength(3001);
    const cut = /^([^]*)\n\[… ([\d,]+) characters of output not kept …\]\n([^]*)$/.exec(result.output);
    expect(cut, result.output.slice(0, 200)).not.toBeNull();
    const [, head, dropped, tail] = cut!;
    expect(head).toBe(full.slice(0, 500));
    expect(full.endsWith(tail!)).toBe(true);
    expect(tail!.length).toBeGreaterThanOrEqual(500);
    expect(tail!.length).toBeLessThanOrEqual(1_000);
    expect(Number(dropped!.replace(/,/g, ''))).toBe(full.length - 500 - tail!.length);
    expect(dropped).toMatch(/^\d{1,2},\d{3}$/);
  });

  it('keeps an output of up to three times the kept ends whole, and cuts one character more', async () => {
    const { shell } = await session({}, {}, 5);
    expect((await shell.run("printf '0123456789abcde'", opts())).output).toBe('0123456789abcde');
    expect((await shell.run("printf '0123456789abcdef'", opts())).output).toBe(
      '01234\n[… 6 characters of output not kept …]\nbcdef',
    );
  });

  it('finishes a command that prints 50 MB in its own time, not at its timeout', async () => {
    const { shell } = await session();
    let streamedLength = 0;
    const result = await shell.run(
      "head -c 50000000 /dev/zero | tr '\\0' x",
      opts({ timeoutMs: 15_000, onOutput: (chunk) => (streamedLength += chunk.length) }),
    );
    expect(result).toMatchObject({ timedOut: false, exitCode: 0 });
    expect(streamedLength).toBe(50_000_000);
  });
});

describe('bashOf', () => {
  it('takes the first executable bash file on an absolute PATH entry, else /bin/bash', async () => {
    const dir = await tempDir();
    await mkdir(path.join(dir, 'not-exec'));
    await writeFile(path.join(dir, 'not-exec', 'bash'), '#!/bin/sh\n');
    await mkdir(path.join(dir, 'a-folder', 'bash'), { recursive: true });
    await mkdir(path.join(dir, 'good'));
    await writeFile(path.join(dir, 'good', 'bash'), '#!/bin/sh\n');
    await chmod(path.join(dir, 'good', 'bash'), 0o755);
    const entries = ['not-exec', 'a-folder', 'good'].map((name) => path.join(dir, name));
    expect(bashOf(entries.join(path.delimiter))).toBe(path.join(dir, 'good', 'bash'));
    expect(bashOf(['relative', path.join(dir, 'not-exec')].join(path.delimiter))).toBe('/bin/bash');
    expect(bashOf(undefined)).toBe('/bin/bash');
    // Relative to the engine's own folder, a relative entry would name a bash the child then looks
    // for from the workspace: never taken.
    expect(bashOf(path.relative(process.cwd(), path.join(dir, 'good')))).toBe('/bin/bash');
  });
});
