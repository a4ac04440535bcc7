// Files a turn reads on its own, before any tool: the project's `files` for the system prompt and
// the user's attachments. A FIFO among them is refused at once; the turn (or send) never waits on it.
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bounded } from '../../../../test/support/bounded';
import { createChatEngine, makeWorkspace, waitForEvent } from '../../../../test/support/engine';
import { makeFifo } from '../../../../test/support/fifo';
import { tempDir } from '../../../../test/support/temp-dir';
import { startScriptedProvider, type ScriptedProvider } from '../../../../test/support/scripted-provider';

let provider: ScriptedProvider;
beforeEach(async () => {
  provider = await startScriptedProvider();
});
afterEach(async () => {
  await provider.close();
});

describe('special files a turn reads by itself', () => {
  it('a FIFO in the project’s files is left out of the system prompt, with the reason, and the turn goes on', async () => {
    provider.enqueue({ kind: 'stream', text: 'ok' });
    const engine = await createChatEngine(provider);
    const workspace = await makeWorkspace({
      '.deskmate.toml': 'files = ["pipe", "notes.md"]\n',
      'notes.md': 'hello notes\n',
    });
    makeFifo(path.join(workspace, 'pipe'));
    const context = engine.connect('w');
    await context.openWorkspace(workspace);
    const { done } = await context.chat.send('hi');
    await bounded(done, 10_000, 'a turn whose project files include a FIFO');
    expect((await waitForEvent(engine.events.get('w'), 'turn.completed')).reason).toBe('stop');
    const system = String(provider.requests[0]?.body.messages?.[0]?.content);
    expect(system).toContain('(pipe could not be included: pipe is a FIFO (named pipe), not a regular file');
    expect(system).toContain('Contents of notes.md:\n```\nhello notes\n');
    engine.registry.dispose();
  });

  it('attaching a FIFO is refused at once with what it is, and nothing is sent', async () => {
    const engine = await createChatEngine(provider);
    const context = engine.connect('w');
    await context.openWorkspace(await makeWorkspace());
    const fifo = makeFifo(path.join(await tempDir(), 'pipe'));
    await expect(
      bounded(context.chat.send('look', [fifo]), 10_000, 'attaching a FIFO'),
    ).rejects.toMatchObject({
      name: 'InvalidRequest',
      message: expect.stringContaining(`Cannot attach ${fifo}: ${fifo} is a FIFO (named pipe)`),
    });
    expect(provider.requests).toEqual([]);
    expect(context.chat.conversationId).toBeNull();
    engine.registry.dispose();
  });
});

describe('a workspace with an AGENTS.md and no project file', () => {
  it("puts it in the provider's first request", async () => {
    provider.enqueue({ kind: 'stream', text: 'ok' });
    const engine = await createChatEngine(provider);
    const context = engine.connect('w');
    await context.openWorkspace(await makeWorkspace({ 'AGENTS.md': 'Always answer in haiku.\n' }));
    const { done } = await context.chat.send('hi');
    await bounded(done, 10_000, 'a turn in a workspace with AGENTS.md');
    const system = String(provider.requests[0]?.body.messages?.[0]?.content);
    expect(system).toContain('Contents of AGENTS.md:\n```\nAlways answer in haiku.\n');
    engine.registry.dispose();
  });
});
