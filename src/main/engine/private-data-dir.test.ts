import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { anotherUsersEntry, anotherUsersFolder } from '../../../test/support/another-user';
import { tempDir } from '../../../test/support/temp-dir';
import { usePermissiveUmask } from '../../../test/support/permissive-umask';
import { preparePrivateDataDir, type DataDirOptions } from './private-data-dir';

usePermissiveUmask();

const modeOf = (file: string) => statSync(file).mode & 0o7777;

function prepare(dir: string, options?: DataDirOptions) {
  const warnings: string[] = [];
  const state = preparePrivateDataDir(dir, (message) => warnings.push(message), options);
  return { state, warnings };
}

/** A folder at `mode` (chmod, so the umask does not decide it) holding `files`. */
async function folder(mode: number, files: string[] = []): Promise<string> {
  const dir = path.join(await tempDir('deskmate-private-'), 'data');
  mkdirSync(dir);
  for (const file of files) writeFileSync(path.join(dir, file), '{}');
  chmodSync(dir, mode);
  return dir;
}

describe('the data folder', () => {
  it('is created 0700 (its missing parents with the usual mode), whatever the umask', async () => {
    const base = await tempDir('deskmate-private-');
    const dir = path.join(base, 'local', 'share', 'deskmate');
    expect(prepare(dir)).toEqual({ state: 'created', warnings: [] });
    expect(modeOf(dir)).toBe(0o700);
    expect(modeOf(path.dirname(dir))).toBe(0o777);
    expect(modeOf(path.dirname(path.dirname(dir)))).toBe(0o777);
  });

  it('is left alone, silently, when it is already private', async () => {
    const dir = await folder(0o700, ['notes.txt']);
    expect(prepare(dir)).toEqual({ state: 'private', warnings: [] });
    expect(modeOf(dir)).toBe(0o700);
  });

  it("is tightened to 0700 when it is clearly Deskmate's: empty, or holding Deskmate's files", async () => {
    for (const files of [[], ['settings.json'], ['secrets.json', 'other.txt']]) {
      const dir = await folder(0o755, files);
      const { state, warnings } = prepare(dir);
      expect(state, files.join()).toBe('tightened');
      expect(modeOf(dir)).toBe(0o700);
      expect(warnings).toEqual([expect.stringContaining('mode 0755); it is now 0700')]);
    }
    const withConversations = await folder(0o750);
    mkdirSync(path.join(withConversations, 'conversations'));
    expect(prepare(withConversations).state).toBe('tightened');
    // Even when others could write to it: it is Deskmate's, so closing it is safe.
    const writable = await folder(0o777, ['settings.json']);
    expect(prepare(writable).state).toBe('tightened');
    expect(modeOf(writable)).toBe(0o700);
  });

  it('is never chmodded when it is some other folder; a warning says what to do', async () => {
    const unrelated = await folder(0o755, ['photo.jpg', 'todo.txt']);
    const { state, warnings } = prepare(unrelated);
    expect(state).toBe('left-open');
    expect(modeOf(unrelated)).toBe(0o755);
    expect(warnings).toEqual([
      expect.stringMatching(/mode 0755\) and does not look like a Deskmate data folder.*chmod 700/),
    ]);

    // The user's home, even one where a settings.json was left by an earlier --data-dir ~.
    const home = await folder(0o755, ['settings.json', '.bashrc']);
    expect(prepare(home, { home })).toMatchObject({
      state: 'left-open',
      warnings: [expect.stringContaining('is your home folder')],
    });
    expect(modeOf(home)).toBe(0o755);

    // A folder that holds the home folder.
    const parent = await folder(0o755);
    const inside = path.join(parent, 'me');
    mkdirSync(inside);
    expect(prepare(parent, { home: inside }).state).toBe('left-open');
    expect(modeOf(parent)).toBe(0o755);
  });

  // Whoever can write the folder can write settings.json, whose provider URL is where the key goes.
  it('refuses, saying why and what to do, a folder that belongs to another user, whatever its mode', async () => {
    for (const mode of [0o700, 0o755]) {
      const dir = anotherUsersFolder(path.join(await tempDir('deskmate-private-'), 'data'), mode);
      const before = modeOf(dir);
      expect(() => prepare(dir)).toThrow(expect.objectContaining({ name: 'DataDirUnusable' }));
      expect(() => prepare(dir)).toThrow(
        /belongs to another user \(uid \d+\), who could rewrite what Deskmate reads there and so choose the server your API key is sent to\. Choose a folder of your own with --data-dir/,
      );
      expect(modeOf(dir)).toBe(before);
    }
  });

  it("refuses a folder of its own whose settings, secrets or conversations are another user's", async () => {
    for (const entry of ['settings.json', 'secrets.json', 'conversations']) {
      for (const kind of ['file', 'their-link', 'link-to-theirs'] as const) {
        const dir = await folder(0o700);
        anotherUsersEntry(dir, entry, kind);
        expect(() => prepare(dir), `${entry} (${kind})`).toThrow(
          new RegExp(`its ${entry} belongs to another user \\(uid \\d+\\).*--data-dir`),
        );
      }
    }
  });

  it("refuses a folder others can write to when it is not clearly Deskmate's, and leaves its mode", async () => {
    const unrelated = await folder(0o777, ['photo.jpg']);
    expect(() => prepare(unrelated)).toThrow(expect.objectContaining({ name: 'DataDirUnusable' }));
    expect(() => prepare(unrelated)).toThrow(
      /other users can write to it \(mode 0777\) and it does not look like a Deskmate data folder.*choose the server your API key is sent to.*--data-dir.*chmod 700/,
    );
    expect(modeOf(unrelated)).toBe(0o777);

    // Writable by its group is writable by others too.
    const groupWritable = await folder(0o775, ['photo.jpg']);
    expect(() => prepare(groupWritable)).toThrow(/other users can write to it \(mode 0775\)/);
    expect(modeOf(groupWritable)).toBe(0o775);

    // A shared folder like /tmp, even an empty one: anyone may put a settings.json there.
    const shared = await folder(0o1777);
    expect(() => prepare(shared)).toThrow(/mode 0777\) and it is a shared folder/);
    expect(modeOf(shared)).toBe(0o1777);

    // The user's home, when it is open to writing.
    const home = await folder(0o777, ['.bashrc']);
    expect(() => prepare(home, { home })).toThrow(/and it is your home folder/);
    expect(modeOf(home)).toBe(0o777);
  });

  it('refuses a path that is not a folder, by name', async () => {
    const file = path.join(await tempDir('deskmate-private-'), 'data');
    writeFileSync(file, 'not a folder');
    expect(() => prepare(file)).toThrow(expect.objectContaining({ name: 'DataDirUnusable' }));
    expect(() => prepare(file)).toThrow(/is not a folder/);
  });

  it('refuses, with a clear reason, a path it cannot look at or a link to nowhere, creating nothing', async () => {
    const base = await tempDir('deskmate-private-');
    writeFileSync(path.join(base, 'file'), 'x');
    const underAFile = path.join(base, 'file', 'data');
    expect(() => prepare(underAFile)).toThrow(
      expect.objectContaining({ name: 'DataDirUnusable', data: { dir: underAFile } }),
    );
    expect(() => prepare(underAFile)).toThrow(/^Cannot use .*file\/data as the data folder: .*ENOTDIR/);

    const loop = path.join(base, 'loop');
    symlinkSync(loop, loop);
    expect(() => prepare(loop)).toThrow(/^Cannot use .*loop as the data folder: .*ELOOP/);

    const dangling = path.join(base, 'dangling');
    symlinkSync(path.join(base, 'nowhere'), dangling);
    expect(() => prepare(dangling)).toThrow(
      expect.objectContaining({ name: 'DataDirUnusable', data: { dir: dangling } }),
    );
    expect(() => prepare(dangling)).toThrow(
      /dangling as the data folder: it is a link to a folder that does not exist\./,
    );
    expect(readdirSync(base).sort()).toEqual(['dangling', 'file', 'loop']);
  });

  it("is tightened when it is inside the user's home (~/.deskmate), a home that need not exist", async () => {
    const home = await folder(0o755, ['.bashrc']);
    const dir = path.join(home, '.deskmate');
    mkdirSync(dir);
    chmodSync(dir, 0o755);
    expect(prepare(dir, { home }).state).toBe('tightened');
    expect(modeOf(dir)).toBe(0o700);
    expect(modeOf(home)).toBe(0o755);

    const elsewhere = await folder(0o755, ['settings.json']);
    expect(prepare(elsewhere, { home: path.join(home, 'no', 'such', 'home') }).state).toBe('tightened');
  });

  it("is left open, saying why, when it holds the user's home even if it looks like Deskmate's", async () => {
    const parent = await folder(0o755, ['settings.json']);
    const home = path.join(parent, 'me');
    mkdirSync(home);
    expect(prepare(parent, { home })).toEqual({
      state: 'left-open',
      warnings: [
        expect.stringMatching(/mode 0755\) and is your home folder or holds it, so its permissions/),
      ],
    });
    expect(modeOf(parent)).toBe(0o755);
    // A home whose name merely starts with two dots is still inside.
    const dotted = await folder(0o755, ['settings.json']);
    mkdirSync(path.join(dotted, '..me'));
    expect(prepare(dotted, { home: path.join(dotted, '..me') }).state).toBe('left-open');
  });

  it('is taken as private on Windows, which has no POSIX modes to tighten', async () => {
    const dir = await folder(0o777, ['photo.jpg']);
    const platform = Object.getOwnPropertyDescriptor(process, 'platform')!;
    Object.defineProperty(process, 'platform', { ...platform, value: 'win32' });
    try {
      expect(prepare(dir)).toEqual({ state: 'private', warnings: [] });
    } finally {
      Object.defineProperty(process, 'platform', platform);
    }
    expect(modeOf(dir)).toBe(0o777);
  });

  // A umask that takes the owner's own bits (0277) would leave mkdir's folder 0500: unwritable by
  // Deskmate itself. Set in a process of its own: a worker thread may not change the umask.
  it("is created 0700 under a umask that would take its owner's bits", async () => {
    const dir = path.join(await tempDir('deskmate-private-'), 'data');
    const script = [
      'process.umask(0o277);',
      `const { preparePrivateDataDir } = await import(${JSON.stringify(path.join(import.meta.dirname, 'private-data-dir.ts'))});`,
      `console.log(preparePrivateDataDir(${JSON.stringify(dir)}, () => {}));`,
    ].join('\n');
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    expect(out.trim()).toBe('created');
    expect(modeOf(dir)).toBe(0o700);
  });
});
