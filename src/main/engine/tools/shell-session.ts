import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { withoutShellHooks } from '../config/tool-environment';
import type { Disposable } from '../context/disposable';

export interface ShellResult {
  output: string;
  /** null when the command was killed (timeout, interrupt). */
  exitCode: number | null;
  timedOut: boolean;
  interrupted: boolean;
  /** The shell's working directory after the command. */
  cwd: string;
  /**
   * This command ended the shell (it ran `exit`, or was killed by a timeout or a stop): the next
   * command starts a fresh bash in `cwd`, without the exported variables. Said with this command,
   * where it happened, so the next one is not blamed for it.
   */
  endedShell: boolean;
  /** Set when the shell had died and this command ran in a fresh one (exports are gone). */
  restarted: boolean;
  /** The previous command's result already said so (its `endedShell`): nothing to add here. */
  restartExplained: boolean;
}

export interface RunOptions {
  signal: AbortSignal;
  timeoutMs: number;
  onOutput(chunk: string): void;
}

export interface ShellSession extends Disposable {
  run(command: string, options: RunOptions): Promise<ShellResult>;
  /** The process group id of the running bash, if any (for tests and leak checks). */
  readonly pid: number | undefined;
}

/**
 * The bash to start, by absolute path. `spawn('bash')` would search PATH from the child's working
 * directory, the workspace: a relative entry (`node_modules/.bin`, an empty one) would then run a
 * `bash` the repository put there. Only absolute entries are searched.
 */
export function bashOf(searchPath: string | undefined): string {
  for (const dir of (searchPath ?? '').split(path.delimiter)) {
    if (!path.isAbsolute(dir)) continue;
    const candidate = path.join(dir, 'bash');
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return '/bin/bash';
}

/** Quotes a string for bash inside single quotes. */
function singleQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * One persistent bash per conversation, in its own process group: `cd` and exports persist
 * between commands; a timeout or an interrupt kills the whole group (the command and anything it
 * started), and the next command starts a fresh bash in the last known directory.
 */
export class BashSession implements ShellSession {
  readonly #env: Readonly<Record<string, string>>;
  #cwd: string;
  #process: ChildProcessWithoutNullStreams | undefined;
  #hadProcess = false;
  /** The last command's result already said the shell ended (`endedShell`). */
  #endReported = false;
  #queue: Promise<unknown> = Promise.resolve();
  #disposed = false;

  constructor(options: { cwd: string; env: Readonly<Record<string, string>> }) {
    this.#cwd = options.cwd;
    this.#env = options.env;
  }

  get pid(): number | undefined {
    return this.#process?.pid;
  }

  get cwd(): string {
    return this.#cwd;
  }

  run(command: string, options: RunOptions): Promise<ShellResult> {
    // One command at a time: the shell's state (cwd, env) is sequential by nature.
    const next = this.#queue.then(() => this.#run(command, options));
    this.#queue = next.catch(() => undefined);
    return next;
  }

  dispose(): void {
    this.#disposed = true;
    this.#kill();
  }

  #start(): ChildProcessWithoutNullStreams {
    const child = spawn(bashOf(this.#env.PATH), ['--noprofile', '--norc'], {
      cwd: this.#cwd,
      // Whatever layer set them, bash's own hooks (BASH_ENV, PROMPT_COMMAND, BASH_FUNC_*, ...) are dropped.
      env: {
        ...withoutShellHooks(this.#env),
        TERM: 'dumb',
        PAGER: 'cat',
        GIT_PAGER: 'cat',
        NO_COLOR: '1',
        PS1: '',
        PS2: '',
      },
      // Its own process group, so a kill reaches every process a command started.
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.on('exit', () => {
      if (this.#process === child) this.#process = undefined;
    });
    child.on('error', () => {
      if (this.#process === child) this.#process = undefined;
    });
    this.#process = child;
    return child;
  }

  #kill(): void {
    const child = this.#process;
    this.#process = undefined;
    if (!child?.pid) return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }

  #run(command: string, options: RunOptions): Promise<ShellResult> {
    if (this.#disposed) return Promise.reject(new Error('The shell was closed'));
    const restarted = this.#hadProcess && !this.#process;
    const restartExplained = restarted && this.#endReported;
    this.#endReported = false;
    const child = this.#process ?? this.#start();
    this.#hadProcess = true;
    const marker = `__DESKMATE_DONE_${randomUUID()}__`;
    const endLine = `\n${marker} `;

    return new Promise<ShellResult>((resolve) => {
      let buffer = '';
      let emitted = 0;
      let settled = false;
      let timedOut = false;

      const finish = (exitCode: number | null, interrupted: boolean) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        options.signal.removeEventListener('abort', onAbort);
        child.stdout.off('data', onData);
        child.stderr.off('data', onStderr);
        child.off('close', onExit);
        const output = buffer;
        if (output.length > emitted) options.onOutput(output.slice(emitted));
        const endedShell = this.#process !== child;
        this.#endReported = endedShell;
        resolve({
          output,
          exitCode,
          timedOut,
          interrupted,
          cwd: this.#cwd,
          endedShell,
          restarted,
          restartExplained,
        });
      };

      const onData = (text: string) => {
        buffer += text;
        const end = buffer.indexOf(endLine);
        if (end >= 0) {
          const tail = buffer.slice(end + marker.length + 2);
          const newline = tail.indexOf('\n');
          if (newline < 0) return; // the status line is not complete yet
          const [code, ...cwd] = tail.slice(0, newline).split(' ');
          this.#cwd = cwd.join(' ') || this.#cwd;
          buffer = buffer.slice(0, end);
          finish(Number(code), false);
          return;
        }
        // Stream everything but an end that could be the start of the marker line: a command that
        // prints a line now and then is seen doing so, not only once it ends.
        const safe = buffer.length - startOfAt(buffer, endLine);
        if (safe > emitted) {
          options.onOutput(buffer.slice(emitted, safe));
          emitted = safe;
        }
      };
      const onStderr = (text: string) => onData(text);
      const onExit = (code: number | null) => {
        // 'close' can come before this session heard 'exit'; either way this bash is gone.
        if (this.#process === child) this.#process = undefined;
        finish(code, false);
      };
      const onAbort = () => {
        this.#kill();
        finish(null, true);
      };
      const timer = setTimeout(() => {
        timedOut = true;
        this.#kill();
        finish(null, false);
      }, options.timeoutMs);

      child.stdout.on('data', onData);
      child.stderr.on('data', onStderr);
      child.once('close', onExit);
      if (options.signal.aborted) {
        onAbort();
        return;
      }
      options.signal.addEventListener('abort', onAbort, { once: true });
      // eval parses the whole command first, so a syntax error fails the command instead of
      // leaving bash waiting for the rest of an unterminated quote.
      child.stdin.write(
        `eval ${singleQuote(command)} < /dev/null 2>&1; printf '\\n%s %s %s\\n' '${marker}' "$?" "$PWD"\n`,
      );
    });
  }
}

/** How many characters at the end of `text` are a start of `needle` (held back until known). */
export function startOfAt(text: string, needle: string): number {
  for (let i = Math.max(0, text.length - needle.length + 1); i < text.length; i++) {
    if (text.charCodeAt(i) === needle.charCodeAt(0) && needle.startsWith(text.slice(i)))
      return text.length - i;
  }
  return 0;
}
