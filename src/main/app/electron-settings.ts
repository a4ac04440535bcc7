import Store from 'electron-store';
import type { SettingsBackend } from '../engine/config/user-settings';
import { PRIVATE_FILE_MODE } from '../engine/private-data-dir';

export function openElectronStoreBackend(options: { cwd: string; name: string }): SettingsBackend {
  // 0600: settings, window state and the keyring's ciphertext are the user's alone.
  const store = new Store<Record<string, unknown>>({
    cwd: options.cwd,
    name: options.name,
    configFileMode: PRIVATE_FILE_MODE,
  });
  return {
    path: store.path,
    get: (key) => store.get(key),
    set: (key, value) => store.set(key, value),
    delete: (key) => store.delete(key),
  };
}
