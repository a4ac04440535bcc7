import type { Stats } from 'node:fs';
import { lstat, realpath } from 'node:fs/promises';
import path from 'node:path';
import { NamedError } from '../../../shared/errors';
import { holdFolder } from '../base/fs/held-folder';
import {
  assertRegularFile,
  fileError,
  readRegularFile,
  type ReadRegularFileOptions,
} from '../base/fs/regular-file';
import { resolveInWorkspace } from './workspace-path';

/**
 * A file a tool reads or writes: inside the workspace, named through its held folder (see
 * HeldFolder) so that a symlink swapped into the path during the call cannot move it elsewhere.
 * Close it when done.
 */
export interface TargetFile {
  /** The path to open, through the held folder. Open it without following a symlink. */
  readonly entry: string;
  /** What is there now (lstat), if anything. */
  readonly existing: Stats | undefined;
  close(): Promise<void>;
}

async function lstatIfExists(file: string): Promise<Stats | undefined> {
  try {
    return await lstat(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Resolves `requested` in the workspace (symlinks that stay inside are followed, others refused)
 * and holds its folder. With `create`, missing folders are made (writes); without, a missing
 * folder is NotFound (reads).
 */
export async function targetFile(
  workspace: string,
  requested: string,
  options: { create: boolean; offLimits?: readonly string[] | undefined },
): Promise<TargetFile> {
  const real = await resolveInWorkspace(workspace, requested, options.offLimits);
  const root = await realpath(workspace);
  if (real === root) {
    throw new NamedError('IsADirectory', `${requested} is the workspace folder itself, not a file`, {
      path: requested,
    });
  }
  const folder = await holdFolder(root, path.dirname(real), { create: options.create, label: requested });
  try {
    const entry = folder.entry(path.basename(real));
    const existing = await lstatIfExists(entry);
    return { entry, existing, close: () => folder.close() };
  } catch (error) {
    await folder.close();
    throw error;
  }
}

/**
 * Refuses to write anything but a single-linked regular file. A second hard link may live
 * outside the workspace (a hard link can point anywhere on the same file system), and writing
 * through this name would change that file too. A symlink here was swapped in after the path
 * was resolved.
 */
export function assertWritable(stats: Stats, requested: string, verb: string): void {
  if (stats.isDirectory()) {
    throw new NamedError('IsADirectory', `${requested} is a directory; give a file path to ${verb}`, {
      path: requested,
    });
  }
  if (stats.isSymbolicLink()) {
    throw new NamedError(
      'PathChanged',
      `${requested} was replaced by a symlink while it was being opened; refused`,
      {
        path: requested,
      },
    );
  }
  assertRegularFile(stats, requested);
  if (stats.nlink > 1) {
    throw new NamedError(
      'HardLinked',
      `${requested} has ${stats.nlink} hard links: the same file may also be elsewhere, outside the workspace, ` +
        `and writing it would change it there too; refused. To change only this copy, break the link first ` +
        `(for example with shell: cp -p FILE FILE.copy && mv FILE.copy FILE).`,
      { path: requested, links: stats.nlink },
    );
  }
}

/**
 * Reads a file inside the workspace: regular files only, never blocking on a FIFO, not through a
 * symlink swapped in during the call. Hard-linked files are read (pnpm's node_modules is made of
 * them); only writing them is refused.
 */
export async function readWorkspaceFile(
  workspace: string,
  requested: string,
  options: Omit<ReadRegularFileOptions, 'noFollow' | 'label'> & { offLimits?: readonly string[] },
): Promise<Buffer> {
  const { offLimits, ...read } = options;
  const target = await targetFile(workspace, requested, { create: false, offLimits });
  try {
    return await readRegularFile(target.entry, { ...read, noFollow: true, label: requested });
  } finally {
    await target.close();
  }
}

/** Errors of a write through a held folder, named: its folder may have been moved or removed meanwhile. */
export function writeError(error: unknown, requested: string): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') {
    return new NamedError(
      'PathChanged',
      `The folder of ${requested} was moved or removed while it was being written; nothing was written`,
      { path: requested },
    );
  }
  if (code === 'ELOOP') {
    return new NamedError(
      'PathChanged',
      `${requested} was replaced by a symlink while it was being written; refused`,
      {
        path: requested,
      },
    );
  }
  return fileError(error, requested);
}
