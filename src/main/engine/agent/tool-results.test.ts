import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createChatEngine,
  makeWorkspace,
  openChatWindow,
  waitForEvent,
} from '../../../../test/support/engine';
import { runToolTurn } from '../../../../test/support/run-tool';
import { startScriptedProvider, type ScriptedProvider } from '../../../../test/support/scripted-provider';
import { conversationPaths } from '../conversation-store/conversation-paths';

// Issue 10: what ran (an edited call), how it ended (exit code, stopped) and where its full output
// is, as data on the result and in the log; and a write outside the workspace refused before asking.

let provider: ScriptedProvider;
beforeEach(async () => {
  provider = await startScriptedProvider();
});
afterEach(async () => {
  await provider.close();
});

async function setup(files: Record<string, string> = {}) {
  const { engine, workspace, context } = await openChatWindow(provider, files);
  const log = engine.events.get('w')!;
  const run = (
    name: string,
    args: Record<string, unknown>,
    answer?: Parameters<typeof context.chat.respond>[1],
  ) => runToolTurn(provider, context, log, { name, args }, answer);
  const toolMessages = async () =>
    (await engine.services.conversations.open(context.chat.conversationId!)).messages.filter(
      (m) => m.role === 'tool',
    );
  return { engine, workspace, context, log, run, toolMessages };
}

describe('an edited tool call', () => {
  it('is recorded, shown and sent to the model as what ran, saying it was edited', async () => {
    const { context, log, toolMessages } = await setup();
    provider.enqueue(
      { kind: 'stream', toolCalls: [{ id: 'e1', name: 'shell', args: { command: 'echo original' } }] },
      { kind: 'stream', text: 'Done.' },
    );
    const { done } = await context.chat.send('run it');
    await waitForEvent(log, 'tool.pending');
    context.chat.respond('e1', { action: 'edit', args: { command: 'echo edited' } });
    await done;

    expect(await waitForEvent(log, 'tool.started')).toMatchObject({
      callId: 'e1',
      args: { command: 'echo edited' },
      edited: true,
    });
    const completed = await waitForEvent(log, 'tool.completed');
    expect(completed.result).toMatchObject({ args: { command: 'echo edited' }, edited: true, exitCode: 0 });

    const [result] = await toolMessages();
    expect(result?.metadata).toEqual({ args: { command: 'echo edited' }, edited: true, exitCode: 0 });
    expect(result?.content).toBe(
      '[edited by the user before it ran; it ran as: {"command":"echo edited"}]\nedited\n[exit code 0]',
    );

    const next = JSON.stringify(provider.requests[1]!.body.messages);
    expect(next).toContain('echo edited');
    expect(next).not.toContain('echo original');
  });

  it('approved unchanged is not "edited"', async () => {
    const { run, toolMessages } = await setup();
    const ran = await run(
      'shell',
      { command: 'echo same' },
      { action: 'edit', args: { command: 'echo same' } },
    );
    expect(ran.result.edited).toBeUndefined();
    expect((await toolMessages())[0]?.metadata).toEqual({ exitCode: 0 });
  });
});

describe('how a command ended', () => {
  it('a failing command carries its exit code; the log keeps it', async () => {
    const { run, toolMessages } = await setup();
    expect((await run('shell', { command: 'ls /no/such/folder' })).result).toMatchObject({
      ok: true,
      exitCode: 2,
    });
    expect((await run('shell', { command: 'no-such-command-xyz' })).result).toMatchObject({ exitCode: 127 });
    expect((await toolMessages()).map((m) => m.metadata?.exitCode)).toEqual([2, 127]);
  });

  it('a command stopped by the user is "stopped", with no exit code', async () => {
    const { context, log, toolMessages } = await setup();
    provider.enqueue({
      kind: 'stream',
      toolCalls: [{ id: 's1', name: 'shell', args: { command: 'sleep 30' } }],
    });
    context.setChatConfig({ autoApprove: { shell: 'always' } });
    const { done } = await context.chat.send('wait');
    await waitForEvent(log, 'tool.started');
    context.chat.interrupt();
    await done;
    expect((await waitForEvent(log, 'tool.completed')).result).toMatchObject({ stopped: true });
    expect((await waitForEvent(log, 'tool.completed')).result.exitCode).toBeUndefined();
    expect((await toolMessages())[0]?.metadata).toEqual({ stopped: true });
  });
});

