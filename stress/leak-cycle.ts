/**
 * One create / use / dispose cycle of the leak check, through the real Router: a context opens
 * its own workspace and runs a turn with one shell call, which it approves, interrupts, or closes
 * the window on (while the call waits for approval, or while it runs).
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { EventName } from '../src/shared/contract';
import type { RecordedRequest, Step } from '../test/support/scripted-provider';
import type { TestEngine } from '../test/support/engine';
import { deferred, sleep, within } from './timing';

export type CycleMode = 'approve' | 'interrupt' | 'close-waiting' | 'close-running';

/** Seven in ten cycles run to the end; one in ten each is interrupted, or closed mid-way. */
export function modeOf(cycle: number): CycleMode {
  switch (cycle % 10) {
    case 3:
      return 'interrupt';
    case 7:
      return 'close-waiting';
    case 9:
      return 'close-running';
    default:
      return 'approve';
  }
}

/** The scripted model of the leak run: one shell call, then a short answer. */
export function leakModel(request: RecordedRequest): Step {
  const messages = request.body.messages ?? [];
  const user = String(messages.findLast((message) => message.role === 'user')?.content ?? '');
  const match = /^cycle (\d+) (\S+)$/.exec(user);
  if (!match) return { kind: 'error', status: 400, message: `leak model: unexpected message ${user}` };
  if (messages.some((message) => message.role === 'tool'))
    return { kind: 'stream', text: `Done ${match[1]}.` };
  const slow = match[2] === 'interrupt' || match[2] === 'close-running';
  const command = slow ? 'sleep 30' : `echo cycle ${match[1]} > out.txt && cat out.txt`;
  return { kind: 'stream', toolCalls: [{ id: `call_${match[1]}`, name: 'shell', args: { command } }] };
}

export interface CycleResult {
  /** The shell's process group, if one was started. */
  shellPid: number | undefined;
  /** How the turn ended as the client saw it, or `closed` when the window went first. */
  outcome: 'stop' | 'interrupted' | 'max-steps' | 'failed' | 'closed' | 'timed-out';
}

const CYCLE_TIMEOUT_MS = 10_000;

export async function runCycle(engine: TestEngine, root: string, cycle: number): Promise<CycleResult> {
  const { registry, router } = engine;
  const mode = modeOf(cycle);
  const clientId = `leak-${cycle}`;
  const ended = deferred<CycleResult['outcome']>();
  const started = deferred<void>();
  const pending = deferred<string>();
  const context = registry.create(clientId, (name: EventName, payload) => {
    const p = payload as { callId?: string; reason?: 'stop' | 'interrupted' | 'max-steps' };
    if (name === 'tool.pending') pending.resolve(p.callId!);
    if (name === 'tool.started') started.resolve();
    if (name === 'turn.completed') ended.resolve(p.reason!);
    if (name === 'turn.failed') ended.resolve('failed');
  });
  const folder = path.join(root, `ws-${cycle}`);
  await mkdir(folder);
  const opened = await router.handle(clientId, 'workspace.open', { path: folder });
  if (!opened.ok) throw new Error(`cycle ${cycle}: workspace.open: ${opened.error.message}`);
  const sent = await router.handle(clientId, 'chat.send', { text: `cycle ${cycle} ${mode}` });
  if (!sent.ok) throw new Error(`cycle ${cycle}: chat.send: ${sent.error.message}`);

  const callId = await within(pending.promise, CYCLE_TIMEOUT_MS);
  if (callId === 'timed-out') throw new Error(`cycle ${cycle}: no tool.pending`);
  let shellPid: number | undefined;
  let outcome: CycleResult['outcome'] = 'closed';
  if (mode === 'close-waiting') {
    registry.release(clientId);
  } else {
    const answer = await router.handle(clientId, 'tool.respond', { callId, response: { action: 'approve' } });
    if (!answer.ok) throw new Error(`cycle ${cycle}: tool.respond: ${answer.error.message}`);
    if (mode !== 'approve') {
      if ((await within(started.promise, CYCLE_TIMEOUT_MS)) === 'timed-out')
        throw new Error(`cycle ${cycle}: no tool.started`);
      // The bash is spawned just after tool.started: wait until it exists, so it is really killed.
      const deadline = Date.now() + CYCLE_TIMEOUT_MS;
      while (context.shellPid === undefined && Date.now() < deadline) await sleep(2);
      shellPid = context.shellPid;
      if (mode === 'interrupt') await router.handle(clientId, 'chat.interrupt', {});
      else registry.release(clientId);
    }
    if (mode !== 'close-running') {
      outcome = await within(ended.promise, CYCLE_TIMEOUT_MS);
      shellPid ??= context.shellPid;
    }
  }
  registry.release(clientId);
  // A closed window's turn winds down on its own; it must still end.
  if ((await within(context.chat.waitForTurn(), CYCLE_TIMEOUT_MS)) === 'timed-out') outcome = 'timed-out';
  return { shellPid, outcome };
}
