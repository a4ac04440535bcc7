import { spawn } from 'node:child_process';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bounded } from '../../../../test/support/bounded';
import { makeFifo, releaseFifo } from '../../../../test/support/fifo';
import { tempDir } from '../../../../test/support/temp-dir';
import { readRegularFile } from './regular-file';

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
    await expect(readRegularFile(path.join(dir, 'sub'), LIMIT)).rejects.toMatchObject({
      name: 'IsADirectory',
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
});
