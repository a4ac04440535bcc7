import OpenAI from 'openai';
import type { EffectiveConfig } from '../../../shared/config';
import type { ModelInfo } from '../../../shared/domain';
import { NamedError } from '../../../shared/errors';
import type { LanguageModel } from './language-model';
import { OpenAiModel } from './openai-model';
import { providerError } from './provider-errors';

export interface ProviderOptions {
  /** 429 and 5xx are retried this many times with the SDK's backoff (it honours retry-after). */
  maxRetries?: number;
  idleTimeoutMs?: number;
}

const OPENAI_URL = /^https:\/\/api\.openai\.com\b/;

/**
 * A provider bound to one effective config. Every setting is passed explicitly: the SDK would
 * otherwise read OPENAI_API_KEY and OPENAI_BASE_URL from the process, bypassing the layers.
 */
export class Provider {
  readonly #client: OpenAI;
  readonly #baseUrl: string;
  readonly #idleTimeoutMs: number;

  constructor(config: Pick<EffectiveConfig, 'provider' | 'requestTimeoutMs'>, options: ProviderOptions = {}) {
    const { baseUrl, apiKey } = config.provider;
    if (!apiKey && OPENAI_URL.test(baseUrl)) {
      throw new NamedError(
        'ProviderNotConfigured',
        'No API key is set. Add one in Settings, or set OPENAI_API_KEY.',
      );
    }
    this.#baseUrl = baseUrl;
    this.#idleTimeoutMs = options.idleTimeoutMs ?? config.requestTimeoutMs;
    this.#client = new OpenAI({
      baseURL: baseUrl,
      // Local OpenAI-compatible servers often need no key, but the SDK insists on one.
      apiKey: apiKey ?? 'no-key',
      organization: null,
      project: null,
      maxRetries: options.maxRetries ?? 3,
      timeout: this.#idleTimeoutMs,
    });
  }

  /** One of this provider's models, as the agent speaks to it. */
  languageModel(choice: Pick<EffectiveConfig, 'model' | 'temperature'>): LanguageModel {
    return new OpenAiModel(this.#client, {
      model: choice.model,
      temperature: choice.temperature,
      idleTimeoutMs: this.#idleTimeoutMs,
      baseUrl: this.#baseUrl,
    });
  }

  async listModels(signal: AbortSignal): Promise<ModelInfo[]> {
    try {
      const models: ModelInfo[] = [];
      for await (const model of this.#client.models.list({ signal })) {
        models.push({ id: model.id, ...(model.owned_by ? { ownedBy: model.owned_by } : {}) });
      }
      return models.sort((a, b) => a.id.localeCompare(b.id));
    } catch (error) {
      throw providerError(error, { baseUrl: this.#baseUrl });
    }
  }
}
