import { realpath, stat } from 'node:fs/promises';

/**
 * `folder` as one of `known` names it, when it is one of them: compared as real paths, so a
 * recorded path through a symlink matches the folder the user opened, and a recorded path that
 * merely looks like a known one (`/home/ann/../ann`) matches only if it is that very folder.
 * Undefined when it is none of them, or is gone.
 */
export async function knownFolder(folder: string, known: readonly string[]): Promise<string | undefined> {
  const real = await realpath(folder).catch(() => undefined);
  if (real === undefined) return undefined;
  for (const candidate of known) {
    if ((await realpath(candidate).catch(() => undefined)) === real) return candidate;
  }
  return undefined;
}

/** Whether `folder` is an existing folder (through symlinks), without opening anything in it. */
export async function isFolder(folder: string): Promise<boolean> {
  return (await stat(folder).catch(() => undefined))?.isDirectory() === true;
}
