import { regularFileInside } from '../engine/base/fs/file-inside-root';

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
  const found = await regularFileInside(root, relative);
  return found ? { kind: 'file', ...found } : { kind: 'not-found' };
}
