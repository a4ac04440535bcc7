import { randomBytes } from 'node:crypto';
import { chmod, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/**
 * Replaces `file` so that a reader (or a crash) sees the old content or the new, never half of it:
 * write a temp file in the same folder (rename is only atomic within one file system), flush it,
 * then rename it over the target. The temp file never outlives a failure. `mode` keeps a replaced
 * file's permissions (an executable script stays executable).
 */
export async function writeFileAtomic(file: string, data: string, mode?: number): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(data, 'utf8');
      // Without this a power cut after the rename can leave an empty file where the old one was.
      await handle.datasync();
    } finally {
      await handle.close();
    }
    if (mode !== undefined) await chmod(temp, mode);
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
