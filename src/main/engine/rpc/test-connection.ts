import type { EffectiveConfig } from '../../../shared/config';
import { NamedError } from '../../../shared/errors';
import { Provider } from '../llm/provider';

function sameEndpoint(a: string, b: string): boolean {
  const normal = (url: string) => {
    try {
      return new URL(url).href.replace(/\/+$/, '');
    } catch {
      return url;
    }
  };
  return normal(a) === normal(b);
}

/**
 * Lists the models of the provider the settings view is about to save. The stored key goes only to
 * the stored URL: testing another URL with it would hand the key to whoever runs that server.
 */
export async function testConnection(
  stored: EffectiveConfig,
  input: { baseUrl?: string | undefined; apiKey?: string | undefined },
  signal: AbortSignal,
): Promise<{ ok: true; models: number }> {
  const baseUrl = input.baseUrl ?? stored.provider.baseUrl;
  const withheld = input.apiKey === undefined && !sameEndpoint(baseUrl, stored.provider.baseUrl);
  const apiKey = input.apiKey ?? (withheld ? undefined : stored.provider.apiKey);
  const keyNote = `the stored API key is only sent to ${stored.provider.baseUrl}; type the key for ${baseUrl}`;
  let provider: Provider;
  try {
    provider = new Provider(
      { ...stored, provider: { baseUrl, ...(apiKey ? { apiKey } : {}) } },
      { maxRetries: 0 },
    );
  } catch (error) {
    if (withheld && error instanceof NamedError && error.name === 'ProviderNotConfigured')
      throw new NamedError('ProviderNotConfigured', `No API key for this URL: ${keyNote}`);
    throw error;
  }
  try {
    const models = await provider.listModels(signal);
    return { ok: true, models: models.length };
  } catch (error) {
    if (withheld && error instanceof NamedError && error.name === 'ProviderAuth')
      throw new NamedError('ProviderAuth', `${error.message} (${keyNote})`, error.data);
    throw error;
  }
}
