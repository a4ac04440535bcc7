import {
  userConfigSchema,
  type ConfigLayer,
  type ConfigProblem,
  type UserConfig,
} from '../../../shared/config';
import { toDisposable, type Disposable } from '../context/disposable';
import { sanitizeLayer } from './sanitize';

/** The key-value file behind user settings: `conf` in Node hosts, electron-store (built on conf) in Electron. */
export interface SettingsBackend {
  readonly path: string;
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
}

const CONFIG_KEY = 'config';

/**
 * The user layer, shared by every context of one host (it is the user's own file), with change
 * notification so each context recomputes its effective config. Owned by the host, not the module.
 */
export class UserSettings {
  readonly #backend: SettingsBackend;
  readonly #openProblems: ConfigProblem[];
  readonly #listeners = new Set<(layer: ConfigLayer) => void>();
  #layer: ConfigLayer;

  constructor(backend: SettingsBackend, openProblems: ConfigProblem[] = []) {
    this.#backend = backend;
    this.#openProblems = openProblems;
    this.#layer = this.#read();
  }

  get path(): string {
    return this.#backend.path;
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
    const next = { ...current, ...values };
    if (values.provider && this.#layer.values.provider) {
      next.provider = { ...this.#layer.values.provider, ...values.provider };
    }
    this.#backend.set(CONFIG_KEY, next);
    this.#layer = this.#read();
    for (const listener of [...this.#listeners]) listener(this.#layer);
    return this.#layer;
  }

  onDidChange(listener: (layer: ConfigLayer) => void): Disposable {
    this.#listeners.add(listener);
    return toDisposable(() => this.#listeners.delete(listener));
  }

  #read(): ConfigLayer {
    return sanitizeLayer(userConfigSchema, this.#backend.get(CONFIG_KEY) ?? {}, {
      source: 'user',
      path: this.#backend.path,
      problems: this.#openProblems,
    });
  }
}
