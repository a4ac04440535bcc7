import { chmodSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { hasErrorCode } from '../base/fs/fs-errors';

export type KeyStorage = 'keyring' | 'file';

/** Where API keys live, apart from the settings file a user might share or sync. */
export interface SecretStore {
  /** `keyring`: encrypted by the OS keyring. `file`: plain text in a file only the user can read. */
  readonly storage: KeyStorage;
  /** Why stored keys cannot be read, for the user to see beside the settings; undefined when they can. */
  readonly problem?: string | undefined;
  get(name: string): string | undefined;
  set(name: string, value: string | undefined): void;
}

type FileRead = { ok: true; entries: Record<string, unknown> } | { ok: false; reason: string };

/**
 * For the headless host and the CLI: a JSON file only the user can read (0600), written through a
 * temp file and rename so a crash never leaves half a key. A file it cannot read (edited by hand,
 * say) is never overwritten: saving a key first moves it aside, like a broken settings.json.
 */
export class FileSecretStore implements SecretStore {
  readonly storage = 'file';
  readonly path: string;
  readonly #now: () => Date;
  #keptAs: string | undefined;

  constructor(dataDir: string, now: () => Date = () => new Date()) {
    this.path = path.join(dataDir, 'secrets.json');
    this.#now = now;
  }

  get problem(): string | undefined {
    if (this.#keptAs) return `${this.path} could not be read; it was kept as ${this.#keptAs}`;
    const read = this.#read();
    return read.ok
      ? undefined
      : `${this.path} could not be read (${read.reason}); its API key is not used, and the file is kept ` +
          'aside when a key is saved';
  }

  get(name: string): string | undefined {
    const read = this.#read();
    const value = read.ok ? read.entries[name] : undefined;
    return typeof value === 'string' ? value : undefined;
  }

  set(name: string, value: string | undefined): void {
    const read = this.#read();
    if (!read.ok) {
      const aside = `${this.path}.broken-${this.#now().toISOString().replace(/[:.]/g, '-')}`;
      renameSync(this.path, aside);
      this.#keptAs = aside;
    }
    const next = read.ok ? { ...read.entries } : {};
    if (value === undefined) delete next[name];
    else next[name] = value;
    const temp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(next, null, 2), { mode: 0o600 });
    // The mode above applies only to a file it creates: one left by a crash keeps its own.
    chmodSync(temp, 0o600);
    renameSync(temp, this.path);
  }

  #read(): FileRead {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if (hasErrorCode(error, 'ENOENT')) return { ok: true, entries: {} };
      return { ok: false, reason: error instanceof Error ? error.message : String(error) };
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      return { ok: false, reason: (error as Error).message };
    }
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? { ok: true, entries: parsed as Record<string, unknown> }
      : { ok: false, reason: 'it holds no JSON object' };
  }
}
