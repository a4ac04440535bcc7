import type { Message, ToolResult } from '../../../shared/domain';
import type { MessageView, ToolCallStatus, ToolCallView, WindowState } from './window-state';

/** How the engine phrases a tool result tells us how it ended, for conversations read back from disk. */
function statusFromText(content: string): { status: ToolCallStatus; result: ToolResult } {
  const error = /^Error \(([^)]+)\): ([\s\S]*)$/.exec(content);
  if (error)
    return {
      status: 'failed',
      result: { ok: false, output: error[2]!, error: { name: error[1]!, message: error[2]! } },
    };
  if (/^(The user skipped|Skipped by the user|Not run:)/.test(content)) {
    return { status: 'skipped', result: { ok: false, output: content } };
  }
  return { status: 'completed', result: { ok: true, output: content } };
}

/** Builds the view of a whole conversation (opened, resumed or reloaded) in one pass. */
export function viewOfMessages(
  messages: readonly Message[],
): Pick<WindowState, 'messageIds' | 'messages' | 'toolCalls' | 'failure'> {
  const messageIds: string[] = [];
  const byId: Record<string, MessageView> = {};
  const toolCalls: Record<string, ToolCallView> = {};
  for (const message of messages) {
    if (message.role === 'tool') {
      const call = message.call_id ? toolCalls[message.call_id] : undefined;
      if (call) Object.assign(call, statusFromText(message.content));
      continue;
    }
    if (message.role === 'system') continue;
    messageIds.push(message.id);
    byId[message.id] = message;
    for (const call of message.tool_calls ?? []) {
      toolCalls[call.id] = {
        callId: call.id,
        tool: call.name,
        args: call.args,
        status: 'queued',
        output: '',
      };
    }
  }
  // A turn that failed left its reason on its last message; anything after it means it was retried.
  return { messageIds, messages: byId, toolCalls, failure: messages.at(-1)?.metadata?.failure ?? null };
}
