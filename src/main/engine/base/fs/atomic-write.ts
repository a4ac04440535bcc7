import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

// O_EXCL: the temp name is new, so nothing (a symlink planted there included) is followed or reused.
// Stryker disable next-line LogicalOperator: O_CREAT | O_EXCL already refuses a symlink at the name (open(2)); O_NOFOLLOW says so twice
const TEMP_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);

/**
 * Replaces `file` so that a reader (or a crash) sees the old content or the new, never half of it:
 * write a temp file in the same folder (rename is only atomic within one file system), flush it,
 * then rename it over the target. The temp file never outlives a failure. `mode` keeps a replaced
 * file's permissions (an executable script stays executable) or makes a private file 0600; the
 * temp file has it from its creation, so the content is never readable with looser permissions.
 *
 * `file` may name its folder through a held handle (HeldFolder.entry): the temp file and the
 * rename then stay in that folder whatever happens to the path above it.
 */
export async function writeFileAtomic(file: string, data: string, mode?: number): Promise<void> {
  // The start of the file's name tells whose a temp file left by a crash is; all of it would not fit
  // beside the suffix when the name is near the 255-byte limit (64 characters are at most 192 bytes).
  const temp = path.join(
    path.dirname(file),
    `.${path.basename(file).slice(0, 64)}.${randomBytes(6).toString('hex')}.tmp`,
  );
  try {
    const handle = await open(temp, TEMP_FLAGS, mode ?? 0o666);
    try {
      // A string is written as UTF-8.
      await handle.writeFile(data);
      // The umask may have cleared bits of `mode`; fchmod on the handle, never chmod by path.
      if (mode !== undefined) await handle.chmod(mode);
      // Without this a power cut after the rename can leave an empty file where the old one was.
      await handle.datasync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
