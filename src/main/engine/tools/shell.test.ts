import { readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeWorkspace } from '../../../../test/support/engine';
import { toolContext } from '../../../../test/support/tool-context';
import { BashSession } from './shell-session';
import { shellTool } from './shell';

const shells: BashSession[] = [];
afterEach(() => shells.splice(0).forEach((s) => s.dispose()));

async function context(timeoutMs = 10_000) {
  const workspace = await realpath(await makeWorkspace());
  const env = { PATH: process.env.PATH ?? '' };
  let shell: BashSession | undefined;
  const ctx = toolContext(workspace, {
    env,
    timeoutMs,
    // One persistent shell per context, as the chat session gives it.
    shell: () => {
      if (!shell) shells.push((shell = new BashSession({ cwd: workspace, env })));
      return shell;
    },
  });
  return { ctx, output: ctx.output, workspace };
}

describe('shell tool', () => {
  it('reports output and the exit code', async () => {
    const { ctx } = await context();
    expect(await shellTool.execute({ command: 'echo hi; false' }, ctx)).toEqual({
      output: 'hi\n[exit code 1]',
      exitCode: 1,
    });
  });

  it('cuts a long output to head and tail and keeps the full text in a file', async () => {
    const { ctx, output } = await context();
    const ran = await shellTool.execute({ command: 'for i in $(seq 1 20000); do echo "row $i"; done' }, ctx);
    const result = typeof ran === 'string' ? ran : ran.output;
    expect(result).toMatch(/^row 1\nrow 2\n/);
    expect(result).toMatch(/row 20000\n\[exit code 0\]$/);
    const saved = /the full output is in (\S+)/.exec(result)?.[1];
    expect(saved).toBeDefined();
    // The card offers it by name: the file under the conversation's artifacts.
    expect(ran).toMatchObject({ exitCode: 0, artifact: path.basename(saved!) });
    expect(path.basename(saved!)).toMatch(/^shell-[0-9a-f]{8}\.txt$/);
    const full = await readFile(saved!, 'utf8');
    expect(full.split('\n').filter(Boolean)).toHaveLength(20000);
    expect(result.length).toBeLessThan(13_000);
    expect(output.join('')).toBe(full);
  });

  it('fails with ShellTimeout when the command runs too long', async () => {
    const { ctx, workspace } = await context(600);
    await expect(shellTool.execute({ command: 'echo started; sleep 10' }, ctx)).rejects.toMatchObject({
      name: 'ShellTimeout',
      message:
        'started\n\n[killed after 1 s, and the shell with it; the next command starts a new shell in ' +
        `${workspace}, without the exported variables]`,
    });
  });

  it('says the shell ended with the command that ended it, not with the next one', async () => {
    const { ctx, workspace } = await context();
    await shellTool.execute({ command: 'export KEPT=1' }, ctx);
    const exited = await shellTool.execute({ command: 'echo bye; exit 2' }, ctx);
    expect(exited).toEqual({
      output: `bye\n[this command exited the shell; the next command starts a new shell in ${workspace}, without the exported variables]\n[exit code 2]`,
      exitCode: 2,
    });
    // The next command is about itself only.
    expect(await shellTool.execute({ command: 'echo "[$KEPT]"' }, ctx)).toEqual({
      output: '[]\n[exit code 0]',
      exitCode: 0,
    });
  });

  it('gives a command that kills its own shell the exit code bash would, not "null"', async () => {
    const { ctx, workspace } = await context();
    expect(await shellTool.execute({ command: 'echo before; kill -9 $$' }, ctx)).toEqual({
      output: `before\n[this command exited the shell; the next command starts a new shell in ${workspace}, without the exported variables]\n[exit code 137]`,
      exitCode: 137,
    });
  });

  it('says a stop ended the shell on the stopped command, and the next command says nothing of it', async () => {
    const { ctx, workspace } = await context();
    const controller = new AbortController();
    const stopping = shellTool.execute({ command: 'sleep 30' }, { ...ctx, signal: controller.signal });
    setTimeout(() => controller.abort(), 200);
    expect(await stopping).toEqual({
      output: `[stopping it ended the shell; the next command starts a new shell in ${workspace}, without the exported variables]\n[interrupted by the user]`,
      stopped: true,
    });
    expect(await shellTool.execute({ command: 'echo next' }, ctx)).toEqual({
      output: 'next\n[exit code 0]',
      exitCode: 0,
    });
  });

  it('says so when the shell had died since the last command, which nothing had reported', async () => {
    const { ctx } = await context();
    await shellTool.execute({ command: 'export KEPT=1' }, ctx);
    const shell = ctx.shell();
    process.kill(-shell.pid!, 'SIGKILL');
    while (shell.pid !== undefined) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await shellTool.execute({ command: 'echo "[$KEPT]"' }, ctx)).toEqual({
      output:
        '[]\n[the shell had ended since the previous command; this command ran in a new shell, without the exported variables]\n[exit code 0]',
      exitCode: 0,
    });
  });

  it('answers a silent command with its exit code alone, and keeps a short output whole', async () => {
    const { ctx, output } = await context();
    expect(await shellTool.execute({ command: 'true' }, ctx)).toEqual({
      output: '[exit code 0]',
      exitCode: 0,
    });
    expect(await shellTool.execute({ command: 'printf "a\\n\\n"' }, ctx)).toEqual({
      output: 'a\n[exit code 0]',
      exitCode: 0,
    });
    expect(output.join('')).toBe('a\n\n');
  });

  it('tells the model the shell persists, stdin is empty, and long outputs are cut', () => {
    expect(shellTool.description).toMatch(/^Run a bash command in the workspace\. /);
    expect(shellTool.description).toMatch(
      /The shell persists between calls: `cd` and exported variables carry over\. /,
    );
    expect(shellTool.description).toMatch(
      /stdin is empty \(no interactive programs\).*the exit code is reported\. /,
    );
    expect(shellTool.description).toMatch(/Long outputs are cut to their start and end\.$/);
  });

  it('takes one command of at most 100,000 characters, and nothing else', () => {
    expect(shellTool.schema.safeParse({ command: 'x'.repeat(100_000) }).success).toBe(true);
    expect(shellTool.schema.safeParse({ command: 'x'.repeat(100_001) }).success).toBe(false);
    expect(shellTool.schema.safeParse({ command: '' }).success).toBe(false);
    expect(shellTool.schema.safeParse({ command: 'ls', cwd: '/' }).success).toBe(false);
    expect(shellTool.needsApproval).toBe(true);
  });
});
