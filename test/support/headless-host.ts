// The headless host (`npm run serve`'s entry point) as a real child process on 127.0.0.1, for the
// browser specs and the bench alike: one copy of how it is started and how its ready line is read.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Host {
  /** The URL the host printed, token included. */
  url: string;
  origin: string;
  token: string;
  dataDir: string;
  process: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

const READY = /(http:\/\/127\.0\.0\.1:\d+)\/\?token=(\S+)/;
// Whatever folder the caller runs from (the bench may be started from anywhere).
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Starts what `npm run serve` runs, the built out/main/serve.js with plain node (run `npm run build`
 * first), as a real child process, and waits for its ready line. Its data folder is a fresh temp folder unless
 * `options.dataDir` names one; `stop` sends SIGTERM (the host disposes every context and its
 * shell), then SIGKILL after 3 s.
 */
export async function startHost(
  env: Record<string, string> = {},
  args: string[] = [],
  options: { dataDir?: string } = {},
): Promise<Host> {
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(tmpdir(), 'deskmate-web-')));
  const child = spawn(
    process.execPath,
    ['out/main/serve.js', '--port', '0', '--data-dir', dataDir, ...args],
    {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const ready = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`host did not start:\n${output}`)), 30_000);
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
      const match = READY.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`host exited with ${code}:\n${output}`));
    });
  });
  return {
    url: `${ready[1]}/?token=${ready[2]}`,
    origin: ready[1]!,
    token: ready[2]!,
    dataDir,
    process: child,
    output: () => output,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3_000).unref();
      }),
  };
}
