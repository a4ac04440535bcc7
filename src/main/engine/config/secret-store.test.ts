import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { usePermissiveUmask } from '../../../../test/support/permissive-umask';
import { tempDir } from '../../../../test/support/temp-dir';
import { openConfBackend } from './conf-backend';
import { openUserSettings } from './open-settings';
import { FileSecretStore } from './secret-store';

usePermissiveUmask();

const NOW = () => new Date('2026-03-04T05:06:07.089Z');
const ASIDE = 'secrets.json.broken-2026-03-04T05-06-07-089Z';
const modeOf = (file: string) => statSync(file).mode & 0o777;

describe('the API key file', () => {
  it('keeps keys by name across instances, in secrets.json, only the user can read it', async () => {
    const dir = await tempDir();
    const store = new FileSecretStore(dir);
    expect(store.storage).toBe('file');
    expect(store.path).toBe(path.join(dir, 'secrets.json'));
    expect(store.get('apiKey')).toBeUndefined();
    store.set('apiKey', 'sk-one');
    store.set('other', 'sk-two');
    const reopened = new FileSecretStore(dir);
    expect(reopened.get('apiKey')).toBe('sk-one');
    expect(reopened.get('other')).toBe('sk-two');
    expect(reopened.problem).toBeUndefined();
    expect(JSON.parse(readFileSync(store.path, 'utf8'))).toEqual({ apiKey: 'sk-one', other: 'sk-two' });
    expect(modeOf(store.path)).toBe(0o600);
    // Written through a temp file, which does not stay behind.
    expect(readdirSync(dir)).toEqual(['secrets.json']);
  });

  it('forgets a key set to undefined and keeps the others', async () => {
    const store = new FileSecretStore(await tempDir());
    store.set('apiKey', 'sk-one');
    store.set('other', 'sk-two');
    store.set('apiKey', undefined);
    expect(store.get('apiKey')).toBeUndefined();
    expect(JSON.parse(readFileSync(store.path, 'utf8'))).toEqual({ other: 'sk-two' });
  });

  it('is 0600 even when a crash left its temp file behind with a looser mode', async () => {
    const dir = await tempDir();
    const store = new FileSecretStore(dir);
    const temp = `${store.path}.${process.pid}.tmp`;
    writeFileSync(temp, 'half a key');
    chmodSync(temp, 0o644);
    store.set('apiKey', 'sk-one');
    expect(modeOf(store.path)).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['secrets.json']);
  });

  it('ignores a value that is not text', async () => {
    const dir = await tempDir();
    writeFileSync(path.join(dir, 'secrets.json'), JSON.stringify({ apiKey: 42 }));
    expect(new FileSecretStore(dir).get('apiKey')).toBeUndefined();
  });

  describe('when it cannot be read', () => {
    const broken = [
      ['broken JSON', '{ "apiKey": "sk-typed-by-hand"', /could not be read \(.*JSON/],
      ['a JSON list', '["sk-typed-by-hand"]', /could not be read \(it holds no JSON object\)/],
      ['JSON null', 'null', /could not be read \(it holds no JSON object\)/],
    ] as const;

    for (const [what, content, reason] of broken) {
      it(`(${what}) says so, and saving a key keeps the old file aside instead of overwriting it`, async () => {
        const dir = await tempDir();
        writeFileSync(path.join(dir, 'secrets.json'), content);
        const store = new FileSecretStore(dir, NOW);
        expect(store.get('apiKey')).toBeUndefined();
        expect(store.problem).toMatch(reason);
        expect(store.problem).toContain(path.join(dir, 'secrets.json'));

        store.set('apiKey', 'sk-new');
        expect(store.get('apiKey')).toBe('sk-new');
        expect(readFileSync(path.join(dir, ASIDE), 'utf8')).toBe(content);
        expect(readdirSync(dir).sort()).toEqual(['secrets.json', ASIDE]);
        expect(store.problem).toBe(
          `${path.join(dir, 'secrets.json')} could not be read; it was kept as ${path.join(dir, ASIDE)}`,
        );
      });
    }

    it('is kept aside under the time it was found, by the real clock too', async () => {
      const dir = await tempDir();
      writeFileSync(path.join(dir, 'secrets.json'), '{');
      new FileSecretStore(dir).set('apiKey', 'sk-new');
      expect(readdirSync(dir).sort()).toEqual([
        'secrets.json',
        expect.stringMatching(/^secrets\.json\.broken-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z$/),
      ]);
    });

    it('(a folder in its place) says so instead of reading no key', async () => {
      const dir = await tempDir();
      mkdirSync(path.join(dir, 'secrets.json'));
      const store = new FileSecretStore(dir, NOW);
      expect(store.get('apiKey')).toBeUndefined();
      expect(store.problem).toMatch(/could not be read \(.*EISDIR/);
    });

    it('is reported beside the user settings, and the settings themselves are kept', async () => {
      const dir = await tempDir();
      writeFileSync(path.join(dir, 'secrets.json'), '{ "apiKey": ');
      const first = openUserSettings(dir, openConfBackend, new FileSecretStore(dir, NOW));
      first.update({ model: 'kept' });
      const settings = openUserSettings(dir, openConfBackend, new FileSecretStore(dir, NOW));
      expect(settings.layer().values).toEqual({ model: 'kept' });
      expect(settings.layer().problems).toEqual([
        {
          message: expect.stringMatching(/secrets\.json could not be read .*kept aside when a key is saved/),
        },
      ]);
      settings.update({ provider: { apiKey: 'sk-new' } });
      expect(settings.layer().values.provider?.apiKey).toBe('sk-new');
      expect(readFileSync(path.join(dir, ASIDE), 'utf8')).toBe('{ "apiKey": ');
    });
  });
});
