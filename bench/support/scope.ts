import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { progress } from './progress';

type Cleanup = () => unknown;

/**
 * What one section started (temp folders, child processes, engines), released together and newest
 * first when the section ends, fails, or the run is interrupted.
 */
export class Scope {
  readonly #cleanups: Cleanup[] = [];
  #closed = false;

  defer(cleanup: Cleanup): void {
    if (this.#closed) throw new Error('This scope is closed');
    this.#cleanups.push(cleanup);
  }

  /** A fresh folder under the system temp dir, removed when the scope closes. */
  async tempDir(label: string): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), `deskmate-bench-${label}-`));
    this.defer(() => rm(dir, { recursive: true, force: true, maxRetries: 3 }));
    return dir;
  }

  /** Kills the child (SIGTERM, then SIGKILL after a grace period) when the scope closes. */
  track<T extends ChildProcess>(child: T): T {
    this.defer(() => stopChild(child));
    return child;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    while (this.#cleanups.length > 0) {
      const cleanup = this.#cleanups.pop()!;
      try {
        await cleanup();
      } catch (error) {
        progress('cleanup', `failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}

export function stopChild(child: ChildProcess, graceMs = 3_000): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
