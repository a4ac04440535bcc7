// Stop ends a turn whatever its tool is blocked on, and one blocked tool never stalls another
// window. Through the real engine: scripted provider, real tools, several contexts.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { bounded } from '../../../../test/support/bounded';
import {
  createChatEngine,
  makeWorkspace,
  waitForEvent,
  type TestEngine,
} from '../../../../test/support/engine';
import { makeFifo } from '../../../../test/support/fifo';
import { byConversation, type ConversationScripts } from '../../../../test/support/by-conversation';
import { startScriptedProvider, type ScriptedProvider } from '../../../../test/support/scripted-provider';
import { ALL_TOOLS } from '../tools/all-tools';
import { defineTool, type Tool } from '../tools/tool';

let provider: ScriptedProvider | undefined;
let engine: TestEngine | undefined;
afterEach(async () => {
  engine?.registry.dispose();
  engine = undefined;
  await provider?.close();
  provider = undefined;
});

async function start(scripts: ConversationScripts, options: { tools?: readonly Tool[] } = {}) {
  provider = await startScriptedProvider({ respond: byConversation(scripts) });
  engine = await createChatEngine(provider, {}, options);
  return engine;
}

async function window(id: string, workspace: string) {
  const context = engine!.connect(id);
  await context.openWorkspace(workspace);
  context.setChatConfig({ autoApprove: 'always' });
  return { context, log: engine!.events.get(id)! };
}

const toolMessages = async (conversationId: string) =>
  (await engine!.services.conversations.open(conversationId)).messages.filter((m) => m.role === 'tool');

describe('Stop', () => {
  it('during a read of a FIFO ends the turn, and the call has a result in the log', async () => {
    await start({
      'read the pipe': {
        first: { kind: 'stream', toolCalls: [{ id: 'r1', name: 'read', args: { path: 'pipe' } }] },
        // Whatever the read did, the turn then waits on a provider that never answers: only Stop ends it.
        then: { kind: 'hang' },
      },
    });
    const workspace = await makeWorkspace();
    makeFifo(path.join(workspace, 'pipe'));
    const { context, log } = await window('w', workspace);
    const { done } = await context.chat.send('read the pipe');
    await waitForEvent(log, 'tool.started');
    context.chat.interrupt();
    // The promise: Stop ends the turn within 1 s, whatever the tool is blocked on.
    await bounded(done, 1_000, 'the stopped turn');
    expect((await waitForEvent(log, 'turn.completed')).reason).toBe('interrupted');
    const [result] = await toolMessages(context.chat.conversationId!);
    expect(result).toMatchObject({ call_id: 'r1' });
  });

  it('interrupts a tool that never settles and ignores its signal', async () => {
    // Tool names are a closed list (src/shared/config.ts), so the stuck tool takes append's place.
    const stuck = defineTool({
      name: 'append',
      description: 'Never answers, and does not listen to its signal.',
      schema: z.strictObject({}),
      needsApproval: false,
      execute: () => new Promise<string>(() => undefined),
    });
    await start(
      { 'get stuck': { first: { kind: 'stream', toolCalls: [{ id: 's1', name: 'append', args: {} }] } } },
      { tools: ALL_TOOLS.map((tool) => (tool.name === 'append' ? stuck : tool)) },
    );
    const { context, log } = await window('w', await makeWorkspace());
    const { done } = await context.chat.send('get stuck');
    await waitForEvent(log, 'tool.started');
    context.chat.interrupt();
    // The promise: Stop ends the turn within 1 s, whatever the tool is blocked on.
    await bounded(done, 1_000, 'the stopped turn');
    expect((await waitForEvent(log, 'turn.completed')).reason).toBe('interrupted');
    const completed = await waitForEvent(log, 'tool.completed');
    expect(completed).toMatchObject({
      callId: 's1',
      status: 'failed',
      result: { error: { name: 'Interrupted' } },
    });
    const [result] = await toolMessages(context.chat.conversationId!);
    expect(result).toMatchObject({
      call_id: 's1',
      content: expect.stringContaining('Interrupted by the user'),
    });
  });

  it('keeps what a tool that does stop reports: the shell output so far', async () => {
    await start({
      'run it': {
        first: {
          kind: 'stream',
          toolCalls: [{ id: 'sh1', name: 'shell', args: { command: 'echo started; sleep 30' } }],
        },
      },
    });
    const { context, log } = await window('w', await makeWorkspace());
    const { done } = await context.chat.send('run it');
    await waitForEvent(log, 'tool.started');
    // The shell holds back its last few kilobytes while a command runs; give echo time to print.
    await new Promise((resolve) => setTimeout(resolve, 300));
    context.chat.interrupt();
    await bounded(done, 5_000, 'the stopped turn');
    const [result] = await toolMessages(context.chat.conversationId!);
    expect(result?.content).toContain('started');
    expect(result?.content).toContain('[interrupted by the user]');
  });

  it('closing a window with a stuck tool releases its conversation for another window', async () => {
    const stuck = defineTool({
      name: 'append',
      description: 'Never answers, and does not listen to its signal.',
      schema: z.strictObject({}),
      needsApproval: false,
      execute: () => new Promise<string>(() => undefined),
    });
    await start(
      { 'get stuck': { first: { kind: 'stream', toolCalls: [{ id: 's1', name: 'append', args: {} }] } } },
      { tools: ALL_TOOLS.map((tool) => (tool.name === 'append' ? stuck : tool)) },
    );
    const workspace = await makeWorkspace();
    const { context, log } = await window('w', workspace);
    await context.chat.send('get stuck');
    await waitForEvent(log, 'tool.started');
    const id = context.chat.conversationId!;
    engine!.registry.release('w');
    const other = engine!.connect('other');
    const detail = await bounded(other.chat.open(id), 5_000, 'opening the closed window’s conversation');
    expect(detail.messages.at(-1)).toMatchObject({ role: 'tool', call_id: 's1' });
  });
});

