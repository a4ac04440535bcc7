import { execFileSync } from 'node:child_process';
import { chmod } from 'node:fs/promises';

const isRoot = process.getuid?.() === 0;

/**
 * Runs `body` while nothing can be created in `dir`, then unlocks it (so the temp folder can be
 * removed). Root ignores permission bits, so as root (as the tests run here) the folder is made
 * immutable (`chattr +i`, EPERM); anyone else gets a read-only folder (0555, EACCES).
 */
export async function withLockedFolder<T>(dir: string, body: () => Promise<T>): Promise<T> {
  if (isRoot) execFileSync('chattr', ['+i', dir]);
  else await chmod(dir, 0o555);
  try {
    return await body();
  } finally {
    if (isRoot) execFileSync('chattr', ['-i', dir]);
    else await chmod(dir, 0o755);
  }
}
