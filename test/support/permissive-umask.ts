import { isMainThread } from 'node:worker_threads';
import { afterAll, beforeAll } from 'vitest';

// A permissive umask (000), so a file mode that is right only because the usual umask (022) trimmed
// it shows up. `npm test` runs each test file in a process of its own (pool: forks), where the
// umask can be set here. Stryker's vitest runner runs test files in worker threads, where Node
// refuses to change the umask (stryker-js#6223); there vitest.mutation.config.ts sets it for the
// whole process before the workers start, and this only checks that it did.

function requireWorkerUmaskOpen(): void {
  // Reading the umask is allowed in a worker; changing it is not.
  if (process.umask() !== 0)
    throw new Error('Tests that prove file modes need umask 000: set it where the worker threads start');
}

/** Runs this file's tests under umask 000. */
export function usePermissiveUmask(): void {
  let previous: number | undefined;
  beforeAll(() => {
    if (isMainThread) previous = process.umask(0o000);
    else requireWorkerUmaskOpen();
  });
  afterAll(() => {
    if (previous !== undefined) process.umask(previous);
  });
}

/** Calls `start` under umask 000 (a child process inherits the umask it is spawned with). */
export function underPermissiveUmask<T>(start: () => T): T {
  if (!isMainThread) {
    requireWorkerUmaskOpen();
    return start();
  }
  const previous = process.umask(0o000);
  try {
    return start();
  } finally {
    process.umask(previous);
  }
}
