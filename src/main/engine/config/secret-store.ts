import { chmodSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export type KeyStorage = 'keyring' | 'file';

/** Where API keys live, apart from the settings file a user might share or sync. */
export interface SecretStore {
  /** `keyring`: encrypted by the OS keyring. `file`: plain text in a file only the user can read. */
  readonly storage: KeyStorage;
  get(name: string): string | undefined;
  set(name: string, value: string | undefined): void;
}

/**
 * For the headless host and the CLI: a JSON file only the user can read (0600), written through a
 * temp file and rename so a crash never leaves half a key.
 */
export class FileSecretStore implements SecretStore {
  readonly storage = 'file';
  readonly path: string;

  constructor(dataDir: string) {
    this.path = path.join(dataDir, 'secrets.json');
  }

  get(name: string): string | undefined {
    const value = this.#read()[name];
    return typeof value === 'string' ? value : undefined;
  }

  set(name: string, value: string | undefined): void {
    const next = { ...this.#read() };
    if (value === undefined) delete next[name];
    else next[name] = value;
    const temp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(next, null, 2), { mode: 0o600 });
    chmodSync(temp, 0o600);
    renameSync(temp, this.path);
  }

  #read(): Record<string, unknown> {
    try {
      const parsed: unknown = JSON.parse(readFileSync(this.path, 'utf8'));
      return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
        ? (parsed as Record<string, unknown>)
        : {};
    } catch {
      return {};
    }
  }
}
