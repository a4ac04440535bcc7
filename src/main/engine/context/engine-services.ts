import type { ConfigLayer } from '../../../shared/config';
import { defaultsLayer } from '../config/defaults';
import { environmentLayer, type EnvironmentVariables } from '../config/environment-layer';
import type { UserSettings } from '../config/user-settings';

/**
 * What every context of one host shares: where data lives, the fixed lower config layers and the
 * user's settings. Built once by the host and passed down; the engine keeps nothing at module level.
 */
export interface EngineServices {
  readonly dataDir: string;
  readonly defaults: ConfigLayer;
  readonly environment: ConfigLayer;
  readonly settings: UserSettings;
}

export function createEngineServices(options: {
  dataDir: string;
  env: EnvironmentVariables;
  settings: UserSettings;
}): EngineServices {
  return Object.freeze({
    dataDir: options.dataDir,
    defaults: defaultsLayer(),
    environment: environmentLayer(options.env),
    settings: options.settings,
  });
}
