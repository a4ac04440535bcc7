// Where Electron keeps the API key: the OS keyring when there is a real one, else the 0600 file
// the headless host and the CLI use. Plain Node: safeStorage's answers are passed in.
import { readFileSync, rmSync } from 'node:fs';
import type { KeyStorage, SecretStore } from '../engine/config/secret-store';

export interface KeyringReport {
  platform: NodeJS.Platform;
  /** safeStorage.isEncryptionAvailable() */
  encryptionAvailable: boolean;
  /** safeStorage.getSelectedStorageBackend(), Linux only (after app ready). */
  linuxBackend?: string;
}

// `basic_text` encrypts with a password written in Chromium's source: anyone who can read the file
// can decrypt it, so it is no better than the plain file and would only pretend to be. `unknown`
// (or a backend newer than this list) is not trusted either.
const LINUX_KEYRINGS: ReadonlySet<string> = new Set(['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6']);

/** `keyring` only when safeStorage is backed by a real OS keyring; `file` otherwise. */
export function chooseSecretBackend(report: KeyringReport): KeyStorage {
  if (!report.encryptionAvailable) return 'file';
  if (report.platform === 'linux') {
    // Stryker disable next-line StringLiteral: any stand-in for a missing backend is no keyring's name
    const backend = report.linuxBackend ?? '';
    return LINUX_KEYRINGS.has(backend) ? 'keyring' : 'file';
  }
  return 'keyring'; // macOS Keychain, Windows DPAPI
}

/**
 * The store the app uses: the keyring when `report` says it is real (after moving any key out of
 * the plain file into it), the 0600 file otherwise, or when the move failed.
 */
export function selectSecretStore(options: {
  report: KeyringReport;
  file: SecretStore & { readonly path: string };
  openKeyring: () => SecretStore;
  warn: (message: string) => void;
}): SecretStore {
  const { report, file, warn } = options;
  if (chooseSecretBackend(report) === 'file') {
    const why = report.encryptionAvailable
      ? `the ${report.linuxBackend ?? 'unknown'} backend is no keyring`
      : 'no OS encryption';
    warn(`API keys are kept unencrypted in ${file.path}, readable only by you (${why})`);
    return file;
  }
  const keyring = options.openKeyring();
  const outcome = migrateFileSecrets(file, keyring);
  if (!outcome.ok) {
    warn(`could not move the API key into the OS keyring (${outcome.reason}); it stays in ${file.path}`);
    return file;
  }
  return keyring;
}

export type MigrationOutcome =
  { ok: true; migrated: string[]; fileRemoved: boolean } | { ok: false; reason: string };

/**
 * Moves every key from the plain 0600 file into the keyring, then removes the file, so a key
 * typed while no keyring was available stops lying around unencrypted once one is. The file wins
 * over an older keyring entry: it holds what the user typed last. Each key is read back from the
 * keyring before anything is removed; on any failure the file is left as it was (the key keeps
 * working from it, and the next start tries again).
 */
export function migrateFileSecrets(
  file: SecretStore & { readonly path: string },
  keyring: SecretStore,
): MigrationOutcome {
  const entries = readEntries(file.path);
  if (entries === undefined) return { ok: true, migrated: [], fileRemoved: false };
  const names = Object.keys(entries).filter((name) => typeof entries[name] === 'string');
  try {
    for (const name of names) {
      const value = file.get(name)!;
      keyring.set(name, value);
      if (keyring.get(name) !== value) {
        return { ok: false, reason: `the keyring did not give back the ${name} just stored` };
      }
    }
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
  // Anything the file holds that is not a key (never written by FileSecretStore) stays; the keys go.
  if (names.length === Object.keys(entries).length) {
    // Stryker disable next-line ObjectLiteral,BooleanLiteral: the file was just read, so it exists
    rmSync(file.path, { force: true });
    return { ok: true, migrated: names, fileRemoved: true };
  }
  for (const name of names) file.set(name, undefined);
  return { ok: true, migrated: names, fileRemoved: false };
}

/** The file's top-level entries, or undefined when there is no file holding a JSON object. */
function readEntries(filePath: string): Record<string, unknown> | undefined {
  let parsed: unknown = null;
  try {
    // Stryker disable next-line StringLiteral: a Buffer parses as the same JSON text
    parsed = JSON.parse(readFileSync(filePath, 'utf8'));
  } catch {
    // No file, or not JSON: not ours to judge, left alone.
  }
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
    ? (parsed as Record<string, unknown>)
    : undefined;
}
