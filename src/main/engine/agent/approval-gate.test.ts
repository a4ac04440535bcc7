import { getEventListeners } from 'node:events';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bounded } from '../../../../test/support/bounded';
import { openChatWindow, waitForEvent } from '../../../../test/support/engine';
import { startScriptedProvider, type ScriptedProvider } from '../../../../test/support/scripted-provider';
import { NamedError } from '../../../shared/errors';
import { ApprovalGate, type Decision } from './approval-gate';

const live = () => new AbortController().signal;

/** A gate that counts how often the window would be told its grants changed. */
function gate() {
  const changes: string[] = [];
  const g: ApprovalGate = new ApprovalGate(() => changes.push(JSON.stringify(g.grants)));
  return { g, changes };
}

/** Rejects with what the promise rejected with, or fails if it resolved. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error,
  );
}

describe('the approval gate, as the user answers a card', () => {
  it('approve runs the call as the model asked; skip does not run it; edit runs what the user typed', async () => {
    const { g } = gate();
    const approve = g.wait('a', 'save', { path: 'x' }, live());
    const skip = g.wait('b', 'save', { path: 'y' }, live());
    const edit = g.wait('c', 'save', { path: 'z' }, live());
    g.respond('a', { action: 'approve' });
    g.respond('b', { action: 'skip' });
    g.respond('c', { action: 'edit', args: { path: 'mine' } });
    expect(await approve).toEqual<Decision>({ run: true, args: { path: 'x' } });
    expect(await skip).toEqual<Decision>({ run: false });
    expect(await edit).toEqual<Decision>({ run: true, args: { path: 'mine' } });
    expect(g.pending).toEqual([]);
  });

  it('"auto next N" runs this call and the next N calls of its tool only, then asks again', async () => {
    const { g, changes } = gate();
    const first = g.wait('a', 'shell', { command: 'ls' }, live());
    g.respond('a', { action: 'auto', count: 2 });
    expect(await first).toEqual<Decision>({ run: true, args: { command: 'ls' } });
    expect(g.grants).toEqual([{ tool: 'shell', grant: 2 }]);
    expect(changes).toEqual(['[{"tool":"shell","grant":2}]']);
    expect(g.takeAutoApproval('save')).toBe(false);
    expect(g.takeAutoApproval('shell')).toBe(true);
    expect(g.grants).toEqual([{ tool: 'shell', grant: 1 }]);
    expect(g.takeAutoApproval('shell')).toBe(true);
    expect(g.grants).toEqual([]);
    expect(g.takeAutoApproval('shell')).toBe(false);
    expect(changes).toHaveLength(3);
  });

  it('"always" runs this call and every later call of its tool, never another tool', async () => {
    const { g, changes } = gate();
    const first = g.wait('a', 'shell', { command: 'ls' }, live());
    g.respond('a', { action: 'always' });
    expect(await first).toEqual<Decision>({ run: true, args: { command: 'ls' } });
    expect(g.grants).toEqual([{ tool: 'shell', grant: 'always' }]);
    expect(changes).toEqual(['[{"tool":"shell","grant":"always"}]']);
    for (let i = 0; i < 3; i++) expect(g.takeAutoApproval('shell')).toBe(true);
    expect(g.grants).toEqual([{ tool: 'shell', grant: 'always' }]);
    expect(g.takeAutoApproval('save')).toBe(false);
    // Using an "always" changes nothing the window shows.
    expect(changes).toHaveLength(1);
  });

  it('"auto next N" on a tool already allowed always keeps it always', async () => {
    const { g, changes } = gate();
    const first = g.wait('a', 'shell', {}, live());
    g.respond('a', { action: 'always' });
    await first;
    const second = g.wait('b', 'shell', { command: 'pwd' }, live());
    g.respond('b', { action: 'auto', count: 1 });
    expect(await second).toEqual<Decision>({ run: true, args: { command: 'pwd' } });
    expect(g.grants).toEqual([{ tool: 'shell', grant: 'always' }]);
    expect(changes).toHaveLength(1);
  });

  it('a second answer to the same call is refused and changes nothing', async () => {
    const { g } = gate();
    const waiting = g.wait('a', 'save', { path: 'x' }, live());
    g.respond('a', { action: 'skip' });
    expect(() => g.respond('a', { action: 'always' })).toThrow(
      expect.objectContaining({
        name: 'NotFound',
        message: expect.stringMatching(/No tool call a is waiting/),
      }),
    );
    expect(await waiting).toEqual<Decision>({ run: false });
    expect(g.grants).toEqual([]);
  });

  it('shows what waits, with its tool and arguments, until it is answered', () => {
    const { g } = gate();
    void g.wait('a', 'save', { path: 'x' }, live());
    void g.wait('b', 'shell', { command: 'ls' }, live());
    expect(g.pending).toEqual(['a', 'b']);
    expect(g.pendingCalls()).toEqual([
      { callId: 'a', tool: 'save', args: { path: 'x' } },
      { callId: 'b', tool: 'shell', args: { command: 'ls' } },
    ]);
    expect(g.toolOf('b')).toBe('shell');
    expect(g.toolOf('nope')).toBeUndefined();
    g.respond('a', { action: 'approve' });
    expect(g.pendingCalls()).toEqual([{ callId: 'b', tool: 'shell', args: { command: 'ls' } }]);
    expect(g.toolOf('a')).toBeUndefined();
  });
});

describe('Stop while a call waits', () => {
  it('rejects the wait with the reason of the stop and forgets the call', async () => {
    const { g } = gate();
    const controller = new AbortController();
    const waiting = g.wait('a', 'save', {}, controller.signal);
    const reason = new NamedError('Interrupted', 'Interrupted by the user');
    controller.abort(reason);
    expect(await rejection(bounded(waiting, 1_000, 'the stopped wait'))).toBe(reason);
    expect(g.pending).toEqual([]);
    expect(() => g.respond('a', { action: 'approve' })).toThrow(
      expect.objectContaining({ name: 'NotFound' }),
    );
  });

  it('a turn already stopped never waits', async () => {
    const { g } = gate();
    const controller = new AbortController();
    const reason = new NamedError('Interrupted', 'Interrupted by the user');
    controller.abort(reason);
    expect(await rejection(g.wait('a', 'save', {}, controller.signal))).toBe(reason);
    expect(g.pending).toEqual([]);
  });

  it('an answered call leaves nothing listening on the turn signal', async () => {
    const { g } = gate();
    const signal = new AbortController().signal;
    // A long turn asks many times on one signal: each answered wait must let go of it.
    for (const [i, action] of (['approve', 'skip'] as const).entries()) {
      const waiting = g.wait(`c${i}`, 'save', {}, signal);
      expect(getEventListeners(signal, 'abort')).toHaveLength(1);
      g.respond(`c${i}`, { action });
      await waiting;
      expect(getEventListeners(signal, 'abort')).toHaveLength(0);
    }
    const disposedWait = g.wait('d', 'save', {}, signal);
    g.dispose();
    await rejection(disposedWait);
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });
});

describe('closing the window', () => {
  it('rejects every waiting call as Disposed, and a later wait at once', async () => {
    const { g } = gate();
    const one = g.wait('a', 'save', {}, live());
    const two = g.wait('b', 'shell', {}, live());
    g.dispose();
    for (const waiting of [one, two])
      expect(await rejection(waiting)).toMatchObject({
        name: 'Disposed',
        message: expect.stringMatching(/closed while a tool was waiting/),
      });
    expect(g.pending).toEqual([]);
    expect(await rejection(g.wait('c', 'save', {}, live()))).toMatchObject({
      name: 'Disposed',
      message: 'The window was closed',
    });
    expect(g.pending).toEqual([]);
  });
});

describe('grants', () => {
  it('the chat config\'s "always" covers every tool, or the tools it names, and goes when unset', () => {
    const { g, changes } = gate();
    g.syncAlways('always');
    // The window shows it, and takes it back, as "*".
    expect(g.grants).toEqual([{ tool: '*', grant: 'always' }]);
    expect(g.takeAutoApproval('save')).toBe(true);
    expect(g.takeAutoApproval('shell')).toBe(true);
    g.syncAlways({ shell: 'always' });
    expect(g.grants).toEqual([{ tool: 'shell', grant: 'always' }]);
    expect(g.takeAutoApproval('save')).toBe(false);
    g.syncAlways(0);
    expect(g.grants).toEqual([]);
    expect(g.takeAutoApproval('shell')).toBe(false);
    expect(changes).toHaveLength(3);
  });

  it('the config deciding "always" again changes nothing and tells nobody; counted grants stay', async () => {
    const { g, changes } = gate();
    const first = g.wait('a', 'save', {}, live());
    g.respond('a', { action: 'auto', count: 3 });
    await first;
    g.syncAlways({ shell: 'always' });
    g.syncAlways({ shell: 'always' });
    expect(g.grants).toEqual([
      { tool: 'save', grant: 3 },
      { tool: 'shell', grant: 'always' },
    ]);
    expect(changes).toHaveLength(2);
    g.syncAlways(0);
    expect(g.grants).toEqual([{ tool: 'save', grant: 3 }]);
  });

  it('revoke takes back one grant and says whether there was one; clear takes back all', async () => {
    const { g, changes } = gate();
    g.syncAlways({ shell: 'always', save: 'always' });
    expect(changes).toHaveLength(1);
    expect(g.revoke('shell')).toBe(true);
    expect(g.grants).toEqual([{ tool: 'save', grant: 'always' }]);
    expect(changes).toHaveLength(2);
    expect(g.revoke('shell')).toBe(false);
    expect(changes).toHaveLength(2);
    g.clear();
    expect(g.grants).toEqual([]);
    expect(changes).toHaveLength(3);
    g.clear();
    expect(changes).toHaveLength(3);
  });
});

describe('through the engine', () => {
  let provider: ScriptedProvider;
  beforeEach(async () => {
    provider = await startScriptedProvider();
  });
  afterEach(async () => {
    await provider.close();
  });

  async function setup() {
    const { engine, workspace, context } = await openChatWindow(provider);
    return { engine, workspace, context, log: engine.events.get('w')! };
  }

  it('Stop while a call waits for approval ends the turn, runs nothing and leaves a resumable log', async () => {
    provider.enqueue({
      kind: 'stream',
      toolCalls: [
        { id: 's1', name: 'save', args: { path: 'a.txt', content: 'x' } },
        { id: 's2', name: 'save', args: { path: 'b.txt', content: 'y' } },
      ],
    });
    const { engine, workspace, context, log } = await setup();
    const { done } = await context.chat.send('save two files');
    await waitForEvent(log, 'tool.pending', (p) => p.callId === 's1');
    expect(context.chat.interrupt()).toBe(true);
    await bounded(done, 1_000, 'the turn stopped while waiting for approval');
    expect((await waitForEvent(log, 'turn.completed')).reason).toBe('interrupted');
    expect(context.chat.pendingApprovals).toEqual([]);
    expect(log.filter((e) => e.name === 'tool.pending')).toHaveLength(1);
    for (const callId of ['s1', 's2'])
      expect(await waitForEvent(log, 'tool.completed', (p) => p.callId === callId)).toMatchObject({
        status: 'skipped',
        result: { ok: false, output: 'Not run: the user interrupted the turn.' },
      });
    await expect(readFile(path.join(workspace, 'a.txt'))).rejects.toThrow();
    await expect(readFile(path.join(workspace, 'b.txt'))).rejects.toThrow();
    const saved = await engine.services.conversations.open(context.chat.conversationId!);
    expect(saved.messages.filter((m) => m.role === 'tool')).toEqual([
      expect.objectContaining({ call_id: 's1', content: 'Not run: the user interrupted the turn.' }),
      expect.objectContaining({ call_id: 's2', content: 'Not run: the user interrupted the turn.' }),
    ]);
    // The window may send again at once.
    provider.enqueue({ kind: 'stream', text: 'ok' });
    await (
      await context.chat.send('never mind')
    ).done;
    expect((await waitForEvent(log, 'turn.completed', (p) => p.reason === 'stop')).reason).toBe('stop');
  });

  it('"auto" and "always" run the call they were given on', async () => {
    provider.enqueue(
      { kind: 'stream', toolCalls: [{ id: 'a1', name: 'save', args: { path: 'auto.txt', content: 'A' } }] },
      { kind: 'stream', text: 'saved' },
      { kind: 'stream', toolCalls: [{ id: 'a2', name: 'shell', args: { command: 'echo hi > always.txt' } }] },
      { kind: 'stream', text: 'ran' },
    );
    const { workspace, context, log } = await setup();
    const first = await context.chat.send('save');
    await waitForEvent(log, 'tool.pending', (p) => p.callId === 'a1');
    context.chat.respond('a1', { action: 'auto', count: 1 });
    await first.done;
    expect(await readFile(path.join(workspace, 'auto.txt'), 'utf8')).toBe('A\n');
    const second = await context.chat.send('run');
    await waitForEvent(log, 'tool.pending', (p) => p.callId === 'a2');
    context.chat.respond('a2', { action: 'always' });
    await second.done;
    expect(await readFile(path.join(workspace, 'always.txt'), 'utf8')).toBe('hi\n');
  });
});
