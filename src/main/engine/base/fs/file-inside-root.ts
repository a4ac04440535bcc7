import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';

/** True when `candidate` is strictly below `root` (not root itself, not a sibling that starts alike). */
export function isStrictlyInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return (
    relative !== '' &&
    relative !== '..' &&
    !relative.startsWith(`..${path.sep}`) &&
    !path.isAbsolute(relative)
  );
}

export interface FoundFile {
  file: string;
  size: number;
  mtime: Date;
}

/**
 * The regular file at `relative` below `root`, with symlinks resolved on both sides, or undefined
 * when there is none, it is not a regular file, or its real path leads outside the real root.
 * For the hosts that serve the built renderer (the web host, Electron's app:// handler).
 */
export async function regularFileInside(root: string, relative: string): Promise<FoundFile | undefined> {
  const candidate = path.resolve(root, relative);
  if (!isStrictlyInside(path.resolve(root), candidate)) return undefined;
  try {
    const [realRoot, realFile] = await Promise.all([realpath(root), realpath(candidate)]);
    if (!isStrictlyInside(realRoot, realFile)) return undefined;
    const info = await stat(realFile);
    if (!info.isFile()) return undefined;
    return { file: realFile, size: info.size, mtime: info.mtime };
  } catch {
    // Missing, unreadable, a loop of symlinks: nothing to serve.
  }
  return undefined;
}
