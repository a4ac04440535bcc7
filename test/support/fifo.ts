import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync } from 'node:fs';
import { afterEach } from 'vitest';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Lets go of whatever is blocked opening `file` (a FIFO) for reading: such a reader holds one of
 * libuv's threadpool threads until a writer comes. The writer is opened on the main thread and
 * without blocking, since the threadpool may be the thing that is stuck; it is opened a few times
 * over because a reader queued behind the blocked ones only starts once they are let go.
 */
export async function releaseFifo(file: string, rounds = 20): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    try {
      closeSync(openSync(file, constants.O_WRONLY | constants.O_NONBLOCK));
    } catch {
      // ENXIO: nobody is reading it right now.
    }
    await sleep(10);
  }
}

/**
 * A FIFO (named pipe) at `file`. After the test, any reader still blocked on it is let go, so a
 * test that fails by hanging does not leave a threadpool thread stuck for the next one.
 */
export function makeFifo(file: string): string {
  execFileSync('mkfifo', [file]);
  afterEach(() => releaseFifo(file));
  return file;
}
