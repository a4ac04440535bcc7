import { spawn } from 'node:child_process';
import { appendFileSync, type Stats } from 'node:fs';
import { lstat, mkdir, readdir, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bounded } from '../../../../../test/support/bounded';
import { makeFifo, releaseFifo } from '../../../../../test/support/fifo';
import { tempDir } from '../../../../../test/support/temp-dir';
import { describeKind, fileError, readRegularFile } from './regular-file';

const LIMIT = { maxBytes: 1024 };

describe('readRegularFile', () => {
  it('reads a regular file', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'a.txt'), 'hello\n');
    expect((await readRegularFile(path.join(dir, 'a.txt'), LIMIT)).toString()).toBe('hello\n');
  });

  it('refuses a FIFO nobody writes to, without waiting for a writer', async () => {
    const dir = await tempDir();
    const fifo = makeFifo(path.join(dir, 'pipe'));
    const read = readRegularFile(fifo, { ...LIMIT, label: 'pipe' });
    await expect(bounded(read, 5_000, 'reading a FIFO')).rejects.toMatchObject({
      name: 'NotARegularFile',
      message: expect.stringContaining('pipe is a FIFO (named pipe), not a regular file'),
      data: { path: 'pipe' },
    });
  });

  it('refuses a FIFO that has a writer, without reading from it', async () => {
    const dir = await tempDir();
    const fifo = makeFifo(path.join(dir, 'pipe'));
    // A writer that would feed the reader: the FIFO is refused anyway.
    const writer = spawn('sh', ['-c', `echo secret > '${fifo}'`], { stdio: 'ignore' });
    try {
      await expect(bounded(readRegularFile(fifo, LIMIT), 5_000, 'reading a FIFO')).rejects.toMatchObject({
        name: 'NotARegularFile',
      });
    } finally {
      writer.kill();
      await releaseFifo(fifo, 1);
    }
  });

  it('refuses a socket and a device', async () => {
    const dir = await tempDir();
    const socketPath = path.join(dir, 'sock');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    try {
      await expect(readRegularFile(socketPath, { ...LIMIT, label: 'sock' })).rejects.toMatchObject({
        name: 'NotARegularFile',
        message: expect.stringContaining('sock is a socket'),
      });
    } finally {
      server.close();
    }
    await expect(readRegularFile('/dev/zero', LIMIT)).rejects.toMatchObject({
      name: 'NotARegularFile',
      message: expect.stringContaining('/dev/zero is a character device'),
    });
  });

  it('names a directory and a missing file', async () => {
    const dir = await tempDir();
    await mkdir(path.join(dir, 'sub'));
    await expect(readRegularFile(path.join(dir, 'sub'), { ...LIMIT, label: 'sub' })).rejects.toMatchObject({
      name: 'IsADirectory',
      message: 'sub is a directory, not a file',
      data: { path: 'sub' },
    });
    await expect(readRegularFile(path.join(dir, 'nope'), LIMIT)).rejects.toMatchObject({ name: 'NotFound' });
    await expect(readRegularFile(path.join(dir, 'nope', 'x'), LIMIT)).rejects.toMatchObject({
      name: 'NotFound',
    });
  });

  it('refuses a file over maxBytes, or cuts it with truncate', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'big.txt');
    await writeFile(file, 'x'.repeat(2048));
    await expect(readRegularFile(file, { maxBytes: 1024, label: 'big.txt' })).rejects.toMatchObject({
      name: 'FileTooLarge',
      message: 'big.txt is 2048 bytes, over the 1024-byte limit',
    });
    expect((await readRegularFile(file, { maxBytes: 1024, truncate: true })).length).toBe(1024);
    expect((await readRegularFile(file, { maxBytes: 2048 })).length).toBe(2048);
  });

  it('follows a symlink unless told not to', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'real.txt'), 'real');
    await symlink(path.join(dir, 'real.txt'), path.join(dir, 'link.txt'));
    expect((await readRegularFile(path.join(dir, 'link.txt'), LIMIT)).toString()).toBe('real');
    await expect(
      readRegularFile(path.join(dir, 'link.txt'), { ...LIMIT, noFollow: true, label: 'link.txt' }),
    ).rejects.toMatchObject({ name: 'SymbolicLink' });
  });

  it('never follows a symlink swapped in after the check when told not to follow one', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'flip');
    await writeFile(path.join(dir, 'regular'), 'content');
    await writeFile(path.join(dir, 'secret'), 'secret');
    // Another process swaps what `flip` names between a file and a symlink to a secret as fast as
    // it can: a check that sees the file, then an open that follows the link, would read the secret.
    const flipper = spawn(
      'sh',
      [
        '-c',
        `cd '${dir}'; while :; do ln -f regular flip.new; mv -f flip.new flip; ln -sfn secret flip.new; mv -f flip.new flip; done`,
      ],
      { stdio: 'ignore' },
    );
    try {
      const outcomes = new Map<string, number>();
      const count = (outcome: string) => outcomes.get(outcome) ?? 0;
      const read = async () => {
        const outcome = await readRegularFile(file, { ...LIMIT, noFollow: true }).then(
          (data) => data.toString(),
          (error: { name: string }) => error.name,
        );
        outcomes.set(outcome, count(outcome) + 1);
      };
      // Until both sides of the swap were met many times (the flipper takes a moment to start).
      const reads = async () => {
        for (let round = 0; round < 50 && (count('content') < 300 || count('SymbolicLink') < 300); round++) {
          await Promise.all(Array.from({ length: 100 }, read));
        }
      };
      await bounded(reads(), 10_000, 'reads of a path flipping between a file and a symlink');
      expect(count('content')).toBeGreaterThan(0);
      expect(
        [...outcomes.keys()].filter((key) => !['content', 'SymbolicLink', 'NotFound'].includes(key)),
      ).toEqual([]);
    } finally {
      flipper.kill('SIGKILL');
    }
  });

  it('refuses a file over the limit by its size, without reading any of it', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'big.log');
    await writeFile(file, 'x'.repeat(2048));
    // Long ago: reading the file would move its access time to now.
    await utimes(file, 0, 0);
    await expect(readRegularFile(file, LIMIT)).rejects.toMatchObject({ name: 'FileTooLarge' });
    expect((await stat(file)).atimeMs).toBe(0);
  });

  it('refuses a file that grew past the limit after its size was taken, however the reads fall', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'growing.log');
    // Exactly one chunk, the limit: the first read ends right at the limit.
    const limit = 256 * 1024;
    await writeFile(file, Buffer.alloc(limit, 'a'));
    const grow = () => appendFileSync(file, 'more');
    await expect(
      readRegularFile(file, { maxBytes: limit, label: 'growing.log', check: grow }),
    ).rejects.toMatchObject({ name: 'FileTooLarge', data: { path: 'growing.log', size: limit + 1, limit } });
  });

  it('leaves no file open behind it, whether it reads or refuses', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'a.txt'), 'hello');
    await writeFile(path.join(dir, 'big.txt'), 'x'.repeat(2048));
    const openFiles = async () => (await readdir('/proc/self/fd')).length;
    const before = await openFiles();
    await readRegularFile(path.join(dir, 'a.txt'), LIMIT);
    await expect(readRegularFile(path.join(dir, 'big.txt'), LIMIT)).rejects.toMatchObject({
      name: 'FileTooLarge',
    });
    await expect(
      readRegularFile(path.join(dir, 'big.txt'), { ...LIMIT, truncate: true }),
    ).resolves.toHaveLength(1024);
    expect(await openFiles()).toBe(before);
  });

  it('stops when the signal is aborted', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'a.txt'), 'hello');
    const controller = new AbortController();
    controller.abort(new Error('stopped'));
    await expect(
      readRegularFile(path.join(dir, 'a.txt'), { ...LIMIT, signal: controller.signal }),
    ).rejects.toThrow('stopped');
  });

  it('never blocks and never returns a FIFO as a file while the path flips between the two', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'flip');
    await writeFile(path.join(dir, 'regular'), 'content');
    makeFifo(path.join(dir, 'fifo'));
    // Another process swaps what `flip` names as fast as it can: a check by path, then an open by
    // path, sees one and opens the other.
    const flipper = spawn(
      'sh',
      [
        '-c',
        `cd '${dir}'; while :; do ln -f regular flip.new; mv -f flip.new flip; ln -f fifo flip.new; mv -f flip.new flip; done`,
      ],
      { stdio: 'ignore' },
    );
    try {
      const results = new Map<string, number>();
      const reads = Array.from({ length: 400 }, async () => {
        const outcome = await readRegularFile(file, LIMIT).then(
          (data) => data.toString(),
          (error: { name: string }) => error.name,
        );
        results.set(outcome, (results.get(outcome) ?? 0) + 1);
      });
      await bounded(Promise.all(reads), 10_000, 'reads of a path flipping between a file and a FIFO');
      expect(
        [...results.keys()].every((key) => ['content', 'NotARegularFile', 'NotFound'].includes(key)),
      ).toBe(true);
    } finally {
      flipper.kill('SIGKILL');
    }
  });

  it('reads a file larger than one chunk whole, and exactly maxBytes is not too large', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'big.bin');
    const data = Buffer.alloc(600 * 1024, 'abc');
    await writeFile(file, data);
    expect(await readRegularFile(file, { maxBytes: data.length })).toEqual(data);
    await expect(readRegularFile(file, { maxBytes: data.length - 1 })).rejects.toMatchObject({
      name: 'FileTooLarge',
      data: { path: file, size: data.length, limit: data.length - 1 },
    });
  });

  it('bounds a file that says it is empty but is not, as files under /proc do', async () => {
    await expect(
      readRegularFile('/proc/self/status', { maxBytes: 10, label: 'status' }),
    ).rejects.toMatchObject({
      name: 'FileTooLarge',
      message: 'status is 11 bytes, over the 10-byte limit',
    });
    const cut = await readRegularFile('/proc/self/status', { maxBytes: 10, truncate: true });
    expect(cut.toString()).toMatch(/^Name:\t/);
    expect(cut.length).toBe(10);
  });

  it('shows the opened file to the check before reading it, which can refuse it', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'a.txt'), 'hello');
    const sizes: number[] = [];
    await readRegularFile(path.join(dir, 'a.txt'), { ...LIMIT, check: (stats) => sizes.push(stats.size) });
    expect(sizes).toEqual([5]);
    await expect(
      readRegularFile(path.join(dir, 'a.txt'), {
        ...LIMIT,
        check: () => {
          throw new Error('not this one');
        },
      }),
    ).rejects.toThrow('not this one');
  });
});

