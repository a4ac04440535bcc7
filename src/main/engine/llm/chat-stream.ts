import type OpenAI from 'openai';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import type { Usage } from '../../../shared/domain';
import { NamedError } from '../../../shared/errors';

export interface StreamedToolCall {
  id: string;
  name: string;
  /** The raw JSON text the model produced; parsed (and checked) by the turn loop. */
  arguments: string;
}

export interface StreamResult {
  text: string;
  toolCalls: StreamedToolCall[];
  usage?: Usage;
  finishReason: string;
}

export interface StreamRequest {
  model: string;
  messages: ChatCompletionMessageParam[];
  tools: ChatCompletionTool[];
  temperature?: number;
  signal: AbortSignal;
  /** Fails the stream when no chunk arrives for this long. */
  idleTimeoutMs: number;
  onText(delta: string): void;
}

/**
 * One streamed completion: text deltas go out as they come, tool-call deltas are stitched by
 * index. A stream that ends without a finish reason was dropped, and says so.
 */
export async function streamChat(client: OpenAI, request: StreamRequest): Promise<StreamResult> {
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
  let text = '';
  const calls: Array<{ id: string; name: string; arguments: string }> = [];
  let usage: Usage | undefined;
  let finishReason: string | undefined;
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
        usage = { promptTokens: chunk.usage.prompt_tokens, completionTokens: chunk.usage.completion_tokens };
      }
      const choice = chunk.choices[0];
      if (!choice) continue;
      const delta = choice.delta;
      if (delta?.content) {
        text += delta.content;
        request.onText(delta.content);
      }
      // Stryker disable next-line ArrayDeclaration: a string part has no index, so it lands beside the calls, never among them
      for (const part of delta?.tool_calls ?? []) {
        const call = (calls[part.index] ??= { id: '', name: '', arguments: '' });
        if (part.id) call.id = part.id;
        if (part.function?.name) call.name += part.function.name;
        if (part.function?.arguments) call.arguments += part.function.arguments;
      }
      if (choice.finish_reason) finishReason = choice.finish_reason;
    }
  } catch (error) {
    if (idle.signal.aborted) throw Object.assign(idle.signal.reason as object, { partialText: text });
    if (request.signal.aborted) throw Object.assign(request.signal.reason as object, { partialText: text });
    throw Object.assign(error as object, { partialText: text });
  } finally {
    clearTimeout(timer);
  }
  // Interrupted: the text so far travels with the reason, for the turn to keep.
  if (request.signal.aborted) throw Object.assign(request.signal.reason as object, { partialText: text });
  // The SDK ends an aborted stream quietly: a stall mid-reply is a timeout, not a dropped stream.
  if (idle.signal.aborted) throw Object.assign(idle.signal.reason as object, { partialText: text });
  if (finishReason === undefined) {
    throw Object.assign(
      new NamedError('StreamDropped', 'The provider closed the stream before the reply was complete.'),
      {
        partialText: text,
      },
    );
  }
  return {
    text,
    toolCalls: calls.filter(Boolean).map((call, index) => ({ ...call, id: call.id || `call_${index}` })),
    ...(usage ? { usage } : {}),
    finishReason,
  };
}
