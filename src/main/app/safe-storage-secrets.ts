import { safeStorage } from 'electron';
import type { SecretStore } from '../engine/config/secret-store';
import { FileSecretStore } from '../engine/config/secret-store';
import type { SettingsBackend } from '../engine/config/user-settings';
import { openElectronStoreBackend } from './electron-settings';
import { selectSecretStore } from './secret-backend';

/**
 * The API key's store: encrypted by the OS keyring (safeStorage) when it is a real one, else the
 * 0600 secrets.json the other hosts use. secret-backend.ts makes the choice and moves a key out
 * of the file once a keyring exists; this only asks safeStorage. Call after the app is ready.
 */
export function openSecretStore(dataDir: string): SecretStore {
  return selectSecretStore({
    report: {
      platform: process.platform,
      encryptionAvailable: safeStorage.isEncryptionAvailable(),
      ...(process.platform === 'linux' ? { linuxBackend: safeStorage.getSelectedStorageBackend() } : {}),
    },
    file: new FileSecretStore(dataDir),
    // Ciphertext in a file of its own, so removing the plain secrets.json never takes it along.
    openKeyring: () => keyringStore(openElectronStoreBackend({ cwd: dataDir, name: 'keyring' })),
    warn: (message) => console.warn(`deskmate: ${message}`),
  });
}

function keyringStore(backend: SettingsBackend): SecretStore {
  const key = (name: string) => `secrets.${name}`;
  return {
    storage: 'keyring',
    get(name) {
      const stored = backend.get(key(name));
      if (typeof stored !== 'string') return undefined;
      try {
        return safeStorage.decryptString(Buffer.from(stored, 'base64'));
      } catch {
        return undefined; // encrypted under another OS user or keychain: ask for the key again
      }
    },
    set(name, value) {
      if (value === undefined) backend.delete(key(name));
      else backend.set(key(name), safeStorage.encryptString(value).toString('base64'));
    },
  };
}
