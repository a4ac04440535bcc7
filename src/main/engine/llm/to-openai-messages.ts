import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { Message } from '../../../shared/domain';

/** The arguments each call ran with, where the user edited it before approving (kept on its result). */
function argsThatRan(messages: readonly Message[]): Map<string, Record<string, unknown>> {
  const ran = new Map<string, Record<string, unknown>>();
  for (const message of messages) {
    if (message.role === 'tool' && message.call_id && message.metadata?.edited && message.metadata.args)
      ran.set(message.call_id, message.metadata.args);
  }
  return ran;
}

/**
 * Converts the log's messages to the wire format, so a resumed conversation sends exactly the same.
 * A call the user edited goes with the arguments it ran with: the model reasons about what happened.
 */
export function toOpenAiMessages(messages: readonly Message[]): ChatCompletionMessageParam[] {
  const ran = argsThatRan(messages);
  return messages.map((message): ChatCompletionMessageParam => {
    switch (message.role) {
      case 'system':
        return { role: 'system', content: message.content };
      case 'user':
        return { role: 'user', content: message.content };
      case 'tool':
        return { role: 'tool', tool_call_id: message.call_id ?? '', content: message.content };
      case 'assistant':
        return message.tool_calls?.length
          ? {
              role: 'assistant',
              content: message.content || null,
              tool_calls: message.tool_calls.map((call) => ({
                id: call.id,
                type: 'function' as const,
                function: { name: call.name, arguments: JSON.stringify(ran.get(call.id) ?? call.args) },
              })),
            }
          : { role: 'assistant', content: message.content };
    }
  });
}
