import type OpenAI from 'openai';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import { NamedError } from '../../../shared/errors';
import type { ModelEvent } from './language-model';

export interface StreamRequest {
  model: string;
  messages: ChatCompletionMessageParam[];
  tools: ChatCompletionTool[];
  temperature?: number;
  signal: AbortSignal;
  /** Fails the stream when no chunk arrives for this long. */
  idleTimeoutMs: number;
}

/**
 * One streamed completion, chunk by chunk, as the agent's events: text, tool-call pieces (by
 * index), usage, finish. Stop ends it with the signal's reason, a stall with ProviderTimeout;
 * anything else is the SDK's own error, for the caller to name.
 */
export async function* streamChat(client: OpenAI, request: StreamRequest): AsyncGenerator<ModelEvent> {
  const idle = new AbortController();
  const signal = AbortSignal.any([request.signal, idle.signal]);
  // One timer per stream, re-armed lazily from the time of the last chunk: a clearTimeout +
  // setTimeout per chunk cost 1-2 µs a token, a tenth or more of the SDK's own parsing (npm run bench).
  let lastChunkAt = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const checkIdle = () => {
    const quietMs = performance.now() - lastChunkAt;
    // Stryker disable next-line EqualityOperator: at exactly the limit, the re-armed 0 ms check gives up at once
    if (quietMs < request.idleTimeoutMs) {
      timer = setTimeout(checkIdle, request.idleTimeoutMs - quietMs);
      return;
    }
    idle.abort(
      new NamedError(
        'ProviderTimeout',
        `The provider sent nothing for ${Math.round(request.idleTimeoutMs / 1000)} s; gave up.`,
      ),
    );
  };
  try {
    timer = setTimeout(checkIdle, request.idleTimeoutMs);
    const stream = await client.chat.completions.create(
      {
        model: request.model,
        messages: request.messages,
        ...(request.tools.length ? { tools: request.tools } : {}),
        // Left out of the JSON body when undefined: the provider's default applies.
        temperature: request.temperature,
        stream: true,
        stream_options: { include_usage: true },
      },
      { signal },
    );
    for await (const chunk of stream) {
      lastChunkAt = performance.now();
      if (chunk.usage) {
        yield {
          type: 'usage',
          usage: { promptTokens: chunk.usage.prompt_tokens, completionTokens: chunk.usage.completion_tokens },
        };
      }
      const choice = chunk.choices[0];
      if (!choice) continue;
      const delta = choice.delta;
      if (delta?.content) yield { type: 'text-delta', text: delta.content };
      // Stryker disable next-line ArrayDeclaration: a string part has no index, so it lands beside the calls, never among them
      for (const part of delta?.tool_calls ?? []) {
        yield {
          type: 'tool-call-delta',
          index: part.index,
          ...(part.id ? { id: part.id } : {}),
          ...(part.function?.name ? { name: part.function.name } : {}),
          ...(part.function?.arguments ? { arguments: part.function.arguments } : {}),
        };
      }
      if (choice.finish_reason) yield { type: 'finish', reason: choice.finish_reason };
    }
  } catch (error) {
    if (idle.signal.aborted) throw idle.signal.reason;
    if (request.signal.aborted) throw request.signal.reason;
    throw error;
  } finally {
    clearTimeout(timer);
  }
  // Interrupted: the reason is what ends the stream, for the turn to tell a stop from a failure.
  if (request.signal.aborted) throw request.signal.reason;
  // The SDK ends an aborted stream quietly: a stall mid-reply is a timeout, not a dropped stream.
  if (idle.signal.aborted) throw idle.signal.reason;
}
