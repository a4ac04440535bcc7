import { readFile, rename } from 'node:fs/promises';
import { writeFileAtomic } from '../base/fs/atomic-write';
import { PRIVATE_FILE_MODE } from '../private-data-dir';
import { parseChatMeta, type ChatMeta } from './chat-meta';
import { hasErrorCode } from '../base/fs/fs-errors';

export type MetaRead = { state: 'ok'; meta: ChatMeta } | { state: 'missing' } | { state: 'broken' };

export async function readMetaFile(file: string): Promise<MetaRead> {
  let text: string;
  try {
    // Stryker disable next-line StringLiteral: readFile reads utf8 for an empty encoding too
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (hasErrorCode(error, 'ENOENT')) return { state: 'missing' };
    throw error;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
    // Stryker disable next-line BlockStatement: raw left undefined is refused as broken below just the same
  } catch {
    return { state: 'broken' };
  }
  const meta = parseChatMeta(raw);
  return meta ? { state: 'ok', meta } : { state: 'broken' };
}

export function writeMetaFile(file: string, meta: ChatMeta): Promise<void> {
  return writeFileAtomic(file, `${JSON.stringify(meta, null, 2)}\n`, PRIVATE_FILE_MODE);
}

/** Before a rebuilt file replaces a broken one, the broken one is kept for whoever wants to look. */
export async function setBrokenMetaAside(file: string, now: Date): Promise<void> {
  try {
    await rename(file, `${file}.broken-${now.toISOString().replace(/[:.]/g, '-')}`);
  } catch (error) {
    if (!hasErrorCode(error, 'ENOENT')) throw error;
  }
}
