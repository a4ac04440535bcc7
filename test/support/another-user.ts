import { chmodSync, chownSync, lchownSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

// Stand-ins for what another user owns. Root (as the tests run here) gives a fresh folder or file
// to `nobody`, as the security review of issue 9 did; anyone else cannot give files away, and uses
// the root folder, which is root's, or a link to it.
const NOBODY = 65534;
const isRoot = process.getuid?.() === 0;

/** A folder at `mode` that belongs to another user: `dir` given to nobody, or `/`. */
export function anotherUsersFolder(dir: string, mode = 0o755): string {
  if (!isRoot) return path.parse(path.resolve(dir)).root;
  mkdirSync(dir);
  chmodSync(dir, mode);
  chownSync(dir, NOBODY, NOBODY);
  return dir;
}

/**
 * Puts `name` into `dir` so that what Deskmate would read there is another user's: a file of
 * theirs, a link they made to a file of ours (which lets them choose what is read), or a link of
 * ours to a file of theirs.
 */
export function anotherUsersEntry(
  dir: string,
  name: string,
  kind: 'file' | 'their-link' | 'link-to-theirs' = 'file',
): void {
  const entry = path.join(dir, name);
  if (!isRoot) {
    symlinkSync(path.parse(path.resolve(dir)).root, entry);
    return;
  }
  const target = path.join(dir, `target-of-${name}`);
  writeFileSync(kind === 'file' ? entry : target, '{}');
  if (kind === 'file') chownSync(entry, NOBODY, NOBODY);
  if (kind !== 'file') symlinkSync(target, entry);
  if (kind === 'their-link') lchownSync(entry, NOBODY, NOBODY);
  if (kind === 'link-to-theirs') chownSync(target, NOBODY, NOBODY);
}
