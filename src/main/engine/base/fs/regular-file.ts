import { constants, type Stats } from 'node:fs';
import { lstat, open, stat, type FileHandle } from 'node:fs/promises';
import { NamedError } from '../../../../shared/errors';

// O_NONBLOCK: opening a FIFO without it waits for a writer, and that wait holds one of libuv's
// four threadpool threads; four such waits stop every fs call in the process, every window's.
// O_NOCTTY: opening a terminal device must never make it the process's controlling terminal.
const READ_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);
const CHUNK_BYTES = 256 * 1024;

export interface ReadRegularFileOptions {
  /** Larger files are refused with FileTooLarge, or cut to this size with `truncate`. */
  maxBytes: number;
  /** Return the first `maxBytes` of a larger file instead of refusing it. */
  truncate?: boolean;
  signal?: AbortSignal;
  /** Refuse a symlink in the last component instead of following it. */
  noFollow?: boolean;
  /** How the file is named in error messages (the path the model or the user gave); default `file`. */
  label?: string;
  /** Sees the opened file's stats before anything is read; may throw to refuse it. */
  check?(stats: Stats): void;
}

/** What a non-regular file is, in words a model can act on. */
export function describeKind(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

function symbolicLink(label: string): NamedError {
  return new NamedError('SymbolicLink', `${label} is a symbolic link, which is not followed here; refused`, {
    path: label,
  });
}

/** Refuses anything but a regular file: a directory, a FIFO, a socket, a device. */
export function assertRegularFile(stats: Stats, label: string): void {
  if (stats.isFile()) return;
  if (stats.isDirectory()) {
    throw new NamedError('IsADirectory', `${label} is a directory, not a file`, { path: label });
  }
  if (stats.isSymbolicLink()) throw symbolicLink(label);
  throw new NamedError(
    'NotARegularFile',
    `${label} is ${describeKind(stats)}, not a regular file; Deskmate's file tools only read and write regular files`,
    { path: label },
  );
}

/** Turns the errors an open or a stat can give into named errors that say what to do. */
export function fileError(error: unknown, label: string): unknown {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new NamedError('NotFound', `${label} does not exist`, { path: label });
    case 'EISDIR':
      return new NamedError('IsADirectory', `${label} is a directory, not a file`, { path: label });
    case 'ELOOP':
      return symbolicLink(label);
    // A socket (or a FIFO opened for writing with no reader) cannot be opened as a file.
    case 'ENXIO':
    case 'ENODEV':
      return new NamedError(
        'NotARegularFile',
        `${label} is a FIFO, a socket or a device, not a regular file`,
        {
          path: label,
        },
      );
    case 'EACCES':
    case 'EPERM':
      return new NamedError('PermissionDenied', `Permission denied for ${label}`, { path: label });
    case 'ENOSPC':
    case 'EDQUOT':
      return new NamedError('DiskFull', `No space left on the disk for ${label}`, { path: label });
    case 'EROFS':
      return new NamedError('ReadOnly', `${label} is on a read-only file system`, { path: label });
    default:
      return error;
  }
}

async function readUpTo(
  handle: FileHandle,
  limit: number,
  signal: AbortSignal | undefined,
): Promise<{ data: Buffer; more: boolean }> {
  const chunks: Buffer[] = [];
  let total = 0;
  // One byte past the limit tells a file that grew while it was read from one that fits.
  while (total <= limit) {
    signal?.throwIfAborted();
    // Stryker disable next-line MethodExpression,ArithmeticOperator: asking for more only reads bytes past limit + 1, which are cut off; what is returned and whether there was more stay the same
    const want = Math.min(CHUNK_BYTES, limit + 1 - total);
    const chunk = Buffer.allocUnsafe(want);
    const { bytesRead } = await handle.read(chunk, 0, want, null);
    if (bytesRead === 0) break;
    chunks.push(chunk.subarray(0, bytesRead));
    total += bytesRead;
  }
  const data = Buffer.concat(chunks, total);
  return total > limit ? { data: data.subarray(0, limit), more: true } : { data, more: false };
}

/**
 * Reads a regular file, bounded, and never blocks on anything else: a FIFO, a socket or a device is
 * refused (NotARegularFile) without waiting for a writer. The kind is checked before opening (so a
 * device is not even opened) and again on the opened handle (so a file swapped in between is
 * caught). Errors: NotFound, IsADirectory, NotARegularFile, FileTooLarge, SymbolicLink (noFollow),
 * PermissionDenied; an aborted signal rejects with its reason.
 */
export async function readRegularFile(file: string, options: ReadRegularFileOptions): Promise<Buffer> {
  const label = options.label ?? file;
  const { maxBytes, signal } = options;
  signal?.throwIfAborted();
  let handle: FileHandle;
  try {
    assertRegularFile(await (options.noFollow ? lstat(file) : stat(file)), label);
    handle = await open(file, READ_FLAGS | (options.noFollow ? (constants.O_NOFOLLOW ?? 0) : 0));
  } catch (error) {
    throw fileError(error, label);
  }
  try {
    const stats = await handle.stat();
    assertRegularFile(stats, label);
    options.check?.(stats);
    if (stats.size > maxBytes && !options.truncate) throw tooLarge(label, stats.size, maxBytes);
    const { data, more } = await readUpTo(handle, maxBytes, signal);
    if (more && !options.truncate) throw tooLarge(label, Math.max(stats.size, maxBytes + 1), maxBytes);
    return data;
  } finally {
    await handle.close();
  }
}

function tooLarge(label: string, size: number, maxBytes: number): NamedError {
  return new NamedError('FileTooLarge', `${label} is ${size} bytes, over the ${maxBytes}-byte limit`, {
    path: label,
    size,
    limit: maxBytes,
  });
}
