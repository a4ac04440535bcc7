import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';

export interface Entry {
  /** Relative to the folder walked, `.` for the folder itself. */
  path: string;
  kind: 'dir' | 'file' | 'other';
  /** Permission bits, e.g. 0o600. */
  mode: number;
}

/** Every entry under `dir` (itself included), without following symlinks. */
export async function walk(dir: string): Promise<Entry[]> {
  const found: Entry[] = [];
  const visit = async (file: string): Promise<void> => {
    const info = await lstat(file);
    const kind = info.isDirectory() ? 'dir' : info.isFile() ? 'file' : 'other';
    found.push({ path: path.relative(dir, file) || '.', kind, mode: info.mode & 0o7777 });
    if (kind === 'dir') for (const name of await readdir(file)) await visit(path.join(file, name));
  };
  await visit(dir);
  return found;
}

/** The entries whose mode is not 0700 for a folder, 0600 for a file: what a test expects to be empty. */
export function notPrivate(entries: readonly Entry[]): string[] {
  return entries
    .filter((entry) => entry.mode !== (entry.kind === 'dir' ? 0o700 : 0o600) || entry.kind === 'other')
    .map((entry) => `${entry.path} (${entry.kind} 0${entry.mode.toString(8)})`);
}
