import type { WindowContext } from '../../src/main/engine/context/window-context';
import type { ToolResult } from '../../src/shared/domain';
import type { RecordedEvent } from './engine';
import type { ScriptedProvider } from './scripted-provider';

export interface ToolRun {
  /** Whether the call waited for the user's approval. */
  asked: boolean;
  status: 'completed' | 'failed' | 'skipped';
  result: ToolResult;
}

let calls = 0;

/**
 * One turn in which the scripted model calls one tool: approves it if asked (or answers with
 * `answer`), and returns what happened. The real engine runs everything in between.
 */
export async function runToolTurn(
  provider: ScriptedProvider,
  context: WindowContext,
  log: RecordedEvent[],
  tool: { name: string; args: Record<string, unknown> },
  answer: Parameters<WindowContext['chat']['respond']>[1] = { action: 'approve' },
): Promise<ToolRun> {
  const id = `call${++calls}`;
  provider.enqueue(
    { kind: 'stream', toolCalls: [{ id, name: tool.name, args: tool.args }] },
    { kind: 'stream', text: 'Done.' },
  );
  const { done } = await context.chat.send(`Please use ${tool.name}`);
  let asked = false;
  const deadline = Date.now() + 15_000;
  for (;;) {
    const events = log.filter((e) => (e.payload as { callId?: string }).callId === id);
    const completed = events.find((e) => e.name === 'tool.completed');
    if (completed) {
      await done;
      const { status, result } = completed.payload as { status: ToolRun['status']; result: ToolResult };
      return { asked, status, result };
    }
    if (!asked && events.some((e) => e.name === 'tool.pending')) {
      asked = true;
      context.chat.respond(id, answer);
    }
    if (Date.now() > deadline) throw new Error(`tool call ${id} did not complete`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
