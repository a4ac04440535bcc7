import { randomBytes } from 'node:crypto';
import { lstat, mkdir, open, readdir, rm, utimes } from 'node:fs/promises';
import path from 'node:path';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../../private-data-dir';
import { IMPORT_MARKER, sha256Of } from './import-identity';
import type { SourceConversation } from './source-conversation';

const STAGING_PREFIX = '.import-';
// Older than this, a staging folder is what an import that crashed left behind.
const STALE_MS = 60 * 60 * 1000;

/** A new private file, flushed: the rename that follows must not publish an empty one after a crash. */
async function writeNewFile(file: string, data: Buffer | string): Promise<void> {
  const handle = await open(file, 'wx', PRIVATE_FILE_MODE);
  try {
    await handle.writeFile(data);
    // The umask may have cleared bits; set on the handle, never by path.
    await handle.chmod(PRIVATE_FILE_MODE);
    await handle.datasync();
  } finally {
    await handle.close();
  }
}

/**
 * Puts an imported conversation together in a new hidden folder in `root` (its name is never an
 * id): the log as it was, byte for byte, with its modification time; config.toml when there is
 * one; and the marker that names the log, so a second import finds it. Removed on failure.
 */
export async function stageConversation(
  root: string,
  folder: string,
  conversation: SourceConversation,
  now: Date,
): Promise<string> {
  const dir = path.join(root, `${STAGING_PREFIX}${randomBytes(6).toString('hex')}`);
  await mkdir(dir, { mode: PRIVATE_DIR_MODE });
  try {
    const log = path.join(dir, 'conversation.jsonl');
    await writeNewFile(log, conversation.log);
    if (conversation.config) await writeNewFile(path.join(dir, 'config.toml'), conversation.config);
    const marker = {
      from: 'gptme',
      folder,
      sha256: sha256Of(conversation.log),
      importedAt: now.toISOString(),
    };
    await writeNewFile(path.join(dir, IMPORT_MARKER), `${JSON.stringify(marker, null, 2)}\n`);
    // Last: the list orders a conversation without chat.json by its log's time, as gptme does.
    await utimes(log, conversation.modified, conversation.modified);
    return dir;
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Removes what an import that crashed left in `root`; one under way now is younger than an hour. */
export async function removeStaleStaging(root: string, now: Date): Promise<void> {
  for (const name of await readdir(root)) {
    if (!name.startsWith(STAGING_PREFIX)) continue;
    const dir = path.join(root, name);
    const info = await lstat(dir).catch(() => undefined);
    // Stryker disable next-line BooleanLiteral: force only spares a race with another import removing it first
    if (info && now.getTime() - info.mtimeMs > STALE_MS) await rm(dir, { recursive: true, force: true });
  }
}
