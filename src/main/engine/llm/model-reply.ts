import type { Usage } from '../../../shared/domain';
import { NamedError, toErrorShape } from '../../../shared/errors';
import type { ModelEvent } from './language-model';

export interface StreamedToolCall {
  id: string;
  name: string;
  /** The raw JSON text the model produced; parsed (and checked) by the turn loop. */
  arguments: string;
}

export interface ModelReply {
  text: string;
  toolCalls: StreamedToolCall[];
  usage?: Usage;
  finishReason: string;
}

/**
 * A reply that broke part-way, under the name of what broke it (a timeout, a dropped stream, the
 * user's Stop), with the text that had arrived: an interrupted or broken reply is still the
 * user's to read.
 */
export class ProviderStreamError extends NamedError {
  override readonly cause: unknown;
  readonly partialText: string;

  constructor(cause: unknown, partialText: string) {
    const { message, data } = toErrorShape(cause);
    super(cause instanceof NamedError ? cause.name : 'Internal', message, data);
    this.cause = cause;
    this.partialText = partialText;
  }
}

/**
 * Reads a model's stream into one reply: text deltas go out as they come, tool-call pieces are
 * stitched by index. A stream that ends without a finish was dropped, and says so. Whatever ends
 * the stream early is thrown as a ProviderStreamError carrying the text so far.
 */
export async function collectReply(
  events: AsyncIterable<ModelEvent>,
  onText: (delta: string) => void,
): Promise<ModelReply> {
  let text = '';
  const calls: StreamedToolCall[] = [];
  let usage: Usage | undefined;
  let finishReason: string | undefined;
  try {
    for await (const event of events) {
      switch (event.type) {
        case 'text-delta':
          text += event.text;
          onText(event.text);
          break;
        case 'tool-call-delta': {
          const call = (calls[event.index] ??= { id: '', name: '', arguments: '' });
          if (event.id) call.id = event.id;
          if (event.name) call.name += event.name;
          if (event.arguments) call.arguments += event.arguments;
          break;
        }
        case 'usage':
          usage = event.usage;
          break;
        case 'finish':
          finishReason = event.reason;
          break;
      }
    }
    if (finishReason === undefined)
      throw new NamedError('StreamDropped', 'The provider closed the stream before the reply was complete.');
  } catch (error) {
    throw new ProviderStreamError(error, text);
  }
  return {
    text,
    toolCalls: calls.filter(Boolean).map((call, index) => ({ ...call, id: call.id || `call_${index}` })),
    ...(usage ? { usage } : {}),
    finishReason,
  };
}
