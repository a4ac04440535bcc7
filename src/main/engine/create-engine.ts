// The one place a host gets its engine: Electron, `npm run serve` and the CLI each call this with
// what only they know (where data lives, how settings and keys are stored, what a window can do)
// and keep nothing of the engine's assembly to themselves, so the three cannot drift apart.
import { openConfBackend } from './config/conf-backend';
import type { EnvironmentVariables } from './config/environment-layer';
import { openUserSettings } from './config/open-settings';
import { FileSecretStore, type SecretStore } from './config/secret-store';
import type { SettingsBackend, UserSettings } from './config/user-settings';
import { ContextRegistry } from './context/context-registry';
import { createEngineServices, type EngineServices } from './context/engine-services';
import type { Disposable } from './base/disposable';
import { createEngineHandlers, type HostHooks } from './rpc/engine-handlers';
import { Router } from './rpc/router';

export interface EngineOptions {
  /** The data folder, already made private (preparePrivateDataDir): each host says in its own way why it cannot be. */
  readonly dataDir: string;
  /** The host's environment, read once: the environment config layer and the tools' base environment. */
  readonly env: EnvironmentVariables;
  /** How settings.json is kept: electron-store in Electron; conf, the same file format, elsewhere. */
  readonly openSettings?: (options: { cwd: string; name: string }) => SettingsBackend;
  /** Where API keys live: the OS keyring in Electron; a 0600 secrets.json in the data folder elsewhere. */
  readonly secrets?: SecretStore;
  /** What only this host can do (a folder dialog, windows); a browser tab and the CLI have none. */
  readonly hooks?: HostHooks;
  /** Told of each problem with the settings file (one that could not be read is moved aside). */
  readonly warn?: (message: string) => void;
}

export interface Engine extends Disposable {
  readonly settings: UserSettings;
  readonly services: EngineServices;
  /** Each client's context: the host creates one per window, tab or CLI run, and releases it. */
  readonly registry: ContextRegistry;
  /** Every request of every client goes through here, validated against the contract. */
  readonly router: Router;
  /** The environment every tool process starts from: the host's, without secrets or shell hooks. */
  readonly baseEnv: Readonly<Record<string, string>>;
}

export function createEngine(options: EngineOptions): Engine {
  const { dataDir, env } = options;
  // The keys live in their own store, so settings.json never holds one, even encrypted.
  const secrets = options.secrets ?? new FileSecretStore(dataDir);
  const settings = openUserSettings(dataDir, options.openSettings ?? openConfBackend, secrets);
  for (const problem of settings.layer().problems) options.warn?.(`settings: ${problem.message}`);
  const services = createEngineServices({ dataDir, env, settings });
  const registry = new ContextRegistry(services);
  const router = new Router(registry, createEngineHandlers(registry, options.hooks));
  return Object.freeze({
    settings,
    services,
    registry,
    router,
    baseEnv: services.baseEnv,
    // Every context: its turn, its shell's process group, its settings listener, its conversation.
    dispose: () => registry.dispose(),
  });
}