describe('fileError', () => {
  it('names each failure of an open in words that say what happened', () => {
    const named = (code: string) => {
      const error = fileError(Object.assign(new Error(code), { code }), 'a.txt') as {
        name: string;
        message: string;
        data: unknown;
      };
      return { name: error.name, message: error.message, data: error.data };
    };
    const at = { path: 'a.txt' };
    expect(named('ENOENT')).toEqual({ name: 'NotFound', message: 'a.txt does not exist', data: at });
    expect(named('ENOTDIR')).toEqual({ name: 'NotFound', message: 'a.txt does not exist', data: at });
    expect(named('EISDIR')).toEqual({
      name: 'IsADirectory',
      message: 'a.txt is a directory, not a file',
      data: at,
    });
    expect(named('ELOOP')).toEqual({
      name: 'SymbolicLink',
      message: 'a.txt is a symbolic link, which is not followed here; refused',
      data: at,
    });
    const special = {
      name: 'NotARegularFile',
      message: 'a.txt is a FIFO, a socket or a device, not a regular file',
      data: at,
    };
    expect(named('ENXIO')).toEqual(special);
    expect(named('ENODEV')).toEqual(special);
    const denied = { name: 'PermissionDenied', message: 'Permission denied for a.txt', data: at };
    expect(named('EACCES')).toEqual(denied);
    expect(named('EPERM')).toEqual(denied);
    const full = { name: 'DiskFull', message: 'No space left on the disk for a.txt', data: at };
    expect(named('ENOSPC')).toEqual(full);
    expect(named('EDQUOT')).toEqual(full);
    expect(named('EROFS')).toEqual({
      name: 'ReadOnly',
      message: 'a.txt is on a read-only file system',
      data: at,
    });
    const other = Object.assign(new Error('odd'), { code: 'EIO' });
    expect(fileError(other, 'a.txt')).toBe(other);
  });
});

describe('describeKind', () => {
  it('says what a file that is not regular is', async () => {
    const dir = await tempDir();
    await symlink('nowhere', path.join(dir, 'link'));
    expect(describeKind(await lstat(dir))).toBe('a directory');
    expect(describeKind(await lstat(path.join(dir, 'link')))).toBe('a symbolic link');
    expect(describeKind(await lstat('/dev/null'))).toBe('a character device');
    expect(describeKind(await lstat(makeFifo(path.join(dir, 'pipe'))))).toBe('a FIFO (named pipe)');
    await writeFile(path.join(dir, 'plain'), '');
    expect(describeKind(await lstat(path.join(dir, 'plain')))).toBe('not a regular file');
    // No block device can be made in a test folder; what lstat says of one, as far as kinds go.
    const no = () => false;
    const blockDevice = {
      isDirectory: no,
      isFIFO: no,
      isSocket: no,
      isCharacterDevice: no,
      isBlockDevice: () => true,
    };
    expect(describeKind(blockDevice as unknown as Stats)).toBe('a block device');
  });
});
