import { spawn } from 'node:child_process';
import type { ContextCommandRun } from '../../../shared/context-command';
import { bashOf } from '../tools/shell-session';

/** gptme waits a minute for a context command; so do we, or less when commands are bounded tighter. */
export const CONTEXT_CMD_TIMEOUT_MS = 60_000;
/** About 25,000 tokens, as gptme allows: enough for a repository map, not a flood. */
export const CONTEXT_CMD_MAX_CHARS = 100_000;
// 4 bytes a character: output cut at this many bytes still decodes to more than the cap (UTF-8 needs
// at most 3 bytes for each UTF-16 unit), so a stopped flood is always said to be cut.
const MAX_STDOUT_BYTES = 4 * CONTEXT_CMD_MAX_CHARS;
const MAX_STDERR_CHARS = 2_000;

export type ContextCommandResult = ContextCommandRun;

export interface ContextCommandOptions {
  cwd: string;
  /** The tool environment: never the host's own, never a provider key. */
  env: Readonly<Record<string, string | undefined>>;
  timeoutMs: number;
  signal?: AbortSignal;
}

/**
 * Runs a project's `context_cmd` (trusted workspaces only: the caller's check) with bash in its own
 * process group, in the workspace, bounded in time and output. A command that outlives its time,
 * floods its output or is aborted is killed with everything it started, and what it printed so far
 * is kept. Never rejects: a command that cannot start is reported in `stderr`.
 */
export function runContextCommand(
  command: string,
  options: ContextCommandOptions,
): Promise<ContextCommandResult> {
  const ranAt = new Date().toISOString();
  return new Promise((resolve) => {
    const stdout: Buffer[] = [];
    let stdoutBytes = 0;
    let stderr = '';
    let timedOut = false;
    // Given up before it began: nothing is started at all.
    if (options.signal?.aborted) {
      resolve({ command, ranAt, output: '', exitCode: null, stderr: '', cut: false, timedOut });
      return;
    }
    const child = spawn(bashOf(options.env.PATH), ['--noprofile', '--norc', '-c', command], {
      cwd: options.cwd,
      env: { ...options.env },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const killGroup = () => {
      try {
        // Without a pid nothing started (a kill without the check would only throw into the catch).
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    // Once stopped, what was printed is the result: a grandchild that left the group and holds the
    // pipe open must not hold the turn. Called again by the 'close' that follows a stop, it changes
    // nothing: the promise is settled and every step here may be repeated.
    const finish = (exitCode: number | null) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      child.stdout.destroy();
      child.stderr.destroy();
      const text = Buffer.concat(stdout).toString('utf8');
      const long = text.length > CONTEXT_CMD_MAX_CHARS;
      resolve({
        command,
        ranAt,
        output: long ? text.slice(0, CONTEXT_CMD_MAX_CHARS) : text,
        exitCode,
        stderr: stderr.slice(0, MAX_STDERR_CHARS),
        cut: long,
        timedOut,
      });
    };
    const stop = () => {
      killGroup();
      finish(null);
    };
    const onAbort = () => stop();
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, options.timeoutMs);
    // Removed by finish, whichever way the run ends.
    options.signal?.addEventListener('abort', onAbort);
    child.stdout.on('data', (chunk: Buffer) => {
      const room = MAX_STDOUT_BYTES - stdoutBytes;
      stdout.push(chunk.subarray(0, room));
      stdoutBytes += Math.min(chunk.length, room);
      if (chunk.length > room) stop();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      // Bounds memory against a flood on stderr; what is returned is cut again below.
      // Stryker disable next-line ConditionalExpression,EqualityOperator: only memory use tells these apart
      if (stderr.length < MAX_STDERR_CHARS) stderr += chunk.toString('utf8');
    });
    child.on('error', (error) => {
      stderr += error.message;
      finish(null);
    });
    child.on('close', (code) => finish(code));
  });
}

/** The command's output as the system prompt shows it, with every cut and failure said. */
export function formatContextOutput(result: ContextCommandResult): string {
  const notes = [
    result.cut ? `[… cut at ${CONTEXT_CMD_MAX_CHARS.toLocaleString('en')} characters]` : '',
    result.timedOut ? '[stopped: it ran out of time]' : '',
    result.exitCode !== null && result.exitCode !== 0 ? `[exit code ${result.exitCode}]` : '',
    result.stderr.trim() && result.exitCode !== 0 ? `stderr:\n${result.stderr.trim()}` : '',
  ].filter(Boolean);
  return [
    `Output of the project's context command (${result.command}), run at ${result.ranAt}:`,
    `\`\`\`\n${result.output.trimEnd()}\n\`\`\``,
    ...notes,
  ].join('\n');
}