describe('a blocked tool in one window', () => {
  it('five windows reading FIFOs at once do not stall a sixth window’s read and shell command', async () => {
    await start({
      'read the pipe': {
        first: { kind: 'stream', toolCalls: [{ id: 'p1', name: 'read', args: { path: 'pipe' } }] },
      },
      work: {
        first: {
          kind: 'stream',
          toolCalls: [
            { id: 'n1', name: 'read', args: { path: 'notes.txt' } },
            { id: 'n2', name: 'shell', args: { command: 'echo shell-ok' } },
          ],
        },
        then: { kind: 'stream', text: 'finished' },
      },
    });
    const readers: Awaited<ReturnType<typeof window>>[] = [];
    for (let i = 0; i < 5; i++) {
      const workspace = await makeWorkspace();
      makeFifo(path.join(workspace, 'pipe'));
      readers.push(await window(`reader-${i}`, workspace));
    }
    const sixth = await window('sixth', await makeWorkspace({ 'notes.txt': 'one\ntwo\n' }));
    // libuv has four threadpool threads: five reads that wait for a writer would take them all,
    // and every fs call after them (the sixth window's log, its read) would wait behind them.
    const scenario = async () => {
      for (const reader of readers) await reader.context.chat.send('read the pipe');
      for (const reader of readers) await waitForEvent(reader.log, 'tool.started');
      const { done } = await sixth.context.chat.send('work');
      await done;
    };
    await bounded(scenario(), 10_000, 'five FIFO reads and the sixth window’s turn');
    expect((await waitForEvent(sixth.log, 'turn.completed')).reason).toBe('stop');
    const results = await toolMessages(sixth.context.chat.conversationId!);
    expect(results.map((message) => message.call_id)).toEqual(['n1', 'n2']);
    expect(results[0]?.content).toBe('1\tone\n2\ttwo');
    expect(results[1]?.content).toContain('shell-ok');
    // And the readers were told why, not left hanging.
    for (const reader of readers) {
      const completed = await waitForEvent(reader.log, 'tool.completed');
      expect(completed.result.error?.name).toBe('NotARegularFile');
    }
  });
});
