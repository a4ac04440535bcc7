import { lstat, readlink, realpath } from 'node:fs/promises';
import path from 'node:path';
import { NamedError } from '../../../shared/errors';
import { fileError } from '../base/fs/regular-file';

function inside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  // `..cache` is a name inside; only `..` itself or `../…` leaves.
  return relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}

/** The real path of `target`, or of its deepest existing ancestor joined with the missing rest. */
async function realpathOfDeepestExisting(target: string): Promise<string> {
  const missing: string[] = [];
  let current = target;
  let hops = 0;
  for (;;) {
    try {
      return path.join(await realpath(current), ...missing.reverse());
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
      // A dangling symlink: writing through it would create its target, so follow it by hand.
      const info = await lstat(current).catch(() => undefined);
      // Stryker disable next-line LogicalOperator,ConditionalExpression,EqualityOperator,UpdateOperator: the hop limit only ends a link a race keeps rewriting (realpath fails a chain of over 40 with ELOOP first), and a missing non-link retried ends the same way
      if (info?.isSymbolicLink() && hops++ < 40) {
        const link = await readlink(current).catch(() => undefined);
        // Undefined: replaced since the lstat (a folder being swapped); look at it again.
        if (link !== undefined) current = path.resolve(path.dirname(current), link);
        continue;
      }
      // The climb ends at the root folder at the latest, which always exists.
      missing.push(path.basename(current));
      current = path.dirname(current);
    }
  }
}

/**
 * Why a path could not be resolved, named after the path the model gave (the raw error names the
 * real path, and a bare `Error` reaches the model as an unnamed failure).
 */
function unresolvable(error: unknown, requested: string): unknown {
  if ((error as NodeJS.ErrnoException).code === 'ELOOP') {
    return new NamedError(
      'SymlinkLoop',
      `${requested} goes through a loop of symbolic links (or too many of them); refused`,
      { path: requested },
    );
  }
  return fileError(error, requested);
}

/**
 * Resolves a path a model gave against the workspace and refuses anything that lands outside it:
 * `..`, an absolute path elsewhere, or a symlink (anywhere along the path) pointing out; and
 * anything in `offLimits` (Deskmate's data folder, when the workspace holds it: keys, other logs).
 */
export async function resolveInWorkspace(
  workspace: string,
  requested: string,
  // Stryker disable next-line ArrayDeclaration: a default naming a folder no caller has refuses nothing, as the empty one does
  offLimits: readonly string[] = [],
): Promise<string> {
  if (requested.includes('\0')) throw new NamedError('InvalidPath', 'The path contains a NUL character');
  const root = await realpath(workspace);
  const lexical = path.resolve(root, requested);
  if (!inside(root, lexical)) {
    throw new NamedError('PathOutsideWorkspace', `${requested} is outside the workspace (${root}); refused`, {
      path: requested,
    });
  }
  const real = await realpathOfDeepestExisting(lexical).catch((error: unknown) => {
    throw unresolvable(error, requested);
  });
  if (!inside(root, real)) {
    throw new NamedError(
      'PathOutsideWorkspace',
      `${requested} leads outside the workspace through a symlink; refused`,
      {
        path: requested,
      },
    );
  }
  for (const folder of offLimits) {
    const forbidden = await realpath(folder).catch(() => path.resolve(folder));
    if (inside(forbidden, real)) {
      throw new NamedError(
        'PathOffLimits',
        `${requested} is in Deskmate's own data folder, which the file tools never touch; refused`,
        { path: requested },
      );
    }
  }
  return real;
}

/**
 * A file tool's check before the user is asked: a path that leads outside the workspace (or into
 * Deskmate's data) is refused now rather than after an approval that could not help. It resolves
 * paths only (realpath, lstat, readlink), never opens what the model named, so nothing waits on it.
 */
export async function refuseOutsideWorkspace(
  args: { path: string },
  context: { workspace: string; offLimits: readonly string[] },
): Promise<void> {
  await resolveInWorkspace(context.workspace, args.path, context.offLimits);
}
