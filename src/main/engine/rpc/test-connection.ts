import type { EffectiveConfig } from '../../../shared/config';
import { sameEndpoint } from '../../../shared/endpoint';
import { NamedError } from '../../../shared/errors';
import { Provider } from '../llm/provider';

/** Enough for any real provider's list, small enough for one answer. */
const MAX_LISTED = 2_000;

/**
 * Lists the models of the provider the settings view is about to save. The stored key goes only to
 * the stored URL: testing another URL with it would hand the key to whoever runs that server.
 */
export async function testConnection(
  stored: EffectiveConfig,
  input: { baseUrl?: string | undefined; apiKey?: string | undefined; list?: boolean | undefined },
  signal: AbortSignal,
): Promise<{ ok: true; models: number; ids?: string[] }> {
  const baseUrl = input.baseUrl ?? stored.provider.baseUrl;
  const withheld = input.apiKey === undefined && !sameEndpoint(baseUrl, stored.provider.baseUrl);
  const apiKey = input.apiKey ?? (withheld ? undefined : stored.provider.apiKey);
  const withheldNote = `No API key was sent to ${baseUrl}: the stored key only goes to ${stored.provider.baseUrl}. Type the key for ${baseUrl} to test it.`;
  let provider: Provider;
  try {
    provider = new Provider(
      { ...stored, provider: { baseUrl, ...(apiKey ? { apiKey } : {}) } },
      { maxRetries: 0 },
    );
  } catch (error) {
    if (
      withheld &&
      error instanceof NamedError &&
      // Stryker disable next-line ConditionalExpression: the constructor throws no other named error
      error.name === 'ProviderNotConfigured'
    )
      throw new NamedError('ProviderNotConfigured', withheldNote);
    throw error;
  }
  try {
    const models = await provider.listModels(signal);
    return {
      ok: true,
      models: models.length,
      ...(input.list ? { ids: models.slice(0, MAX_LISTED).map((m) => m.id) } : {}),
    };
  } catch (error) {
    if (withheld && error instanceof NamedError && error.name === 'ProviderAuth')
      throw new NamedError('ProviderAuth', `${baseUrl} asks for an API key. ${withheldNote}`, error.data);
    throw error;
  }
}
