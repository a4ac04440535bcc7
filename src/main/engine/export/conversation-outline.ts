import type { Message, ToolCall } from '../../../shared/domain';

/** A tool call and, once it ran, the message holding its result. */
export interface ToolExchange {
  call: ToolCall;
  result?: Message;
}

/**
 * A conversation as a reader follows it: each user or assistant message with the tool calls it
 * made and their results; system messages on their own; a result whose call is nowhere before it
 * (a log edited by hand, or cut) on its own too, so nothing in the log is left out.
 */
export type OutlineEntry =
  | { kind: 'message'; message: Message; tools: ToolExchange[] }
  | { kind: 'system'; message: Message }
  | { kind: 'result'; message: Message };

/**
 * A tool's result: Deskmate's older `tool` role, or gptme's `system` message that names the call it
 * answers (`call_id`), which is how Deskmate writes them too from issue 13 on.
 */
export function isToolResult(message: Message): boolean {
  return message.call_id !== undefined && (message.role === 'tool' || message.role === 'system');
}

export function outlineOf(messages: readonly Message[]): OutlineEntry[] {
  const entries: OutlineEntry[] = [];
  const waiting = new Map<string, ToolExchange>();
  for (const message of messages) {
    if (isToolResult(message)) {
      const exchange = waiting.get(message.call_id!);
      if (exchange) {
        exchange.result = message;
        // A second result for the same call is shown on its own rather than hiding the first.
        waiting.delete(message.call_id!);
      } else entries.push({ kind: 'result', message });
      continue;
    }
    if (message.role === 'user' || message.role === 'assistant') {
      const tools = (message.tool_calls ?? []).map((call) => ({ call }));
      for (const exchange of tools) waiting.set(exchange.call.id, exchange);
      entries.push({ kind: 'message', message, tools });
      continue;
    }
    entries.push({ kind: 'system', message });
  }
  return entries;
}
