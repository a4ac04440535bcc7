/**
 * A conversation log must stay resumable whatever interrupted it: every tool call answered by
 * exactly one result before anything else is said. Two writers on one log (a released context's
 * turn still appending after another context opened the conversation) break this. A provider
 * request must obey the same rule, or a real OpenAI endpoint answers 400.
 */
/** A logged message, or one of a provider request mapped to the log's names. */
export interface LoggedTurnMessage {
  role: string;
  call_id?: string | undefined;
  tool_calls?: ReadonlyArray<{ id: string }> | undefined;
}

export function logProblem(messages: readonly LoggedTurnMessage[]): string | undefined {
  const open = new Set<string>();
  for (const [line, message] of messages.entries()) {
    if (message.role === 'tool') {
      if (!message.call_id || !open.delete(message.call_id))
        return `line ${line}: a result for ${message.call_id}, which is not waiting for one`;
      continue;
    }
    if (open.size > 0)
      return `line ${line}: a ${message.role} message while ${[...open].join(', ')} had no result`;
    for (const call of message.tool_calls ?? []) open.add(call.id);
  }
  return open.size > 0 ? `the log ends with ${[...open].join(', ')} unanswered` : undefined;
}
