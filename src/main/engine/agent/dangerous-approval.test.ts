import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openChatWindow, waitForEvent } from '../../../../test/support/engine';
import { startScriptedProvider, type ScriptedProvider } from '../../../../test/support/scripted-provider';

// gptme refuses some shell commands even under auto-approve; Deskmate asks the user again, with
// the reason on the card, and the grant covers only ordinary calls (issue 13).

const PIPED = "echo 'echo piped > piped.txt' | sh";

describe('a dangerous shell command', () => {
  let provider: ScriptedProvider;
  beforeEach(async () => {
    provider = await startScriptedProvider();
  });
  afterEach(async () => {
    await provider.close();
  });

  async function setup() {
    const { engine, workspace, context } = await openChatWindow(provider);
    return { workspace, context, log: engine.events.get('w')! };
  }

  const call = (id: string, command: string) => ({
    kind: 'stream' as const,
    toolCalls: [{ id, name: 'shell', args: { command } }],
  });

  it('is asked about again under "always", with the reason, and runs only once approved', async () => {
    provider.enqueue(
      call('c1', 'echo one > one.txt'),
      call('c2', PIPED),
      call('c3', 'echo three > three.txt'),
      { kind: 'stream', text: 'done' },
    );
    const { workspace, context, log } = await setup();
    const turn = await context.chat.send('go');
    await waitForEvent(log, 'tool.pending', (p) => p.callId === 'c1');
    context.chat.respond('c1', { action: 'always' });
    const asked = await waitForEvent(log, 'tool.pending', (p) => p.callId === 'c2');
    expect(asked.warning).toMatch(/^This command runs whatever comes through the pipe as code/);
    expect(context.chat.pendingCalls()).toEqual([
      { callId: 'c2', tool: 'shell', args: { command: PIPED }, warning: asked.warning },
    ]);
    await expect(readFile(path.join(workspace, 'piped.txt'))).rejects.toThrow();
    context.chat.respond('c2', { action: 'approve' });
    await turn.done;
    expect(await readFile(path.join(workspace, 'piped.txt'), 'utf8')).toBe('piped\n');
    // The grant still covers the ordinary call after it.
    expect(
      log.filter((e) => e.name === 'tool.pending').map((e) => (e.payload as { callId: string }).callId),
    ).toEqual(['c1', 'c2']);
    expect(await readFile(path.join(workspace, 'three.txt'), 'utf8')).toBe('three\n');
  });

  it('uses none of an "auto next N" grant, and skipping it runs nothing', async () => {
    provider.enqueue(
      call('c1', 'echo one > one.txt'),
      call('c2', 'chmod 777 one.txt'),
      call('c3', 'echo three > three.txt'),
      { kind: 'stream', text: 'done' },
    );
    const { workspace, context, log } = await setup();
    const turn = await context.chat.send('go');
    await waitForEvent(log, 'tool.pending', (p) => p.callId === 'c1');
    context.chat.respond('c1', { action: 'auto', count: 1 });
    const asked = await waitForEvent(log, 'tool.pending', (p) => p.callId === 'c2');
    expect(asked.warning).toMatch(/^This command makes files writable by every user/);
    context.chat.respond('c2', { action: 'skip' });
    await turn.done;
    expect(await readFile(path.join(workspace, 'three.txt'), 'utf8')).toBe('three\n');
    expect(log.filter((e) => e.name === 'tool.pending')).toHaveLength(2);
  });

  it('carries its warning on the card without a grant too; an ordinary call carries none', async () => {
    provider.enqueue(call('c1', 'ls'), call('c2', 'git add .'), { kind: 'stream', text: 'done' });
    const { context, log } = await setup();
    const turn = await context.chat.send('go');
    const ordinary = await waitForEvent(log, 'tool.pending', (p) => p.callId === 'c1');
    expect('warning' in ordinary).toBe(false);
    context.chat.respond('c1', { action: 'approve' });
    const dangerous = await waitForEvent(log, 'tool.pending', (p) => p.callId === 'c2');
    expect(dangerous.warning).toMatch(/^This command stages or commits every change at once/);
    context.chat.respond('c2', { action: 'skip' });
    await turn.done;
  });
});
