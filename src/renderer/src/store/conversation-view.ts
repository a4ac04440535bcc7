import type { Message, ToolResult } from '../../../shared/domain';
import { isNamedError } from '../../../shared/errors';
import type { MessageView, ToolCallStatus, ToolCallView, WindowState } from './window-state';

type EngineStatus = 'completed' | 'failed' | 'skipped';

/**
 * How a call ended, as the card shows it: a command that exited non-zero failed (its output is
 * the result, the model still reads it), and one the user stopped is `stopped`, not done.
 */
export function endedStatus(status: EngineStatus, result: ToolResult): ToolCallStatus {
  if (result.stopped || isNamedError(result.error, 'Interrupted')) return 'stopped';
  if (status === 'completed' && result.exitCode !== undefined && result.exitCode !== 0) return 'failed';
  return status;
}

// What the engine writes into a tool result's text (turn-loop.ts, shell.ts, cap-output.ts): read
// back for logs without metadata (gptme's, older Deskmate's).
const EDITED_NOTE = /^\[edited by the user before it ran; it ran as: (.*)\]\n/;
const EXIT_CODE = /\n?\[exit code (\d+)\]$/;
const STOPPED = /\n?\[interrupted by the user\]$/;
const ARTIFACT = /; the full output is in (.+?) …\]/;

function editedArgs(content: string): Record<string, unknown> | undefined {
  const note = EDITED_NOTE.exec(content);
  if (!note) return undefined;
  try {
    const args: unknown = JSON.parse(note[1]!);
    return typeof args === 'object' && args !== null && !Array.isArray(args)
      ? (args as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** How the engine phrases a tool result tells us how it ended, for conversations read back from disk. */
function resultOf(message: Message): { status: EngineStatus; result: ToolResult } {
  const content = message.content.replace(EDITED_NOTE, '');
  const error = /^Error \(([^)]+)\): ([\s\S]*)$/.exec(content);
  if (error)
    return {
      status: 'failed',
      result: { ok: false, output: error[2]!, error: { name: error[1]!, message: error[2]! } },
    };
  if (/^(The user skipped|Skipped by the user|Not run:)/.test(content)) {
    return { status: 'skipped', result: { ok: false, output: content } };
  }
  const exit = EXIT_CODE.exec(content);
  const artifact = ARTIFACT.exec(content)?.[1]?.split(/[\\/]/).pop();
  const facts = message.metadata ?? {};
  return {
    status: 'completed',
    result: {
      ok: true,
      output: content,
      ...(exit ? { exitCode: Number(exit[1]) } : {}),
      ...(STOPPED.test(content) ? { stopped: true as const } : {}),
      ...(artifact ? { artifact } : {}),
      // What the log recorded as data wins over what the text says.
      ...(facts.exitCode !== undefined ? { exitCode: facts.exitCode } : {}),
      ...(facts.stopped ? { stopped: true as const } : {}),
      ...(facts.artifact ? { artifact: facts.artifact } : {}),
    },
  };
}

/**
 * Builds the view of a whole conversation (opened, resumed or reloaded) in one pass: every message
 * gptme would show its user, tool results folded into the card of the call they answer.
 */
export function viewOfMessages(
  messages: readonly Message[],
): Pick<WindowState, 'messageIds' | 'messages' | 'toolCalls' | 'failure'> {
  const messageIds: string[] = [];
  const byId: Record<string, MessageView> = {};
  const toolCalls: Record<string, ToolCallView> = {};
  const show = (message: Message) => {
    messageIds.push(message.id);
    byId[message.id] = message;
  };
  for (const message of messages) {
    // gptme hides these from its user (its system prompt, notes for the model): so does the window.
    if (message.hide) continue;
    if (message.role === 'tool') {
      const call = message.call_id ? toolCalls[message.call_id] : undefined;
      // A result whose call is nowhere before it (a log cut or edited by hand) is shown on its own,
      // as gptme shows it, rather than lost from view.
      if (!call) {
        show({ ...message, role: 'system' });
        continue;
      }
      const { status, result } = resultOf(message);
      const ran = message.metadata?.edited ? message.metadata.args : editedArgs(message.content);
      Object.assign(
        call,
        { status: endedStatus(status, result), result },
        ran ? { args: ran, edited: true } : {},
      );
      continue;
    }
    // A visible system message is part of the conversation a gptme user had: in gptme's markdown
    // tool format it is how a command's output was recorded ("Ran command: …").
    show(message);
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
