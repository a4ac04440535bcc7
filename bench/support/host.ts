import { spawn } from 'node:child_process';
import { REPO_ROOT } from './paths';
import type { Scope } from './scope';

const READY = /(http:\/\/127\.0\.0\.1:\d+)\/\?token=(\S+)/;

/**
 * The headless host (`npm run serve`'s entry point) as a child process on 127.0.0.1 with a data dir
 * of the scope's; stopped with the scope (SIGTERM makes it dispose every context and its shell).
 */
export async function startHost(scope: Scope, env: Record<string, string>): Promise<{ url: string }> {
  const dataDir = await scope.tempDir('host');
  const child = scope.track(
    spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/main/web/index.ts',
        '--host',
        '127.0.0.1',
        '--port',
        '0',
        '--data-dir',
        dataDir,
      ],
      {
        cwd: REPO_ROOT,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    ),
  );
  let output = '';
  child.stderr.on('data', (data: Buffer) => (output += data.toString()));
  const ready = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the host did not start:\n${output}`)), 30_000);
    child.stdout.on('data', (data: Buffer) => {
      output += data.toString();
      const match = READY.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the host exited with ${code}:\n${output}`));
    });
  });
  return { url: `${ready[1]}/?token=${ready[2]}` };
}
