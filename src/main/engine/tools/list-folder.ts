import type { Dirent } from 'node:fs';
import { opendir, realpath } from 'node:fs/promises';
import { holdFolder } from '../base/fs/held-folder';
import { fileError } from '../base/fs/regular-file';
import { resolveInWorkspace } from './workspace-path';

// gptme's read lists at most 100 entries of a folder; so do we, and say how many more there are.
const MAX_SHOWN = 100;
// Names kept for sorting; past this, entries are only counted, so a folder of a million files
// costs a count, not a million strings held at once.
const MAX_SORTED = 10_000;

/** A name as one safe line: a name holding a line break or a control character is quoted. */
function shownName(name: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is looked for
  return /[\u0000-\u001f\u007f]/.test(name) ? JSON.stringify(name) : name;
}

/** `name/` for a folder, `name@` for a symbolic link (not followed: it may point anywhere), else `name`. */
function label(entry: Dirent): string {
  const name = shownName(entry.name);
  if (entry.isDirectory()) return `${name}/`;
  if (entry.isSymbolicLink()) return `${name}@`;
  return name;
}

/**
 * Lists a folder inside the workspace, as gptme's read does for a folder: folders first, then the
 * rest, each by name ignoring case, one a line, at most MAX_SHOWN of them. The folder is resolved
 * like any file path (nothing outside the workspace, nothing in Deskmate's data folder) and held
 * open while it is read, so a symlink swapped in meanwhile cannot list another folder.
 */
export async function listFolder(
  workspace: string,
  requested: string,
  options: { offLimits: readonly string[]; signal: AbortSignal },
): Promise<string> {
  const real = await resolveInWorkspace(workspace, requested, options.offLimits);
  const folder = await holdFolder(await realpath(workspace), real, { create: false, label: requested });
  const kept: Dirent[] = [];
  let total = 0;
  try {
    const dir = await opendir(folder.entry('.')).catch((error: unknown) => {
      throw fileError(error, requested);
    });
    for await (const entry of dir) {
      options.signal.throwIfAborted();
      total++;
      // Stryker disable next-line ConditionalExpression,EqualityOperator: only memory use tells these apart
      if (kept.length < MAX_SORTED) kept.push(entry);
    }
  } finally {
    await folder.close();
  }
  if (total === 0) return `${requested} (empty folder)`;
  // A locale's order already ignores case, and puts `a` before `A` where the names are otherwise one.
  kept.sort((a, b) => Number(b.isDirectory()) - Number(a.isDirectory()) || a.name.localeCompare(b.name));
  const lines = kept.slice(0, MAX_SHOWN).map(label);
  if (total > MAX_SHOWN) lines.push(`... and ${total - MAX_SHOWN} more entries`);
  return `${requested} (folder, ${total} ${total === 1 ? 'entry' : 'entries'})\n${lines.join('\n')}`;
}
