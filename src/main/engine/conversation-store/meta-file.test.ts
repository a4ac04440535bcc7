import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { usePermissiveUmask } from '../../../../test/support/permissive-umask';
import { tempDir } from '../../../../test/support/temp-dir';
import type { ChatMeta } from './chat-meta';
import { readMetaFile, setBrokenMetaAside, writeMetaFile } from './meta-file';

usePermissiveUmask();

const META: ChatMeta = {
  name: 'Plans',
  nameSource: 'user',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-02T00:00:00.000Z',
  messageCount: 1,
  shownCount: 1,
  workspace: null,
  chat: {},
};
const NOW = new Date('2026-03-04T05:06:07.089Z');

describe('chat.json', () => {
  it('is written readable by its owner only, as indented JSON, and read back', async () => {
    const file = path.join(await tempDir(), 'chat.json');
    await writeMetaFile(file, META);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toBe(`${JSON.stringify(META, null, 2)}\n`);
    expect(await readMetaFile(file)).toEqual({ state: 'ok', meta: META });
  });

  it('is missing when there is none', async () => {
    expect(await readMetaFile(path.join(await tempDir(), 'chat.json'))).toEqual({ state: 'missing' });
  });

  it('is broken when it holds no JSON, or JSON that names no conversation', async () => {
    const dir = await tempDir();
    for (const [name, text] of [
      ['cut.json', '{ "name": "Pla'],
      ['other.json', JSON.stringify({ hello: 'world' })],
    ]) {
      writeFileSync(path.join(dir, name!), text!);
      expect(await readMetaFile(path.join(dir, name!)), name).toEqual({ state: 'broken' });
    }
  });

  it('fails loudly, not as missing, when it cannot be read at all', async () => {
    const file = path.join(await tempDir(), 'chat.json');
    mkdirSync(file);
    await expect(readMetaFile(file)).rejects.toMatchObject({ code: 'EISDIR' });
  });

  it('is kept aside under the time it was found broken before a rebuilt one replaces it', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'chat.json');
    writeFileSync(file, '{ broken');
    await setBrokenMetaAside(file, NOW);
    expect(readdirSync(dir)).toEqual(['chat.json.broken-2026-03-04T05-06-07-089Z']);
    expect(readFileSync(path.join(dir, 'chat.json.broken-2026-03-04T05-06-07-089Z'), 'utf8')).toBe(
      '{ broken',
    );
  });

  it('is nothing to keep aside when it is gone already, but a failure to move it is not hidden', async () => {
    const dir = await tempDir();
    await expect(setBrokenMetaAside(path.join(dir, 'chat.json'), NOW)).resolves.toBeUndefined();
    expect(readdirSync(dir)).toEqual([]);
    await expect(setBrokenMetaAside(path.join(dir, 'no-folder', 'chat.json'), NOW)).resolves.toBeUndefined();
    // A folder in the way of the name it would take.
    const file = path.join(dir, 'chat.json');
    writeFileSync(file, '{ broken');
    mkdirSync(path.join(dir, 'chat.json.broken-2026-03-04T05-06-07-089Z'));
    writeFileSync(path.join(dir, 'chat.json.broken-2026-03-04T05-06-07-089Z', 'x'), 'x');
    await expect(setBrokenMetaAside(file, NOW)).rejects.toMatchObject({ code: expect.stringMatching(/^E/) });
    expect(readFileSync(file, 'utf8')).toBe('{ broken');
  });
});
