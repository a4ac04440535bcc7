import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { Message } from '../../../shared/domain';

/** Converts the log's messages to the wire format, so a resumed conversation sends exactly the same. */
export function toOpenAiMessages(messages: readonly Message[]): ChatCompletionMessageParam[] {
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
                function: { name: call.name, arguments: JSON.stringify(call.args) },
              })),
            }
          : { role: 'assistant', content: message.content };
    }
  });
}
