import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { NamedError } from '../../../shared/errors';
import { resolveInWorkspace } from './workspace-path';

/** The file's stat, or undefined when nothing is there. */
export async function statIfExists(target: string) {
  try {
    return await stat(target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/** Creates the folders above `target`; a file in the way is reported, not a raw EEXIST. */
export async function makeParents(target: string, requested: string): Promise<void> {
  try {
    await mkdir(path.dirname(target), { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST' && code !== 'ENOTDIR') throw error;
    throw new NamedError('NotADirectory', `Cannot create ${requested}: a part of its folder path is a file`, {
      path: requested,
    });
  }
}

/** A file a tool will write: inside the workspace, and not a folder. What is there now, if anything. */
export async function writableTarget(workspace: string, requested: string, verb: string) {
  const target = await resolveInWorkspace(workspace, requested);
  const existing = await statIfExists(target);
  if (existing?.isDirectory()) {
    throw new NamedError('IsADirectory', `${requested} is a directory; give a file path to ${verb}`, {
      path: requested,
    });
  }
  return { target, existing };
}
