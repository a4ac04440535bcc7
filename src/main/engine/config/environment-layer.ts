import { configValuesSchema, type ConfigLayer } from '../../../shared/config';
import { sanitizeLayer } from './sanitize';

export type EnvironmentVariables = Readonly<Record<string, string | undefined>>;

/** Reads the provider and model from the environment the host was started with. Read, never written. */
export function environmentLayer(env: EnvironmentVariables): ConfigLayer {
  const raw: Record<string, unknown> = {};
  const provider: Record<string, string> = {};
  if (env.OPENAI_API_KEY) provider.apiKey = env.OPENAI_API_KEY;
  if (env.OPENAI_BASE_URL) provider.baseUrl = env.OPENAI_BASE_URL;
  if (Object.keys(provider).length > 0) raw.provider = provider;
  if (env.DESKMATE_MODEL) raw.model = env.DESKMATE_MODEL;
  return sanitizeLayer(configValuesSchema, raw, { source: 'environment' });
}
