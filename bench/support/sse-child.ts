import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Scope } from './scope';

const ENTRY = fileURLToPath(new URL('./sse-server-main.ts', import.meta.url));

/** Starts the bench SSE server in a child process (killed with the scope); its base URL. */
export async function startSseChild(scope: Scope): Promise<{ url: string; pid: number }> {
  const child = scope.track(
    spawn(process.execPath, ['--import', 'tsx', ENTRY], {
      env: { PATH: process.env.PATH ?? '' },
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  );
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`bench server did not start: ${output}`)), 20_000);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text: string) => {
      output += text;
      const match = /READY (\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`bench server exited with ${code}: ${output}`));
    });
  });
  return { url, pid: child.pid! };
}
