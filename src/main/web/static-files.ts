import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';

export type StaticLookup =
  { kind: 'file'; file: string; size: number; mtime: Date } | { kind: 'bad-request' } | { kind: 'not-found' };

/** The file a URL path names inside `root`. `/` is index.html; a folder is never listed. */
export async function findStaticFile(root: string, rawPath: string): Promise<StaticLookup> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return { kind: 'bad-request' };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return { kind: 'bad-request' };
  const relative = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
  // Dot files (and `..`, however it was encoded) are never served.
  if (relative.split('/').some((segment) => segment.startsWith('.'))) return { kind: 'not-found' };
  const candidate = path.resolve(root, relative);
  if (!isInside(root, candidate)) return { kind: 'not-found' };
  try {
    // A symlink inside the root must not lead outside it.
    const [realRoot, realFile] = await Promise.all([realpath(root), realpath(candidate)]);
    if (!isInside(realRoot, realFile)) return { kind: 'not-found' };
    const info = await stat(realFile);
    if (!info.isFile()) return { kind: 'not-found' };
    return { kind: 'file', file: realFile, size: info.size, mtime: info.mtime };
  } catch {
    return { kind: 'not-found' };
  }
}

function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return (
    relative !== '' &&
    relative !== '..' &&
    !relative.startsWith(`..${path.sep}`) &&
    !path.isAbsolute(relative)
  );
}
