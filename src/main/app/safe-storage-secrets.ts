import { safeStorage } from 'electron';
import type { SecretStore } from '../engine/config/secret-store';
import { FileSecretStore } from '../engine/config/secret-store';
import type { SettingsBackend } from '../engine/config/user-settings';

/**
 * API keys encrypted with the OS keychain (safeStorage) and kept, as ciphertext, in the settings
 * store. Where the OS offers no encryption (some Linux sessions), falls back to a 0600 file.
 */
export function openSecretStore(backend: SettingsBackend, dataDir: string): SecretStore {
  if (!safeStorage.isEncryptionAvailable()) {
    console.warn('deskmate: OS encryption unavailable; API keys are kept in a file only you can read');
    return new FileSecretStore(dataDir);
  }
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
