import type OpenAI from 'openai';
import { streamChat } from './chat-stream';
import type { LanguageModel, ModelEvent, ModelRequest } from './language-model';
import { providerError } from './provider-errors';
import { toOpenAiMessages } from './to-openai-messages';
import { toOpenAiTools } from './to-openai-tools';

export interface OpenAiModelOptions {
  model: string;
  temperature?: number | undefined;
  idleTimeoutMs: number;
  /** Named in what the user reads when the provider fails. */
  baseUrl: string;
}

/** A model of an OpenAI-compatible provider: the agent's messages and tools in, its events out. */
export class OpenAiModel implements LanguageModel {
  readonly #client: OpenAI;
  readonly #options: OpenAiModelOptions;

  constructor(client: OpenAI, options: OpenAiModelOptions) {
    this.#client = client;
    this.#options = options;
  }

  async *stream(request: ModelRequest): AsyncGenerator<ModelEvent> {
    const { model, temperature, idleTimeoutMs, baseUrl } = this.#options;
    try {
      yield* streamChat(this.#client, {
        model,
        messages: [{ role: 'system', content: request.system }, ...toOpenAiMessages(request.messages)],
        tools: toOpenAiTools(request.tools),
        // Left out of the JSON body when undefined: the provider's default applies.
        temperature,
        signal: request.signal,
        idleTimeoutMs,
      });
    } catch (error) {
      // Stop is the user's, not the provider's failure: its reason goes on as it is.
      if (request.signal.aborted) throw error;
      throw providerError(error, { baseUrl, model });
    }
  }
}
