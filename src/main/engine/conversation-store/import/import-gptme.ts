import { readdir, rm } from 'node:fs/promises';
import type { ImportProgress, ImportSummary } from '../../../../shared/import-summary';
import { NamedError } from '../../../../shared/errors';
import { printable } from '../../../../shared/printable';
import { hasErrorCode } from '../../base/fs/fs-errors';
import { fileError } from '../../base/fs/regular-file';
import type { ConversationStore } from '../conversation-store';
import { conversationIdFor, placeFor } from './import-identity';
import { removeStaleStaging, stageConversation } from './staged-conversation';
import { readSourceConversation } from './source-conversation';

export interface ImportOptions {
  signal?: AbortSignal;
  /** Called after every hundredth conversation. */
  onProgress?(progress: ImportProgress): void;
  now?: () => Date;
}

const PROGRESS_EVERY = 100;
// Another import (the app and the CLI at once) may take an id between the look and the move.
const PLACE_ATTEMPTS = 3;

type Entry = { name: string; link: boolean };

// Stryker disable next-line ArrowFunction,ConditionalExpression,EqualityOperator,UnaryOperator: see listSource; names in one folder are never equal
const byName = (a: Entry, b: Entry) => (a.name < b.name ? -1 : 1);

/**
 * Copies the gptme conversations in `source` (a folder of conversation folders, gptme's log
 * folder) into the store: each folder's `conversation.jsonl` and `config.toml`, nothing else
 * (gptme's branches, attachments, stored files and tool outputs stay where they are; Deskmate
 * reads none of them). Idempotent: a log imported before is reported as already present. Each
 * conversation is put together in a hidden folder and moved in with one rename, so a failure or
 * an abort leaves no half conversation. `source` itself may be a symlink (the user named it);
 * a conversation folder in it that is one is not followed.
 */
export async function importGptmeConversations(
  store: ConversationStore,
  source: string,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const { signal } = options;
  const now = options.now ?? (() => new Date());
  const entries = await listSource(source);
  const root = await store.conversationsFolder();
  await removeStaleStaging(root, now());
  const summary: ImportSummary = { source, imported: [], alreadyPresent: [], unreadable: [] };
  let done = 0;
  for (const entry of entries) {
    signal?.throwIfAborted();
    await importOne(store, root, source, entry, summary, { signal, now });
    done++;
    if (done % PROGRESS_EVERY === 0) options.onProgress?.({ done, total: entries.length });
  }
  return summary;
}

/** The conversation folders in `source`, by name: hidden ones left out, as gptme lists them. */
async function listSource(source: string): Promise<Entry[]> {
  let dirents;
  try {
    dirents = await readdir(source, { withFileTypes: true });
  } catch (error) {
    if (hasErrorCode(error, 'ENOENT') || hasErrorCode(error, 'ENOTDIR')) {
      throw new NamedError('ImportSourceNotFound', `No folder of gptme conversations at ${source}`, {
        path: source,
      });
    }
    throw fileError(error, source);
  }
  const entries = dirents
    .filter((dirent) => !dirent.name.startsWith('.') && (dirent.isDirectory() || dirent.isSymbolicLink()))
    .map((dirent) => ({ name: dirent.name, link: dirent.isSymbolicLink() }));
  // Stryker disable next-line MethodExpression: the order a disk lists names in is its own (ext4 lists small folders sorted), which no test can choose
  return entries.sort(byName);
}

async function importOne(
  store: ConversationStore,
  root: string,
  source: string,
  entry: Entry,
  summary: ImportSummary,
  options: { signal: AbortSignal | undefined; now: () => Date },
): Promise<void> {
  const folder = printable(entry.name);
  if (entry.link) {
    summary.unreadable.push({ folder, reason: 'is a symbolic link, which is not followed' });
    return;
  }
  const read = await readSourceConversation(source, entry.name, options.signal);
  if (!read.ok) {
    summary.unreadable.push({ folder, reason: read.reason });
    return;
  }
  const { conversation } = read;
  const base = conversationIdFor(entry.name);
  // Stryker disable next-line EqualityOperator,UpdateOperator: one more or fewer look changes nothing a test can stage: the second look already finds the winner's copy
  for (let attempt = 0; attempt < PLACE_ATTEMPTS; attempt++) {
    const place = await placeFor(root, base, conversation.log);
    if (!place) break;
    if (place.kind === 'present') {
      summary.alreadyPresent.push({ folder, id: place.id });
      return;
    }
    const staged = await stageConversation(root, entry.name, conversation, options.now());
    try {
      if (await store.adopt(place.id, staged)) {
        const notes = [...conversation.notes];
        if (place.taken)
          notes.unshift(`${place.taken} is another conversation here: imported as ${place.id}`);
        else if (place.id !== entry.name) notes.unshift(`its name is not a safe id: imported as ${place.id}`);
        summary.imported.push({ folder, id: place.id, notes });
        return;
      }
    } finally {
      // Moved in, it is gone from here already; refused, it goes.
      await rm(staged, { recursive: true, force: true });
    }
  }
  summary.unreadable.push({ folder, reason: `no free id for it near ${base}` });
}
