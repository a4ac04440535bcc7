import type { ConfigLayer } from '../../../shared/config';
import { defaultsLayer } from '../config/defaults';
import { environmentLayer, type EnvironmentVariables } from '../config/environment-layer';
import { toolBaseEnvironment } from '../config/tool-environment';
import type { UserSettings } from '../config/user-settings';
import { ConversationStore } from '../conversation-store/conversation-store';
import { ALL_TOOLS } from '../tools/all-tools';
import type { Tool } from '../tools/tool';
import { ConversationOwners } from './conversation-owners';

/**
 * What every context of one host shares: where data lives, the fixed lower config layers and the
 * user's settings. Built once by the host and passed down; the engine keeps nothing at module level.
 */
export interface EngineServices {
  readonly dataDir: string;
  readonly defaults: ConfigLayer;
  readonly environment: ConfigLayer;
  readonly settings: UserSettings;
  readonly conversations: ConversationStore;
  readonly owners: ConversationOwners;
  readonly tools: readonly Tool[];
  /** The environment tools start from: the host's own, read once, without secrets (toolBaseEnvironment). */
  readonly baseEnv: Readonly<Record<string, string>>;
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
    conversations: new ConversationStore(options.dataDir),
    owners: new ConversationOwners(),
    tools: ALL_TOOLS,
    baseEnv: toolBaseEnvironment(options.env),
  });
}
