import { existsSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/support/temp-dir';
import { FileSecretStore, type SecretStore } from '../engine/config/secret-store';
import {
  chooseSecretBackend,
  migrateFileSecrets,
  selectSecretStore,
  type KeyringReport,
} from './secret-backend';

describe('chooseSecretBackend: which secret backend is safe', () => {
  it.each<[KeyringReport, 'keyring' | 'file']>([
    [{ platform: 'linux', encryptionAvailable: true, linuxBackend: 'gnome_libsecret' }, 'keyring'],
    [{ platform: 'linux', encryptionAvailable: true, linuxBackend: 'kwallet' }, 'keyring'],
    [{ platform: 'linux', encryptionAvailable: true, linuxBackend: 'kwallet5' }, 'keyring'],
    [{ platform: 'linux', encryptionAvailable: true, linuxBackend: 'kwallet6' }, 'keyring'],
    // safeStorage says "available" with basic_text, but its password is public: not a keyring.
    [{ platform: 'linux', encryptionAvailable: true, linuxBackend: 'basic_text' }, 'file'],
    [{ platform: 'linux', encryptionAvailable: true, linuxBackend: 'unknown' }, 'file'],
    [{ platform: 'linux', encryptionAvailable: true, linuxBackend: 'some_future_backend' }, 'file'],
    [{ platform: 'linux', encryptionAvailable: true }, 'file'],
    [{ platform: 'linux', encryptionAvailable: false, linuxBackend: 'gnome_libsecret' }, 'file'],
    [{ platform: 'darwin', encryptionAvailable: true }, 'keyring'],
    [{ platform: 'win32', encryptionAvailable: true }, 'keyring'],
    [{ platform: 'darwin', encryptionAvailable: false }, 'file'],
    [{ platform: 'win32', encryptionAvailable: false }, 'file'],
  ])('%o -> %s', (report, expected) => {
    expect(chooseSecretBackend(report)).toBe(expected);
  });
});

/** Two real stores in temp folders: the 0600 file, and a second one standing in for the keyring. */
async function stores() {
  const file = new FileSecretStore(await tempDir('deskmate-file-secrets-'));
  const keyringDir = await tempDir('deskmate-keyring-');
  const keyring = new FileSecretStore(keyringDir);
  return { file, keyring, keyringDir };
}

describe('migrateFileSecrets: the key leaves the plain file once a keyring exists', () => {
  it('moves the key into the keyring and removes the file', async () => {
    const { file, keyring } = await stores();
    file.set('apiKey', 'sk-typed-without-keyring');
    expect(statSync(file.path).mode & 0o777).toBe(0o600);

    expect(migrateFileSecrets(file, keyring)).toEqual({ ok: true, migrated: ['apiKey'], fileRemoved: true });
    expect(keyring.get('apiKey')).toBe('sk-typed-without-keyring');
    expect(existsSync(file.path)).toBe(false);
    expect(file.get('apiKey')).toBeUndefined();
  });

  it('the file wins over an older key in the keyring: it is what the user typed last', async () => {
    const { file, keyring } = await stores();
    keyring.set('apiKey', 'sk-old');
    file.set('apiKey', 'sk-new');
    migrateFileSecrets(file, keyring);
    expect(keyring.get('apiKey')).toBe('sk-new');
  });

  it('without a file there is nothing to do, and the keyring keeps its key', async () => {
    const { file, keyring } = await stores();
    keyring.set('apiKey', 'sk-keyring');
    expect(migrateFileSecrets(file, keyring)).toEqual({ ok: true, migrated: [], fileRemoved: false });
    expect(keyring.get('apiKey')).toBe('sk-keyring');
  });

  it('an emptied file (the key was cleared) is removed too', async () => {
    const { file, keyring } = await stores();
    file.set('apiKey', 'sk-x');
    file.set('apiKey', undefined);
    expect(migrateFileSecrets(file, keyring)).toMatchObject({ ok: true, fileRemoved: true });
    expect(existsSync(file.path)).toBe(false);
  });

  it('a keyring that cannot store leaves the file, and the key, as they were', async () => {
    const { file } = await stores();
    file.set('apiKey', 'sk-keep');
    const broken = new FileSecretStore(path.join(await tempDir(), 'no', 'such', 'folder'));
    const outcome = migrateFileSecrets(file, broken);
    expect(outcome).toMatchObject({ ok: false, reason: expect.stringContaining('ENOENT') });
    expect(file.get('apiKey')).toBe('sk-keep');
  });

  it('a keyring that does not give the key back (cannot decrypt) leaves the file as it was', async () => {
    const { file } = await stores();
    file.set('apiKey', 'sk-keep');
    const forgetful: SecretStore = { storage: 'keyring', get: () => undefined, set: () => undefined };
    expect(migrateFileSecrets(file, forgetful)).toMatchObject({
      ok: false,
      reason: 'the keyring did not give back the apiKey just stored',
    });
    expect(file.get('apiKey')).toBe('sk-keep');
  });

  it('something in the file that is not a key is left there; the keys go', async () => {
    const { file, keyring } = await stores();
    await writeFile(file.path, JSON.stringify({ apiKey: 'sk-1', other: { nested: true } }), { mode: 0o600 });
    expect(migrateFileSecrets(file, keyring)).toEqual({ ok: true, migrated: ['apiKey'], fileRemoved: false });
    expect(keyring.get('apiKey')).toBe('sk-1');
    expect(file.get('apiKey')).toBeUndefined();
  });

  it('a file that is not JSON is left alone', async () => {
    const { file, keyring } = await stores();
    await writeFile(file.path, 'not json', { mode: 0o600 });
    expect(migrateFileSecrets(file, keyring)).toEqual({ ok: true, migrated: [], fileRemoved: false });
    expect(existsSync(file.path)).toBe(true);
  });

  it.each(['["sk-in-a-list"]', 'null', '"sk-bare"', '42'])(
    'a file holding JSON that is no table of keys (%s) is left alone',
    async (text) => {
      const { file, keyring } = await stores();
      await writeFile(file.path, text, { mode: 0o600 });
      expect(migrateFileSecrets(file, keyring)).toEqual({ ok: true, migrated: [], fileRemoved: false });
      expect(existsSync(file.path)).toBe(true);
      expect(keyring.get('0')).toBeUndefined();
    },
  );
});

describe('selectSecretStore: what the app stores keys in', () => {
  const linux = (linuxBackend: string): KeyringReport => ({
    platform: 'linux',
    encryptionAvailable: true,
    linuxBackend,
  });

  it('basic_text: the 0600 file, and the keyring is never opened', async () => {
    const { file } = await stores();
    const warnings: string[] = [];
    const store = selectSecretStore({
      report: linux('basic_text'),
      file,
      openKeyring: () => {
        throw new Error('the keyring must not be used');
      },
      warn: (message) => warnings.push(message),
    });
    expect(store).toBe(file);
    expect(store.storage).toBe('file');
    expect(warnings.join('\n')).toMatch(/unencrypted.*basic_text/);
  });

  it('says why the key stays in the file, and where that file is', async () => {
    const cases: [KeyringReport, string][] = [
      [
        { platform: 'linux', encryptionAvailable: true, linuxBackend: 'basic_text' },
        'the basic_text backend is no keyring',
      ],
      [{ platform: 'linux', encryptionAvailable: true }, 'the unknown backend is no keyring'],
      [{ platform: 'darwin', encryptionAvailable: false }, 'no OS encryption'],
    ];
    for (const [report, why] of cases) {
      const { file } = await stores();
      const warnings: string[] = [];
      selectSecretStore({ report, file, openKeyring: () => file, warn: (message) => warnings.push(message) });
      expect(warnings).toEqual([
        `API keys are kept unencrypted in ${file.path}, readable only by you (${why})`,
      ]);
    }
  });

  it('a real keyring: the key typed earlier moves there and the file is gone', async () => {
    const { file, keyring } = await stores();
    file.set('apiKey', 'sk-typed-earlier');
    const store = selectSecretStore({
      report: linux('gnome_libsecret'),
      file,
      openKeyring: () => keyring,
      warn: () => {},
    });
    expect(store).toBe(keyring);
    expect(store.get('apiKey')).toBe('sk-typed-earlier');
    expect(existsSync(file.path)).toBe(false);
  });

  it('a keyring that fails: the file stays in use, and the user is told', async () => {
    const { file } = await stores();
    file.set('apiKey', 'sk-keep');
    const warnings: string[] = [];
    const broken = new FileSecretStore(path.join(await tempDir(), 'missing'));
    const store = selectSecretStore({
      report: { platform: 'darwin', encryptionAvailable: true },
      file,
      openKeyring: () => broken,
      warn: (message) => warnings.push(message),
    });
    expect(store).toBe(file);
    expect(store.get('apiKey')).toBe('sk-keep');
    expect(warnings.join('\n')).toMatch(/could not move the API key/);
  });
});
