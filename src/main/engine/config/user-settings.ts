import { sameEndpoint } from '../../../shared/endpoint';
import {
  userConfigSchema,
  type ConfigLayer,
  type ConfigProblem,
  type UserConfig,
} from '../../../shared/config';
import { toDisposable, type Disposable } from '../base/disposable';
import { sanitizeLayer } from './sanitize';
import type { KeyStorage, SecretStore } from './secret-store';

/** The key-value file behind user settings: `conf` in Node hosts, electron-store (built on conf) in Electron. */
export interface SettingsBackend {
  readonly path: string;
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
}

const CONFIG_KEY = 'config';
const API_KEY_SECRET = 'apiKey';
const RECENT_KEY = 'recentWorkspaces';
const MAX_RECENT = 10;
const TRUST_KEY = 'trustedFolders';

/** A folder the user trusted, with the fingerprint of exactly what its project files asked for then. */
export interface TrustRecord {
  path: string;
  fingerprint: string;
  grantedAt: string;
}

function isTrustRecord(value: unknown): value is TrustRecord {
  const record = value as Partial<TrustRecord> | null;
  return (
    typeof record === 'object' &&
    record !== null &&
    typeof record.path === 'string' &&
    typeof record.fingerprint === 'string' &&
    typeof record.grantedAt === 'string'
  );
}

/**
 * The user layer, shared by every context of one host (it is the user's own file), with change
 * notification so each context recomputes its effective config. Owned by the host, not the module.
 */
export class UserSettings {
  readonly #backend: SettingsBackend;
  readonly #openProblems: ConfigProblem[];
  readonly #secrets: SecretStore | undefined;
  readonly #listeners = new Set<(layer: ConfigLayer) => void>();
  #layer: ConfigLayer;
  #trusted: TrustRecord[] | undefined;

  /** With a secret store, the API key is kept there and never written to the settings file. */
  constructor(backend: SettingsBackend, openProblems: ConfigProblem[] = [], secrets?: SecretStore) {
    this.#backend = backend;
    this.#openProblems = openProblems;
    this.#secrets = secrets;
    this.#layer = this.#read();
  }

  get path(): string {
    return this.#backend.path;
  }

  /** How a stored API key is protected; `file` without a secret store (tests) too. */
  get keyStorage(): KeyStorage {
    return this.#secrets?.storage ?? 'file';
  }

  get listenerCount(): number {
    return this.#listeners.size;
  }

  layer(): ConfigLayer {
    return this.#layer;
  }

  update(values: UserConfig, unset: readonly string[] = []): ConfigLayer {
    const current: Record<string, unknown> = { ...this.#layer.values };
    for (const key of unset) delete current[key];
    const next: Record<string, unknown> = { ...current, ...values };
    const before = this.#layer.values.provider;
    if (values.provider && before) {
      next.provider = { ...before, ...values.provider };
    }
    // A key belongs to the URL it was saved with: pointing the provider elsewhere without typing a
    // key forgets the old one, or the next request would hand it to the new server.
    const newUrl = values.provider?.baseUrl;
    const moved = newUrl !== undefined && !(before?.baseUrl && sameEndpoint(before.baseUrl, newUrl));
    const forgetKey = unset.includes('provider') || (moved && values.provider?.apiKey === undefined);
    if (forgetKey && next.provider) {
      const { apiKey: _forgotten, ...rest } = next.provider as NonNullable<UserConfig['provider']>;
      next.provider = rest;
    }
    if (this.#secrets) {
      const provider = next.provider as UserConfig['provider'];
      if (forgetKey) this.#secrets.set(API_KEY_SECRET, undefined);
      if (provider?.apiKey !== undefined) this.#secrets.set(API_KEY_SECRET, provider.apiKey);
      if (provider) {
        const { apiKey: _kept, ...rest } = provider;
        next.provider = rest;
      }
    }
    this.#backend.set(CONFIG_KEY, next);
    this.#layer = this.#read();
    for (const listener of [...this.#listeners]) listener(this.#layer);
    return this.#layer;
  }

  recentWorkspaces(): string[] {
    const stored = this.#backend.get(RECENT_KEY);
    return Array.isArray(stored)
      ? stored.filter((item): item is string => typeof item === 'string').slice(0, MAX_RECENT)
      : [];
  }

  addRecentWorkspace(folder: string): void {
    const next = [folder, ...this.recentWorkspaces().filter((item) => item !== folder)].slice(0, MAX_RECENT);
    this.#backend.set(RECENT_KEY, next);
  }

  /** Trusted folders, kept apart from the config layer: no project or chat layer can set them. */
  trustedFolders(): TrustRecord[] {
    // Read once, like the layer: every context asks on every recompute.
    this.#trusted ??= this.#readTrust();
    return [...this.#trusted];
  }

  #readTrust(): TrustRecord[] {
    const stored = this.#backend.get(TRUST_KEY);
    return Array.isArray(stored) ? stored.filter(isTrustRecord) : [];
  }

  trustOf(folder: string): TrustRecord | undefined {
    return this.trustedFolders().find((record) => record.path === folder);
  }

  /** Trusts `folder` for exactly the request with this fingerprint, or revokes it (undefined). */
  setTrust(folder: string, fingerprint: string | undefined, now: Date = new Date()): boolean {
    const all = this.trustedFolders();
    const others = all.filter((record) => record.path !== folder);
    const had = others.length !== all.length;
    const next =
      fingerprint === undefined
        ? others
        : [...others, { path: folder, fingerprint, grantedAt: now.toISOString() }];
    if (fingerprint === undefined && !had) return false;
    this.#backend.set(TRUST_KEY, next);
    this.#trusted = next;
    for (const listener of [...this.#listeners]) listener(this.#layer);
    return true;
  }

  onDidChange(listener: (layer: ConfigLayer) => void): Disposable {
    this.#listeners.add(listener);
    return toDisposable(() => this.#listeners.delete(listener));
  }

  #read(): ConfigLayer {
    const stored = this.#backend.get(CONFIG_KEY) ?? {};
    const apiKey = this.#secrets?.get(API_KEY_SECRET);
    const raw =
      apiKey && typeof stored === 'object' && stored !== null && !Array.isArray(stored)
        ? { ...stored, provider: { ...((stored as { provider?: object }).provider ?? {}), apiKey } }
        : stored;
    const secretProblem = this.#secrets?.problem;
    return sanitizeLayer(userConfigSchema, raw, {
      source: 'user',
      path: this.#backend.path,
      problems: secretProblem ? [...this.#openProblems, { message: secretProblem }] : this.#openProblems,
    });
  }
}