describe('a file tool aimed outside the workspace', () => {
  it('is refused before the user is asked', async () => {
    const outside = await makeWorkspace();
    const { workspace, run } = await setup();
    await symlink(outside, path.join(workspace, 'out'));
    for (const [name, args] of [
      ['save', { path: '../escape.txt', content: 'x' }],
      ['append', { path: path.join(outside, 'x.txt'), content: 'x' }],
      ['patch', { path: 'out/x.txt', patch: '<<<<<<< ORIGINAL\na\n=======\nb\n>>>>>>> UPDATED' }],
    ] as const) {
      const ran = await run(name, args);
      expect(ran, name).toMatchObject({ asked: false, status: 'failed' });
      expect(ran.result.error?.name, name).toBe('PathOutsideWorkspace');
    }
    // Inside, it still asks.
    expect(await run('save', { path: 'in.txt', content: 'x' })).toMatchObject({ asked: true });
  });

  it('with no folder open, is refused before the user is asked too', async () => {
    const engine = await createChatEngine(provider);
    const context = engine.connect('nowhere');
    const ran = await runToolTurn(provider, context, engine.events.get('nowhere')!, {
      name: 'save',
      args: { path: 'a.txt', content: 'x' },
    });
    expect(ran).toMatchObject({ asked: false, status: 'failed', result: { error: { name: 'NoWorkspace' } } });
  });
});

describe('a full output kept as an artifact', () => {
  it("is read by name from this window's conversation, and nothing else is", async () => {
    const { engine, context, run } = await setup();
    const ran = await run('shell', { command: 'for i in $(seq 1 20000); do echo "row $i"; done' });
    const name = ran.result.artifact!;
    expect(name).toMatch(/^shell-[0-9a-f]{8}\.txt$/);
    const read = await context.chat.readArtifact(name);
    expect(read.text.split('\n').filter(Boolean)).toHaveLength(20000);
    expect(read).toMatchObject({ name, truncated: false, bytes: read.text.length });

    const paths = conversationPaths(path.join(engine.dataDir, 'conversations'), context.chat.conversationId!);
    await symlink(paths.meta, path.join(paths.artifacts, 'link.txt'));
    await expect(context.chat.readArtifact('link.txt')).rejects.toMatchObject({ name: 'SymbolicLink' });
    await expect(context.chat.readArtifact('chat.json')).rejects.toMatchObject({ name: 'NotFound' });
    for (const bad of ['../chat.json', '.hidden', paths.meta]) {
      const refused = await engine.router.handle('w', 'artifact.read', { name: bad });
      expect(refused, bad).toMatchObject({ ok: false, error: { name: 'InvalidRequest' } });
    }
    // Another window's conversation keeps its artifacts to itself.
    const other = engine.connect('other');
    await other.openWorkspace(await makeWorkspace());
    await expect(other.chat.readArtifact(name)).rejects.toMatchObject({ name: 'NotFound' });
    await other.chat.create('mine');
    const otherPaths = conversationPaths(
      path.join(engine.dataDir, 'conversations'),
      other.chat.conversationId!,
    );
    await mkdir(otherPaths.artifacts, { recursive: true });
    await writeFile(path.join(otherPaths.artifacts, 'only-mine.txt'), 'mine');
    await expect(context.chat.readArtifact('only-mine.txt')).rejects.toMatchObject({ name: 'NotFound' });
    expect((await other.chat.readArtifact('only-mine.txt')).text).toBe('mine');
  });
});
