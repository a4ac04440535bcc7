import { constants } from 'node:fs';
import { lstat, mkdir, open, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { NamedError } from '../../../../shared/errors';

const FOLDER_FLAGS = constants.O_RDONLY | (constants.O_DIRECTORY ?? 0);

/**
 * A folder inside the workspace, held open while a tool works in it. `entry(name)` names a file
 * in it in a way no later change above the folder can redirect: where the platform allows, the
 * path goes through the held handle (`/proc/self/fd/N/name` on Linux), so a folder on the way
 * that is swapped for a symlink to somewhere else after the check changes nothing.
 */
export interface HeldFolder {
  entry(name: string): string;
  close(): Promise<void>;
}

export interface HoldOptions {
  /** Create missing folders (writes) or report NotFound (reads). */
  create: boolean;
  /** The path the model gave, for messages. */
  label: string;
  /**
   * `handles` walks through held handles and fails closed where they cannot be used; `paths`
   * checks each folder with lstat and then works by path, which a swap between the check and the
   * use can still redirect (macOS, Windows). Default: `handles` where `/proc/self/fd` works.
   */
  via?: 'handles' | 'paths';
}

function changed(label: string): NamedError {
  return new NamedError(
    'PathChanged',
    `A folder on the path of ${label} was moved, removed or replaced by a symlink while it was being ` +
      'opened; refused, nothing was changed. Look at the folder and try again.',
    { path: label },
  );
}

/** Why stepping into `next` failed, as a named error: the cause is read back with lstat. */
async function stepError(error: unknown, next: string, options: HoldOptions): Promise<unknown> {
  const code = (error as NodeJS.ErrnoException).code;
  const { label } = options;
  if (code === 'EACCES' || code === 'EPERM') {
    return new NamedError('PermissionDenied', `Permission denied for a folder on the path of ${label}`, {
      path: label,
    });
  }
  if (code === 'ENOENT' && !options.create) {
    return new NamedError('NotFound', `${label} does not exist`, { path: label });
  }
  if (code !== 'ENOTDIR' && code !== 'ELOOP' && code !== 'ENOENT') return error;
  const info = await lstat(next).catch(() => undefined);
  if (!info || info.isSymbolicLink() || info.isDirectory()) return changed(label);
  if (!options.create) return new NamedError('NotFound', `${label} does not exist`, { path: label });
  return new NamedError('NotADirectory', `Cannot create ${label}: a part of its folder path is a file`, {
    path: label,
  });
}

const viaHandle = (handle: FileHandle) => `/proc/self/fd/${handle.fd}`;

/** Whether `/proc/self/fd/N` names the folder the handle holds: on Linux, not where there is no /proc. */
async function handlesWork(handle: FileHandle): Promise<boolean> {
  try {
    const [through, direct] = await Promise.all([stat(viaHandle(handle)), handle.stat()]);
    // Stryker disable next-line ConditionalExpression,LogicalOperator: where /proc is this process's (every Linux test run) both sides are one folder; the comparison catches a /proc that is not. (Its "never equal" twin is caught by the default-naming test.)
    return through.ino === direct.ino && through.dev === direct.dev;
  } catch {
    // No /proc/self/fd (macOS, the BSDs): files are named by path there.
  }
  // Stryker disable next-line BooleanLiteral: reached only where there is no /proc/self/fd, never on Linux
  return false;
}

async function openFolder(next: string): Promise<FileHandle> {
  return open(next, FOLDER_FLAGS | (constants.O_NOFOLLOW ?? 0));
}

async function holdByHandles(root: FileHandle, parts: readonly string[], options: HoldOptions) {
  let current = root;
  try {
    for (const part of parts) {
      const next = `${viaHandle(current)}/${part}`;
      let child: FileHandle;
      try {
        child = await openFolder(next);
      } catch (error) {
        if (
          !options.create ||
          // Stryker disable next-line ConditionalExpression: trying mkdir after another error ends in EEXIST or that same error, which the open after it reports as this one would
          (error as NodeJS.ErrnoException).code !== 'ENOENT'
        )
          throw await stepError(error, next, options);
        // mkdir never follows a symlink in its last component; EEXIST is another call that made
        // the same folder first, or a symlink put there, which the open below refuses.
        await mkdir(next).catch(async (inner: unknown) => {
          if ((inner as NodeJS.ErrnoException).code !== 'EEXIST') throw await stepError(inner, next, options);
        });
        child = await openFolder(next).catch(async (inner: unknown) => {
          throw await stepError(inner, next, options);
        });
      }
      await current.close();
      current = child;
    }
  } catch (error) {
    await current.close();
    throw error;
  }
  const held = current;
  return { entry: (name: string) => `${viaHandle(held)}/${name}`, close: () => held.close() };
}

async function holdByPaths(root: string, parts: readonly string[], options: HoldOptions) {
  let current = root;
  for (const part of parts) {
    const next = path.join(current, part);
    const info = await lstat(next).catch(async (error: unknown) => {
      if (
        !options.create ||
        // Stryker disable next-line ConditionalExpression: trying mkdir after another error ends in EEXIST or that same error, which the lstat after it reports as this one would
        (error as NodeJS.ErrnoException).code !== 'ENOENT'
      )
        throw await stepError(error, next, options);
      await mkdir(next).catch(async (inner: unknown) => {
        if ((inner as NodeJS.ErrnoException).code !== 'EEXIST') throw await stepError(inner, next, options);
      });
      return lstat(next).catch(async (inner: unknown) => {
        throw await stepError(inner, next, options);
      });
    });
    if (!info.isDirectory()) throw await stepError({ code: 'ENOTDIR' }, next, options);
    current = next;
  }
  const held = current;
  return { entry: (name: string) => path.join(held, name), close: async () => undefined };
}

/**
 * Opens `folder` (a real path inside `root`, as resolveInWorkspace returns it) by walking down
 * from `root` one folder at a time without following symlinks: the path was resolved a moment
 * ago, so a symlink met now was swapped in since, and is refused (PathChanged). With `create`,
 * missing folders are made on the way. Errors: NotFound, NotADirectory, PathChanged, PermissionDenied.
 */
export async function holdFolder(root: string, folder: string, options: HoldOptions): Promise<HeldFolder> {
  const relative = path.relative(root, folder);
  if (relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) {
    throw new NamedError('PathOutsideWorkspace', `${options.label} is outside the workspace; refused`, {
      path: options.label,
    });
  }
  // Stryker disable next-line MethodExpression: only the root itself gives an empty part, and `<root>/` is the root again
  const parts = relative.split(path.sep).filter(Boolean);
  if (
    options.via !== 'paths' &&
    // Stryker disable next-line ConditionalExpression,StringLiteral: Windows only; on Linux this is always true
    process.platform !== 'win32'
  ) {
    // The workspace folder itself is the user's choice, symlinks above it included. It may have
    // been removed or replaced since it was resolved: that is named as a folder on the way would be.
    const handle = await open(root, FOLDER_FLAGS).catch(async (error: unknown) => {
      throw await stepError(error, root, options);
    });
    // Stryker disable next-line ConditionalExpression,EqualityOperator,StringLiteral: on Linux handles work, so asking for them and checking that they work both choose them. (The "never" twin is caught by the default-naming test.)
    if (options.via === 'handles' || (await handlesWork(handle)))
      return holdByHandles(handle, parts, options);
    await handle.close();
  }
  return holdByPaths(root, parts, options);
}
