import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

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

/**
 * Starts what `npm run serve` runs, the built out/main/serve.js with plain node (the e2e tests run
 * after `npm run build`), as a real child process and waits for its ready line.
 */
export async function startHost(env: Record<string, string> = {}, args: string[] = []): Promise<Host> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'deskmate-web-'));
  const child = spawn(
    process.execPath,
    ['out/main/serve.js', '--port', '0', '--data-dir', dataDir, ...args],
    {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const ready = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`host did not start:\n${output}`)), 20_000);
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
      const match = READY.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    });
    child.once('exit', (code) => reject(new Error(`host exited with ${code}:\n${output}`)));
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
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3_000).unref();
      }),
  };
}
