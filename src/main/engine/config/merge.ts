import type { ConfigLayer, ConfigProblem, EffectiveConfig } from '../../../shared/config';
import { DEFAULT_CONFIG } from './defaults';
import { deepFreeze } from './deep-freeze';

/**
 * Precedence, lowest first: defaults < environment < user < project < chat.
 * A later layer wins key by key. `provider` and `env` merge field by field (a project's env adds to
 * the user's); lists (`files`, `tools`) are replaced whole, never concatenated.
 */
export function mergeLayers(layers: readonly ConfigLayer[]): EffectiveConfig {
  const merged: EffectiveConfig = structuredClone(DEFAULT_CONFIG);
  for (const { values } of layers) {
    const { provider, env, ...rest } = values;
    if (provider) merged.provider = { ...merged.provider, ...provider };
    if (env) merged.env = { ...merged.env, ...env };
    Object.assign(merged, structuredClone(rest));
  }
  return deepFreeze(merged);
}

export function collectProblems(layers: readonly ConfigLayer[]): ConfigProblem[] {
  return layers.flatMap((layer) => layer.problems);
}
