import { TOOL_NAMES, type ConfigLayer, type EffectiveConfig } from '../../../shared/config';
import { deepFreeze } from '../base/deep-freeze';

export const DEFAULT_CONFIG: EffectiveConfig = deepFreeze({
  provider: { baseUrl: 'https://api.openai.com/v1' },
  model: 'gpt-4.1-mini',
  prompt: '',
  env: {},
  tools: [...TOOL_NAMES],
  autoApprove: 0,
  maxSteps: 30,
  requestTimeoutMs: 60_000,
  shellTimeoutMs: 120_000,
});

export function defaultsLayer(): ConfigLayer {
  return deepFreeze({ source: 'defaults', values: structuredClone(DEFAULT_CONFIG), problems: [] });
}
