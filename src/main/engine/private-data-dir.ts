import { chmodSync, lstatSync, mkdirSync, readdirSync, realpathSync, statSync, type Stats } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { NamedError } from '../../shared/errors';
import { hasErrorCode } from './base/fs/fs-errors';

/** Folders Deskmate makes: only their owner may list, enter or change them. */
export const PRIVATE_DIR_MODE = 0o700;
/** Files Deskmate writes: only their owner may read or write them. */
export const PRIVATE_FILE_MODE = 0o600;

/** What Deskmate itself puts in a data folder: one of them there means the folder is Deskmate's. */
const OWN_ENTRIES = Object.freeze(['settings.json', 'secrets.json', 'conversations']);

// settings.json holds the provider URL, and the environment's or the stored key goes there.
const COULD_REDIRECT_THE_KEY =
  'could rewrite what Deskmate reads there and so choose the server your API key is sent to';
const CHOOSE_ANOTHER = 'Choose a folder of your own with --data-dir DIR (or DESKMATE_DATA_DIR)';

export type DataDirState = 'created' | 'private' | 'tightened' | 'left-open';

export interface DataDirOptions {
  /** The user's home folder, which is never chmodded; the OS's unless a test gives one. */
  home?: string;
}

/**
 * Makes sure the data folder exists and only its owner can enter it, before any host writes to it.
 * A folder that is already there with looser permissions is tightened when it is clearly Deskmate's
 * (empty, or holding Deskmate's own files); any other folder only readable by others (a home
 * folder) is left as it is and `warn` says so. Throws DataDirUnusable when the path is not a
 * folder it can use, and when someone else could decide what is in it: whoever can write
 * settings.json chooses the server the API key is sent to.
 */
export function preparePrivateDataDir(
  dir: string,
  warn: (message: string) => void,
  options: DataDirOptions = {},
): DataDirState {
  let existing = statOrUndefined(dir);
  if (!existing) {
    if (create(dir)) return 'created';
    // Something appeared there since the stat: another start of Deskmate made it, or it is a link
    // to nowhere. Either way it is judged as found, never taken on trust.
    existing = statOrUndefined(dir);
    if (!existing) throw unusable(dir, 'it is a link to a folder that does not exist');
  }
  if (!existing.isDirectory()) throw unusable(dir, 'it is not a folder');
  // Windows has no POSIX modes to speak of: the user's profile folder is already private.
  if (process.platform === 'win32') return 'private';
  const owner = anotherUsers(dir, existing);
  if (owner) throw unusable(dir, `${owner}, who ${COULD_REDIRECT_THE_KEY}. ${CHOOSE_ANOTHER}`);
  if ((existing.mode & 0o077) === 0) return 'private';
  const looser = (existing.mode & 0o777).toString(8).padStart(4, '0');
  const reason = whyNotOurs(dir, existing, options.home ?? homedir());
  if (reason && existing.mode & 0o022) {
    throw unusable(
      dir,
      `other users can write to it (mode ${looser}) and it ${reason}, so Deskmate does not change ` +
        `its permissions; whoever can write there ${COULD_REDIRECT_THE_KEY}. ${CHOOSE_ANOTHER}, ` +
        `or run \`chmod 700 ${dir}\` if it is yours alone`,
    );
  }
  if (reason) {
    warn(
      `the data folder ${dir} can be read by other users (mode ${looser}) and ${reason}, so its ` +
        `permissions are left alone; run \`chmod 700 ${dir}\` or choose another --data-dir`,
    );
    return 'left-open';
  }
  chmodSync(dir, PRIVATE_DIR_MODE);
  warn(`the data folder ${dir} could be read by other users (mode ${looser}); it is now 0700`);
  return 'tightened';
}

/**
 * Says who else owns the folder or one of Deskmate's files in it (a settings.json left by another
 * user while the folder was open: tightening the folder afterwards does not take it back), or
 * undefined when it is all the current user's.
 */
function anotherUsers(dir: string, info: Stats): string | undefined {
  // Stryker disable next-line ConditionalExpression: reached on POSIX only, where process.getuid always exists
  if (typeof process.getuid !== 'function') return undefined;
  const uid = process.getuid();
  if (info.uid !== uid) return `it belongs to another user (uid ${info.uid})`;
  for (const entry of OWN_ENTRIES) {
    const file = path.join(dir, entry);
    // The entry itself (whoever made a link chose where it points) and what it leads to.
    for (const stats of [lstatOrUndefined(file), statOrUndefined(file)]) {
      if (stats && stats.uid !== uid) return `its ${entry} belongs to another user (uid ${stats.uid})`;
    }
  }
  return undefined;
}

/** Makes the folder 0700; false when something is already there under its name. */
function create(dir: string): boolean {
  try {
    // The parents are ordinary folders (~/.config): they get the usual mode, only the data folder is private.
    mkdirSync(path.dirname(dir), { recursive: true });
    // Stryker disable next-line ObjectLiteral: the chmod below sets 0700 either way; this mode only closes the moment between the two calls
    mkdirSync(dir, { mode: PRIVATE_DIR_MODE });
  } catch (error) {
    if (hasErrorCode(error, 'EEXIST')) return false;
    throw unusable(dir, error instanceof Error ? error.message : String(error));
  }
  // mkdir's mode passes through the umask; chmod does not.
  chmodSync(dir, PRIVATE_DIR_MODE);
  return true;
}

/** Why a loose folder is not one to chmod, or undefined when it is clearly Deskmate's own. */
function whyNotOurs(dir: string, info: Stats, home: string): string | undefined {
  // Sticky folders (/tmp) are shared by design.
  if (info.mode & 0o1000) return 'is a shared folder';
  const real = realpathSync(dir);
  const realHome = realpathOrSelf(home);
  if (real === path.parse(real).root) return 'is the root folder';
  if (isWithin(realHome, real)) return 'is your home folder or holds it';
  const entries = readdirSync(dir);
  if (entries.length > 0 && !entries.some((entry) => OWN_ENTRIES.includes(entry))) {
    return 'does not look like a Deskmate data folder';
  }
  return undefined;
}

/** True when `child` is `parent` or inside it. Reached on POSIX only, where `relative` is never absolute. */
function isWithin(child: string, parent: string): boolean {
  return path.relative(parent, child).split(path.sep)[0] !== '..';
}

function realpathOrSelf(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}

function statOrUndefined(file: string, stat: (file: string) => Stats = statSync): Stats | undefined {
  try {
    return stat(file);
  } catch (error) {
    if (hasErrorCode(error, 'ENOENT')) return undefined;
    throw unusable(file, error instanceof Error ? error.message : String(error));
  }
}

function lstatOrUndefined(file: string): Stats | undefined {
  return statOrUndefined(file, lstatSync);
}

function unusable(dir: string, reason: string): NamedError {
  return new NamedError('DataDirUnusable', `Cannot use ${dir} as the data folder: ${reason}.`, { dir });
}
