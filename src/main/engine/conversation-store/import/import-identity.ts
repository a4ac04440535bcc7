import { createHash } from 'node:crypto';
import { lstat } from 'node:fs/promises';
import path from 'node:path';
import { hasErrorCode } from '../../base/fs/fs-errors';
import { readRegularFile } from '../../base/fs/regular-file';
import { isConversationId } from '../conversation-id';
import { safeFileName } from '../safe-file-name';

/** Beside an imported log: which source log it was, so importing it again adds nothing. */
export const IMPORT_MARKER = 'gptme-import.json';
// Room for `-NN` after a long name, within the 128 characters of an id.
const MAX_BASE_LENGTH = 100;
const MAX_CANDIDATES = 100;

/**
 * The id a gptme conversation folder gets here: its name (gptme's id for it) when that is a safe
 * id; otherwise the name made safe (`fix bug` is `fix_bug`); a name nothing is left of, or one
 * Windows reserves, a hash of it. Never `.`, `..`, a separator or a control character.
 */
export function conversationIdFor(folder: string): string {
  // Stryker disable next-line StringLiteral: any fallback that is not an id ends in the hash below just the same
  const safe = safeFileName(folder, '').slice(0, MAX_BASE_LENGTH);
  if (isConversationId(safe)) return safe;
  return `gptme-${createHash('sha256').update(folder).digest('hex').slice(0, 12)}`;
}

export function sha256Of(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export type Place =
  | { kind: 'present'; id: string }
  | { kind: 'free'; id: string; /** The id first wanted, taken by another conversation. */ taken?: string };

/**
 * Where a source log goes in `root`: `base`, else `base-1`, `base-2`, … The first that already
 * holds this very log is where it is already present: its marker names the same bytes, or, for a
 * folder copied by hand, its log starts with them (a conversation continued here only grows).
 * The first free one is where it goes. Nothing in `root` is ever replaced: another conversation
 * under the same id (made here, or imported from another log) keeps its name and content.
 */
export async function placeFor(root: string, base: string, log: Buffer): Promise<Place | undefined> {
  const sha = sha256Of(log);
  for (let n = 0; n < MAX_CANDIDATES; n++) {
    const id = n === 0 ? base : `${base}-${n}`;
    const dir = path.join(root, id);
    try {
      await lstat(dir);
    } catch (error) {
      if (!hasErrorCode(error, 'ENOENT')) throw error;
      return n === 0 ? { kind: 'free', id } : { kind: 'free', id, taken: base };
    }
    if ((await markedSha(dir)) === sha || (await logStartsWith(dir, log))) return { kind: 'present', id };
  }
  return undefined;
}

async function markedSha(dir: string): Promise<unknown> {
  try {
    const marker = await readRegularFile(path.join(dir, IMPORT_MARKER), { maxBytes: 4096, noFollow: true });
    return (JSON.parse(marker.toString('utf8')) as { sha256?: unknown }).sha256;
    // Stryker disable next-line BlockStatement: an empty catch returns undefined just the same
  } catch {
    return undefined;
  }
}

async function logStartsWith(dir: string, log: Buffer): Promise<boolean> {
  try {
    const head = await readRegularFile(path.join(dir, 'conversation.jsonl'), {
      maxBytes: log.length,
      truncate: true,
      noFollow: true,
    });
    return head.equals(log);
    // Stryker disable next-line BlockStatement: an empty catch returns undefined, as false as false
  } catch {
    return false;
  }
}
