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

function toOpenAiMessage(
  message: Message,
  ran: Map<string, Record<string, unknown>>,
): ChatCompletionMessageParam {
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
}

/**
 * The order gptme sends (llm_openai's tool handling): a message that is not a tool result, between a
 * reply's calls and their results (a warning a tool printed first, in a gptme log), waits until the
 * results are all in, since strict APIs refuse anything between a call and its result. Results of
 * one call that follow each other are sent as one, their texts joined by a blank line.
 */
function inGptmeOrder(messages: readonly Message[]): Message[] {
  const out: Message[] = [];
  let waiting: Message[] = [];
  let pending = new Set<string>();
  for (const message of messages) {
    if (message.role === 'tool') {
      const last = out.at(-1);
      if (last?.role === 'tool' && last.call_id === message.call_id)
        out[out.length - 1] = { ...last, content: `${last.content}\n\n${message.content}` };
      else out.push(message);
      pending.delete(message.call_id ?? '');
      continue;
    }
    if (message.role === 'assistant' || pending.size === 0) {
      out.push(...waiting);
      waiting = [];
    }
    if (message.role === 'assistant') {
      pending = new Set((message.tool_calls ?? []).map((call) => call.id).filter(Boolean));
      out.push(message);
    } else if (pending.size) waiting.push(message);
    else out.push(message);
  }
  return [...out, ...waiting];
}

/**
 * Converts the log's messages to the wire format, so a resumed conversation sends exactly the same,
 * and a gptme conversation what gptme would: hidden messages too (gptme hides them from the user,
 * not from the model). A call the user edited goes with the arguments it ran with: the model
 * reasons about what happened.
 */
export function toOpenAiMessages(messages: readonly Message[]): ChatCompletionMessageParam[] {
  const ran = argsThatRan(messages);
  return inGptmeOrder(messages).map((message) => toOpenAiMessage(message, ran));
}
