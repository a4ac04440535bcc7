import { realpath } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { groupAlive, makeWorkspace } from '../../../../test/support/engine';
import type { RunOptions } from '../tools/shell-session';
import { WorkspaceShell } from './workspace-shell';

const shells: WorkspaceShell[] = [];
afterEach(() => shells.splice(0).forEach((s) => s.dispose()));

const PATH = process.env.PATH ?? '/usr/bin:/bin';
const options: RunOptions = { signal: new AbortController().signal, timeoutMs: 10_000, onOutput: () => {} };

async function setup() {
  const shell = new WorkspaceShell();
  shells.push(shell);
  return { shell, cwd: await realpath(await makeWorkspace()) };
}

/** Waits (boundedly) until the process group is gone: SIGKILL is sent at once, reaped a moment later. */
async function gone(pid: number | undefined): Promise<boolean> {
  for (let i = 0; i < 100 && groupAlive(pid); i++) await new Promise((r) => setTimeout(r, 20));
  return !groupAlive(pid);
}

describe('a workspace shell', () => {
  it('is started on first use, in the folder, and kept between commands', async () => {
    const { shell, cwd } = await setup();
    expect(shell.pid).toBeUndefined();
    const bash = shell.get(cwd, { PATH, ANIMAL: 'otter' });
    expect((await bash.run('cd /; echo "$ANIMAL"', options)).output).toBe('otter\n');
    const pid = shell.pid;
    expect(groupAlive(pid)).toBe(true);
    const again = shell.get(cwd, { PATH, ANIMAL: 'otter' });
    expect(again).toBe(bash);
    expect((await again.run('pwd', options)).output).toBe('/\n');
    expect(shell.pid).toBe(pid);
  });

  it('starts anew, the old one killed, when asked with another environment', async () => {
    const { shell, cwd } = await setup();
    await shell.get(cwd, { PATH, ANIMAL: 'otter' }).run('cd /', options);
    const old = shell.pid;
    const bash = shell.get(cwd, { PATH, ANIMAL: 'heron' });
    expect(await gone(old)).toBe(true);
    const { output } = await bash.run('echo "$ANIMAL"; pwd', options);
    expect(output).toBe(`heron\n${cwd}\n`);
    expect(shell.pid).not.toBe(old);
  });

  it('is killed on reset and started again in the folder asked for next', async () => {
    const { shell, cwd } = await setup();
    await shell.get(cwd, { PATH }).run('true', options);
    const old = shell.pid;
    shell.reset();
    expect(shell.pid).toBeUndefined();
    expect(await gone(old)).toBe(true);
    const other = await realpath(await makeWorkspace());
    expect((await shell.get(other, { PATH }).run('pwd', options)).output).toBe(`${other}\n`);
  });

  it('once disposed, is killed and starts no other process', async () => {
    const { shell, cwd } = await setup();
    await shell.get(cwd, { PATH }).run('true', options);
    const old = shell.pid;
    shell.dispose();
    expect(await gone(old)).toBe(true);
    expect(() => shell.get(cwd, { PATH })).toThrow(
      expect.objectContaining({ name: 'Disposed', message: 'The window was closed' }),
    );
    expect(shell.pid).toBeUndefined();
  });
});
