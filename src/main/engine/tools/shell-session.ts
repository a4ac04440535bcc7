import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { accessSync, constants, statSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { withoutShellHooks } from '../config/tool-environment';
import type { Disposable } from '../base/disposable';

export interface ShellResult {
  /** All of it, or its start and end around a note when it was longer than the session keeps. */
  output: string;
  /** null when the command was killed (timeout, interrupt); 128 + the signal when bash was killed by one. */
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
  // Stryker disable next-line StringLiteral: any relative text is skipped below, as '' is
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

function isFolder(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    // Gone or unreadable: not a folder to start in.
  }
  return false;
}

/**
 * How much of each end of a command's output is kept for its result: a command that prints
 * without end (`yes`) would otherwise grow one string past what V8 allows, and the RangeError,
 * thrown in a stream handler, would end the engine. An output up to three times this is kept
 * whole; of a longer one, the first this many characters and the last this many to twice as many
 * (the middle was streamed, not kept).
 */
const KEPT_ENDS = 8_000_000;

/** Quotes a string for bash inside single quotes. */
function singleQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

type Bash = ChildProcessByStdio<Writable, Readable, null>;

/**
 * One persistent bash per conversation, in its own process group: `cd` and exports persist
 * between commands; a timeout or an interrupt kills the whole group (the command and anything it
 * started), and the next command starts a fresh bash in the last known directory.
 */
export class BashSession implements ShellSession {
  readonly #env: Readonly<Record<string, string>>;
  readonly #workspace: string;
  readonly #keptEnds: number;
  #cwd: string;
  #process: Bash | undefined;
  #hadProcess = false;
  /** The last command's result already said the shell ended (`endedShell`). */
  // Stryker disable next-line BooleanLiteral: read only once a command ran (#hadProcess), and every command sets it when it ends
  #endReported = false;
  #queue: Promise<unknown> = Promise.resolve();
  #disposed = false;

  constructor(options: { cwd: string; env: Readonly<Record<string, string>>; keptEnds?: number }) {
    this.#cwd = this.#workspace = options.cwd;
    this.#env = options.env;
    this.#keptEnds = options.keptEnds ?? KEPT_ENDS;
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

  #start(): Bash {
    // The folder the last shell was in may be gone (a command removed it): starting there would
    // fail every command from now on, so the new shell starts in the workspace instead.
    if (!isFolder(this.#cwd)) this.#cwd = this.#workspace;
    // Stryker disable next-line ArrayDeclaration: a bash that is neither a login shell nor interactive (commands come from a pipe) reads no start-up file anyway; the flags say so should that change
    const child = spawn(bashOf(this.#env.PATH), ['--noprofile', '--norc'], {
      cwd: this.#cwd,
      // Whatever layer set them, bash's own hooks (BASH_ENV, PROMPT_COMMAND, BASH_FUNC_*, ...) are dropped.
      env: {
        ...withoutShellHooks(this.#env),
        TERM: 'dumb',
        PAGER: 'cat',
        GIT_PAGER: 'cat',
        NO_COLOR: '1',
      },
      // Its own process group, so a kill reaches every process a command started.
      detached: true,
      // bash's own stderr joins its stdout (below): one stream, in the order things were written.
      // Stryker disable next-line ArrayDeclaration: after exec 2>&1 nothing writes to bash's first stderr, so an unread pipe there is as good as none
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    // Stryker disable next-line StringLiteral: Node's decoder takes '' for utf8
    child.stdout.setEncoding('utf8');
    child.stdin.write('exec 2>&1\n');
    // An exit (or a failed start) of a bash this session has already replaced changes nothing.
    const gone = () => {
      if (this.#process === child) this.#process = undefined;
    };
    child.on('exit', gone);
    child.on('error', gone);
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
    const child = this.#process ?? this.#start();
    this.#hadProcess = true;
    const marker = `__DESKMATE_DONE_${randomUUID()}__`;
    const endLine = `\n${marker} `;

    return new Promise<ShellResult>((resolve) => {
      /** Read but not passed on yet: an end that may be the start of the end line, or that line. */
      let pending = '';
      /** The output kept for the result (see KEPT_ENDS): its start, and the rest or its end. */
      let head = '';
      let tail = '';
      let dropped = 0;
      let timedOut = false;
      const ends = this.#keptEnds;

      const pass = (text: string) => {
        options.onOutput(text);
        const room = Math.max(0, ends - head.length);
        head += text.slice(0, room);
        tail += text.slice(room);
        // Cut only once the tail has doubled: each character is copied a bounded number of times.
        if (tail.length > 2 * ends) {
          dropped += tail.length - ends;
          tail = tail.slice(-ends);
        }
      };

      const finish = (exitCode: number | null, interrupted: boolean) => {
        clearTimeout(timer);
        options.signal.removeEventListener('abort', onAbort);
        child.stdout.off('data', onData);
        child.off('close', onExit);
        if (pending) pass(pending);
        const endedShell = this.#process !== child;
        this.#endReported = endedShell;
        resolve({
          output: dropped
            ? `${head}\n[… ${dropped.toLocaleString('en-US')} characters of output not kept …]\n${tail}`
            : head + tail,
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
        // Only what is pending is searched, never the whole output: a command that prints a lot
        // costs time in proportion to its output.
        pending += text;
        const end = pending.indexOf(endLine);
        if (end >= 0) {
          const newline = pending.indexOf('\n', end + endLine.length);
          if (newline === -1) return; // the status line is not complete yet
          const [code, ...cwd] = pending.slice(end + endLine.length, newline).split(' ');
          this.#cwd = cwd.join(' ') || this.#cwd;
          pending = pending.slice(0, end);
          finish(Number(code), false);
          return;
        }
        // Stream everything but an end that could be the start of the end line: a command that
        // prints a line now and then is seen doing so, not only once it ends.
        const held = startOfAt(pending, endLine);
        if (pending.length > held) pass(pending.slice(0, pending.length - held));
        pending = pending.slice(pending.length - held);
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
        // The session heard 'exit' (or 'error') before this: this bash is gone.
        finish(signal ? 128 + osConstants.signals[signal] : code, false);
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
      child.once('close', onExit);
      if (options.signal.aborted) {
        onAbort();
        return;
      }
      options.signal.addEventListener('abort', onAbort);
      // eval parses the whole command first, so a syntax error fails the command instead of
      // leaving bash waiting for the rest of an unterminated quote. The status line is written
      // with xtrace off (and that switch hidden), so `set -x` never shows Deskmate's own lines.
      const status = `{ __deskmate_status=$? __deskmate_flags=$-; set +x; } 2>/dev/null; printf '\\n%s %s %s\\n' '${marker}' "$__deskmate_status" "$PWD"; case $__deskmate_flags in *x*) set -x ;; esac`;
      child.stdin.write(`eval ${singleQuote(command)} < /dev/null 2>&1; ${status}\n`);
    });
  }
}

/** How many characters at the end of `text` are a start of `needle` (held back until known). */
export function startOfAt(text: string, needle: string): number {
  // The whole needle at the end is found by indexOf first; only a shorter start of it is held back.
  // Stryker disable next-line ArithmeticOperator: a longer tail (the whole needle) never ends what this is given
  const longest = needle.length - 1;
  // Stryker disable next-line MethodExpression: an earlier start finds nothing more, a longer tail is never a start of the needle
  for (let i = Math.max(0, text.length - longest); i < text.length; i++) {
    if (needle.startsWith(text.slice(i))) return text.length - i;
  }
  return 0;
}
