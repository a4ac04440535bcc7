import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bounded } from '../../../../test/support/bounded';
import {
  createChatEngine,
  openChatWindow,
  groupAlive,
  makeWorkspace,
  waitForEvent,
  type TestEngine,
} from '../../../../test/support/engine';
import { startScriptedProvider, type ScriptedProvider } from '../../../../test/support/scripted-provider';

let provider: ScriptedProvider;
beforeEach(async () => {
  provider = await startScriptedProvider();
});
afterEach(async () => {
  await provider.close();
});

async function setup(settings: Record<string, unknown> = {}) {
  const { engine, workspace, context } = await openChatWindow(
    provider,
    { 'notes.txt': 'one\ntwo\n' },
    settings,
  );
  const log = engine.events.get('w')!;
  return { engine, workspace, context, log };
}

/** Reads the conversation back from disk, as a resumed window would. */
async function reopen(engine: TestEngine, id: string) {
  return engine.services.conversations.open(id);
}

describe('a turn', () => {
  it('streams a reply, records usage and logs both messages', async () => {
    provider.enqueue({ kind: 'stream', text: 'Hello there, friend.', usage: { prompt: 12, completion: 5 } });
    const { engine, context, log } = await setup();
    const { done } = await context.chat.send('Say hello');
    await done;
    const completed = await waitForEvent(log, 'turn.completed');
    expect(completed.reason).toBe('stop');
    const deltas = log
      .filter((e) => e.name === 'message.delta')
      .map((e) => (e.payload as { text: string }).text);
    expect(deltas.join('')).toBe('Hello there, friend.');
    // Batched: far fewer events than the 5 chunks the server sent would be at most, and never per character.
    expect(deltas.length).toBeLessThanOrEqual(5);
    const saved = await reopen(engine, context.chat.conversationId!);
    expect(saved.messages.map((m) => [m.role, m.content])).toEqual([
      ['user', 'Say hello'],
      ['assistant', 'Hello there, friend.'],
    ]);
    expect(saved.messages[1]?.metadata).toMatchObject({
      model: 'scripted-model',
      usage: { promptTokens: 12, completionTokens: 5 },
    });
    expect(saved.name).toBe('Say hello');
    const request = provider.requests[0]!.body;
    expect(request.stream).toBe(true);
    expect(request.stream_options).toEqual({ include_usage: true });
    expect(request.tools?.map((t) => t.function.name).sort()).toEqual([
      'append',
      'patch',
      'read',
      'save',
      'shell',
    ]);
  });

  it('a message sent while New is still creating never lands in the conversation before it', async () => {
    provider.enqueue({ kind: 'stream', text: 'First.' }, { kind: 'stream', text: 'Second.' });
    const { engine, context } = await setup();
    await (
      await context.chat.send('one')
    ).done;
    const before = context.chat.conversationId!;
    // Clicked New, then sent at once: the send does not wait for the new conversation to exist.
    const creating = context.chat.create();
    const sending = context.chat.send('two').then(
      (turn) => turn.done.then(() => 'sent'),
      (error: Error) => error.name,
    );
    const created = await creating;
    const outcome = await sending;
    expect(outcome).toBe('Busy');
    expect((await reopen(engine, before)).messages.map((m) => m.content)).toEqual(['one', 'First.']);
    expect((await reopen(engine, created.id)).messages).toEqual([]);
  });

  it('runs read without asking and feeds the result back to the model', async () => {
    provider.enqueue(
      { kind: 'stream', toolCalls: [{ id: 'r1', name: 'read', args: { path: 'notes.txt' } }] },
      { kind: 'stream', text: 'The file has two lines.' },
    );
    const { context, log } = await setup();
    await (
      await context.chat.send('What is in notes.txt?')
    ).done;
    expect(log.some((e) => e.name === 'tool.pending')).toBe(false);
    const second = provider.requests[1]!.body.messages!;
    const toolMessage = second.find((m) => m.role === 'tool');
    expect(toolMessage).toMatchObject({ tool_call_id: 'r1' });
    expect(String(toolMessage?.content)).toMatch(/1\s+one\n\s*2\s+two/);
  });

  it('turns a malformed tool call into an error the model can read, and goes on', async () => {
    provider.enqueue(
      {
        kind: 'stream',
        toolCalls: [
          { id: 'b1', name: 'read', args: '{"path": ' },
          { id: 'b2', name: 'nope', args: {} },
          { id: 'b3', name: 'read', args: { file: 'x' } },
        ],
      },
      { kind: 'stream', text: 'Sorry.' },
    );
    const { context, log } = await setup();
    await (
      await context.chat.send('go')
    ).done;
    const results = provider.requests[1]!.body.messages!.filter((m) => m.role === 'tool').map((m) =>
      String(m.content),
    );
    expect(results[0]).toMatch(/not a JSON object/);
    expect(results[1]).toMatch(/no tool named nope.*Available: shell, read/);
    expect(results[2]).toMatch(/Invalid arguments for read.*It takes: path/);
    expect((await waitForEvent(log, 'turn.completed')).reason).toBe('stop');
  });

  it('stops at the step limit', async () => {
    const { context, log } = await setup({ maxSteps: 2 });
    provider.enqueue(
      { kind: 'stream', toolCalls: [{ name: 'read', args: { path: 'notes.txt' } }] },
      { kind: 'stream', toolCalls: [{ name: 'read', args: { path: 'notes.txt' } }] },
    );
    await (
      await context.chat.send('loop')
    ).done;
    expect((await waitForEvent(log, 'turn.completed')).reason).toBe('max-steps');
    expect(provider.requests).toHaveLength(2);
  });
});

describe('approvals, enforced in main', () => {
  const saveCall = (id: string, file: string, content = 'x') => ({
    id,
    name: 'save',
    args: { path: file, content },
  });

  it('approve runs the tool', async () => {
    provider.enqueue(
      { kind: 'stream', toolCalls: [saveCall('s1', 'a.txt', 'approved')] },
      { kind: 'stream', text: 'ok' },
    );
    const { context, log, workspace } = await setup();
    const { done } = await context.chat.send('save it');
    const pending = await waitForEvent(log, 'tool.pending');
    expect(pending).toMatchObject({ callId: 's1', tool: 'save', args: { path: 'a.txt' } });
    await expect(readFile(path.join(workspace, 'a.txt'), 'utf8')).rejects.toThrow();
    context.chat.respond('s1', { action: 'approve' });
    await done;
    expect(await readFile(path.join(workspace, 'a.txt'), 'utf8')).toBe('approved\n');
    expect(await waitForEvent(log, 'tool.completed')).toMatchObject({ status: 'completed' });
  });

  it('skip tells the model it was skipped and writes nothing', async () => {
    provider.enqueue(
      { kind: 'stream', toolCalls: [saveCall('s1', 'a.txt')] },
      { kind: 'stream', text: 'fine' },
    );
    const { context, log, workspace } = await setup();
    const { done } = await context.chat.send('save it');
    await waitForEvent(log, 'tool.pending');
    context.chat.respond('s1', { action: 'skip' });
    await done;
    await expect(readFile(path.join(workspace, 'a.txt'))).rejects.toThrow();
    const toolMessage = provider.requests[1]!.body.messages!.find((m) => m.role === 'tool');
    expect(String(toolMessage?.content)).toMatch(/skipped/);
    expect(await waitForEvent(log, 'tool.completed')).toMatchObject({ status: 'skipped' });
  });

  it('edit runs the edited arguments', async () => {
    provider.enqueue(
      { kind: 'stream', toolCalls: [saveCall('s1', 'a.txt', 'model text')] },
      { kind: 'stream', text: 'ok' },
    );
    const { context, log, workspace } = await setup();
    const { done } = await context.chat.send('save it');
    await waitForEvent(log, 'tool.pending');
    context.chat.respond('s1', { action: 'edit', args: { path: 'b.txt', content: 'user text' } });
    await done;
    expect(await readFile(path.join(workspace, 'b.txt'), 'utf8')).toBe('user text\n');
    await expect(readFile(path.join(workspace, 'a.txt'))).rejects.toThrow();
  });

  it('auto N approves this call and the next N, then asks again', async () => {
    provider.enqueue(
      {
        kind: 'stream',
        toolCalls: [
          saveCall('c1', '1.txt'),
          saveCall('c2', '2.txt'),
          saveCall('c3', '3.txt'),
          saveCall('c4', '4.txt'),
        ],
      },
      { kind: 'stream', text: 'done' },
    );
    const { context, log } = await setup();
    const { done } = await context.chat.send('save four');
    await waitForEvent(log, 'tool.pending', (p) => p.callId === 'c1');
    context.chat.respond('c1', { action: 'auto', count: 2 });
    await waitForEvent(log, 'tool.pending', (p) => p.callId === 'c4');
    const asked = log
      .filter((e) => e.name === 'tool.pending')
      .map((e) => (e.payload as { callId: string }).callId);
    expect(asked).toEqual(['c1', 'c4']);
    context.chat.respond('c4', { action: 'approve' });
    await done;
  });

  it('always approves this tool for this conversation and is remembered with it', async () => {
    provider.enqueue(
      { kind: 'stream', toolCalls: [saveCall('c1', '1.txt')] },
      { kind: 'stream', toolCalls: [saveCall('c2', '2.txt')] },
      { kind: 'stream', text: 'done' },
    );
    const { engine, context, log } = await setup();
    const { done } = await context.chat.send('save');
    await waitForEvent(log, 'tool.pending');
    context.chat.respond('c1', { action: 'always' });
    await done;
    expect(log.filter((e) => e.name === 'tool.pending')).toHaveLength(1);
    expect(context.config.effective.autoApprove).toEqual({ save: 'always' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const meta = await engine.services.conversations.readMeta(context.chat.conversationId!);
    expect(meta.chat).toMatchObject({ autoApprove: { save: 'always' } });
  });

  it('unsetting "always" in the chat config makes the next turn ask again', async () => {
    provider.enqueue(
      { kind: 'stream', toolCalls: [saveCall('c1', '1.txt')] },
      { kind: 'stream', text: 'one' },
      { kind: 'stream', toolCalls: [saveCall('c2', '2.txt')] },
      { kind: 'stream', text: 'two' },
    );
    const { context, log, workspace } = await setup();
    const first = await context.chat.send('save one');
    await waitForEvent(log, 'tool.pending', (p) => p.callId === 'c1');
    context.chat.respond('c1', { action: 'always' });
    await first.done;
    context.setChatConfig({}, ['autoApprove']);
    const second = await context.chat.send('save two');
    // Asked, or run without asking (the turn then ends on its own): whichever comes first.
    const asked = await Promise.race([
      waitForEvent(log, 'tool.pending', (p) => p.callId === 'c2').then(() => true),
      second.done.then(() => false),
    ]);
    expect(asked).toBe(true);
    expect(context.chat.grants).toEqual([]);
    context.chat.respond('c2', { action: 'skip' });
    await second.done;
    expect(await waitForEvent(log, 'tool.completed', (p) => p.callId === 'c2')).toMatchObject({
      status: 'skipped',
    });
    await expect(readFile(path.join(workspace, '2.txt'))).rejects.toThrow();
  });

  it('a numeric auto-approve in the chat config is refused, never accepted and ignored', async () => {
    provider.enqueue(
      { kind: 'stream', toolCalls: [saveCall('n1', '1.txt')] },
      { kind: 'stream', text: 'done' },
    );
    const { engine, context, log, workspace } = await setup();
    // "Auto next N" is given on a card, for that card's tool: a count set for the whole chat
    // would pass and then never reach the approval gate.
    const set = await engine.router.handle('w', 'config.set', { scope: 'chat', values: { autoApprove: 3 } });
    expect(set).toMatchObject({
      ok: false,
      error: { name: 'InvalidRequest', message: expect.stringMatching(/autoApprove: .*auto next N.*card/) },
    });
    expect(context.chatConfig.autoApprove).toBeUndefined();
    const { done } = await context.chat.send('save');
    await waitForEvent(log, 'tool.pending', (p) => p.callId === 'n1');
    context.chat.respond('n1', { action: 'skip' });
    await done;
    await expect(readFile(path.join(workspace, '1.txt'))).rejects.toThrow();
  });

  it('refuses an answer for a call that is not waiting in this context', async () => {
    const { context } = await setup();
    expect(() => context.chat.respond('someone-elses-call', { action: 'approve' })).toThrow(/No tool call/);
  });

  it('a window closed while a tool waits rejects it, kills its shell, and leaves a valid log', async () => {
    provider.enqueue(
      { kind: 'stream', toolCalls: [{ id: 'sh1', name: 'shell', args: { command: 'echo warm' } }] },
      { kind: 'stream', toolCalls: [{ id: 'sh2', name: 'shell', args: { command: 'touch never.txt' } }] },
    );
    const { engine, context, log, workspace } = await setup();
    const { done } = await context.chat.send('run things');
    await waitForEvent(log, 'tool.pending', (p) => p.callId === 'sh1');
    context.chat.respond('sh1', { action: 'approve' });
    await waitForEvent(log, 'tool.pending', (p) => p.callId === 'sh2');
    const shell = context.shellPid;
    expect(groupAlive(shell)).toBe(true);
    const id = context.chat.conversationId!;
    engine.registry.release('w');
    await done;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(groupAlive(shell)).toBe(false);
    await expect(readFile(path.join(workspace, 'never.txt'))).rejects.toThrow();
    const saved = await reopen(engine, id);
    expect(saved.messages.at(-1)).toMatchObject({ role: 'tool', call_id: 'sh2' });
    expect(saved.skippedLines).toBe(0);
  });
});

describe('interrupt', () => {
  it('during streaming ends the turn within a second and keeps the partial text', async () => {
    provider.enqueue({ kind: 'stream', text: 'word '.repeat(400), delayMs: 20 });
    const { engine, context, log } = await setup();
    const { done } = await context.chat.send('talk a lot');
    await waitForEvent(log, 'message.delta');
    const started = Date.now();
    expect(context.chat.interrupt()).toBe(true);
    await done;
    expect(Date.now() - started).toBeLessThan(1_000);
    expect((await waitForEvent(log, 'turn.completed')).reason).toBe('interrupted');
    const saved = await reopen(engine, context.chat.conversationId!);
    const assistant = saved.messages.at(-1)!;
    expect(assistant.role).toBe('assistant');
    expect(assistant.metadata?.interrupted).toBe(true);
    expect(assistant.content.length).toBeGreaterThan(0);
    expect('word '.repeat(400).startsWith(assistant.content)).toBe(true);
  });

  it('during a long shell command ends the turn within a second and leaves no process', async () => {
    provider.enqueue({
      kind: 'stream',
      toolCalls: [{ id: 'z', name: 'shell', args: { command: 'sleep 30' } }],
    });
    const { engine, context, log } = await setup({});
    context.setChatConfig({ autoApprove: 'always' });
    const { done } = await context.chat.send('sleep');
    await waitForEvent(log, 'tool.started');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const shell = context.shellPid;
    expect(groupAlive(shell)).toBe(true);
    const started = Date.now();
    context.chat.interrupt();
    await done;
    expect(Date.now() - started).toBeLessThan(1_000);
    expect((await waitForEvent(log, 'turn.completed')).reason).toBe('interrupted');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(groupAlive(shell)).toBe(false);
    const saved = await reopen(engine, context.chat.conversationId!);
    expect(saved.messages.at(-1)).toMatchObject({ role: 'tool', call_id: 'z' });
  });
});

describe('provider errors', () => {
  async function failWith(...steps: Parameters<ScriptedProvider['enqueue']>) {
    provider.enqueue(...steps);
    const { engine, context, log } = await setup({ requestTimeoutMs: 400 });
    const { done } = await context.chat.send('hello?');
    await done;
    const saved = await reopen(engine, context.chat.conversationId!);
    expect(saved.messages[0]).toMatchObject({ role: 'user', content: 'hello?' });
    expect(saved.skippedLines).toBe(0);
    return { log, saved };
  }

  it('401 fails the turn with a message about the key', async () => {
    const { log } = await failWith({ kind: 'error', status: 401 });
    const failed = await waitForEvent(log, 'turn.failed');
    expect(failed.error.name).toBe('ProviderAuth');
    expect(failed.error.message).toMatch(/API key/);
  });

  it('404 names the model', async () => {
    const { log } = await failWith({ kind: 'error', status: 404, message: 'model not found' });
    const failed = await waitForEvent(log, 'turn.failed');
    expect(failed.error).toMatchObject({
      name: 'ModelNotFound',
      message: expect.stringContaining('scripted-model'),
    });
  });

  it('429 is retried with backoff, then succeeds', async () => {
    const { log, saved } = await failWith(
      { kind: 'error', status: 429, headers: { 'retry-after-ms': '10' } },
      { kind: 'stream', text: 'Finally.' },
    );
    expect((await waitForEvent(log, 'turn.completed')).reason).toBe('stop');
    expect(saved.messages.at(-1)?.content).toBe('Finally.');
    expect(provider.requests).toHaveLength(2);
  });

  it('500 is retried, then fails the turn', async () => {
    const err = { kind: 'error' as const, status: 500, headers: { 'retry-after-ms': '5' } };
    const { log } = await failWith(err, err, err, err);
    expect((await waitForEvent(log, 'turn.failed')).error.name).toBe('ProviderUnavailable');
    expect(provider.requests).toHaveLength(4);
  });

  it('a stream dropped mid-way fails the turn and keeps the partial reply', async () => {
    const { log, saved } = await failWith({ kind: 'drop', text: 'Half a sent' });
    expect((await waitForEvent(log, 'turn.failed')).error.name).toMatch(
      /StreamDropped|ProviderDropped|ProviderUnreachable/,
    );
    expect(saved.messages.at(-1)).toMatchObject({ role: 'assistant', content: 'Half a sent' });
    expect(saved.messages.at(-1)?.metadata?.error).toBeTruthy();
  });

  it('a provider that never answers times out', async () => {
    const hang = { kind: 'hang' as const };
    const { log } = await failWith(hang, hang, hang, hang);
    expect((await waitForEvent(log, 'turn.failed')).error.name).toBe('ProviderTimeout');
  });

  it('a stream that stalls mid-reply times out and keeps what arrived', async () => {
    const { log, saved } = await failWith({ kind: 'stall', text: 'The first half' });
    expect((await waitForEvent(log, 'turn.failed')).error.name).toBe('ProviderTimeout');
    expect(saved.messages.at(-1)).toMatchObject({ role: 'assistant', content: 'The first half' });
  });

  it('without a key for the default OpenAI endpoint, send fails before writing anything', async () => {
    const { createTestEngine } = await import('../../../../test/support/engine');
    const engine = await createTestEngine();
    const context = engine.connect('x');
    await expect(context.chat.send('hi')).rejects.toMatchObject({ name: 'ProviderNotConfigured' });
    expect(context.chat.conversationId).toBeNull();
    expect((await engine.services.conversations.list()).total).toBe(0);
  });
});

describe('retry', () => {
  it('after a failure past a tool call, goes on from the tool result with the user message once', async () => {
    provider.enqueue(
      { kind: 'stream', toolCalls: [{ id: 'r1', name: 'read', args: { path: 'notes.txt' } }] },
      { kind: 'error', status: 401 },
    );
    const { engine, context, log } = await setup();
    await (
      await context.chat.send('Read notes.txt')
    ).done;
    await waitForEvent(log, 'turn.failed');
    const id = context.chat.conversationId!;
    const failedLog = (await reopen(engine, id)).messages;
    expect(failedLog.map((m) => m.role)).toEqual(['user', 'assistant', 'tool']);
    expect(failedLog.at(-1)?.metadata?.failure).toMatchObject({ name: 'ProviderAuth' });

    provider.enqueue({ kind: 'stream', text: 'Two lines.' });
    await (
      await context.chat.retry()
    ).done;
    const request = provider.requests.at(-1)!.body.messages!;
    expect(request.filter((m) => m.role === 'user')).toHaveLength(1);
    expect(request.at(-1)).toMatchObject({ role: 'tool', tool_call_id: 'r1' });
    const saved = (await reopen(engine, id)).messages;
    expect(saved.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
    expect(JSON.stringify(saved)).not.toContain('failure');
    expect(context.chat.messages).toEqual(saved);
  });

  it('replaces the last reply with a new one, and says which message went', async () => {
    provider.enqueue({ kind: 'stream', text: 'First.' }, { kind: 'stream', text: 'Second.' });
    const { engine, context, log } = await setup();
    await (
      await context.chat.send('Say something')
    ).done;
    const first = context.chat.messages.at(-1)!;
    await (
      await context.chat.retry()
    ).done;
    expect(log.find((e) => e.name === 'message.removed')?.payload).toMatchObject({ messageIds: [first.id] });
    expect(JSON.stringify(provider.requests.at(-1)!.body.messages)).not.toContain('First.');
    const saved = (await reopen(engine, context.chat.conversationId!)).messages;
    expect(saved.map((m) => m.content)).toEqual(['Say something', 'Second.']);
  });

  it('refuses when there is no reply to retry', async () => {
    const { context } = await setup();
    await expect(context.chat.retry()).rejects.toMatchObject({ name: 'NothingToRetry' });
  });
});

describe('delete', () => {
  it('a user message goes with its turn, tool exchange included; a reply with its tool results', async () => {
    provider.enqueue(
      { kind: 'stream', toolCalls: [{ id: 'r1', name: 'read', args: { path: 'notes.txt' } }] },
      { kind: 'stream', text: 'Two lines.' },
      { kind: 'stream', toolCalls: [{ id: 'r2', name: 'read', args: { path: 'notes.txt' } }] },
      { kind: 'stream', text: 'Still two.' },
    );
    const { engine, context } = await setup();
    await (
      await context.chat.send('Read it')
    ).done;
    await (
      await context.chat.send('Again')
    ).done;
    const id = context.chat.conversationId!;
    const [first, , , , second, call] = context.chat.messages;
    expect((await context.chat.deleteMessage(first!.id)).removed).toHaveLength(4);
    expect((await reopen(engine, id)).messages.map((m) => m.content)).toEqual([
      'Again',
      '',
      expect.stringContaining('one'),
      'Still two.',
    ]);
    expect(second?.content).toBe('Again');
    await context.chat.deleteMessage(call!.id);
    const saved = await reopen(engine, id);
    expect(saved.messages.map((m) => [m.role, m.content])).toEqual([
      ['user', 'Again'],
      ['assistant', 'Still two.'],
    ]);
    expect(saved.messageCount).toBe(2);
    await expect(context.chat.deleteMessage(call!.id)).rejects.toMatchObject({ name: 'NotFound' });
  });
});

describe('a window that draws itself again', () => {
  it('sees nothing running and no conversation before the first message', async () => {
    const { context } = await setup();
    expect(await context.chat.snapshot()).toEqual({
      conversation: null,
      turnId: null,
      turnStartedAt: null,
      pending: [],
      live: null,
    });
    expect(await context.chat.detail()).toBeNull();
  });

  it('mid-turn: the conversation, the running turn, the reply so far and the call waiting for approval', async () => {
    provider.enqueue(
      {
        kind: 'stream',
        text: 'Saving now.',
        toolCalls: [{ id: 'p1', name: 'save', args: { path: 'a.txt', content: 'x' } }],
      },
      { kind: 'stream', text: 'word '.repeat(200), delayMs: 10 },
    );
    const { engine, context, log, workspace } = await setup();
    const before = Date.now();
    const { turnId, done } = await context.chat.send('save it');
    await waitForEvent(log, 'tool.pending');
    const id = context.chat.conversationId!;
    const meta = await engine.services.conversations.readMeta(id);
    const waiting = await context.chat.snapshot();
    expect(waiting).toEqual({
      conversation: {
        id,
        name: 'save it',
        messageCount: 2,
        shownCount: 2,
        updatedAt: meta.updatedAt,
        workspace,
        messages: context.chat.messages,
      },
      turnId,
      turnStartedAt: expect.any(Number),
      pending: [{ callId: 'p1', tool: 'save', args: { path: 'a.txt', content: 'x' } }],
      live: { draft: null, running: [] },
    });
    expect(waiting.turnStartedAt).toBeGreaterThanOrEqual(before);
    expect(waiting.turnStartedAt).toBeLessThanOrEqual(Date.now());
    expect(context.chat.turnId).toBe(turnId);
    // A copy: the conversation drawn does not change under the window.
    expect(waiting.conversation?.messages).not.toBe(context.chat.messages);
    context.chat.respond('p1', { action: 'approve' });
    await waitForEvent(log, 'message.delta', (p) => p.messageId !== waiting.conversation?.messages[1]?.id);
    const streaming = await context.chat.snapshot();
    const sofar = streaming.live?.draft?.content ?? '';
    expect(sofar.length).toBeGreaterThan(0);
    expect('word '.repeat(200).startsWith(sofar)).toBe(true);
    expect(streaming.live?.draft).toMatchObject({ role: 'assistant' });
    await done;
    expect(await context.chat.snapshot()).toMatchObject({ turnId: null, turnStartedAt: null, live: null });
    expect(context.chat.turnId).toBeNull();
    expect((await context.chat.detail())?.messages.map((m) => m.role)).toEqual([
      'user',
      'assistant',
      'tool',
      'assistant',
    ]);
  });
});

describe('attachments', () => {
  it('a text file is included in the message, and the message names it', async () => {
    provider.enqueue({ kind: 'stream', text: 'Seen.' });
    const { engine, context, workspace } = await setup();
    const file = path.join(workspace, 'notes.txt');
    await (
      await context.chat.send('Look', [file])
    ).done;
    const [user] = (await reopen(engine, context.chat.conversationId!)).messages;
    expect(user).toMatchObject({
      content: `Look\n\nAttached file ${file}:\n\`\`\`\none\ntwo\n\n\`\`\``,
      files: [file],
    });
  });

  it('a message without attachments names no files', async () => {
    provider.enqueue({ kind: 'stream', text: 'Hi.' });
    const { engine, context } = await setup();
    await (
      await context.chat.send('Hello')
    ).done;
    const [user] = (await reopen(engine, context.chat.conversationId!)).messages;
    expect(user?.content).toBe('Hello');
    expect(user).not.toHaveProperty('files');
  });

  it('a binary file is named, not included; a long one is cut at 100,000 characters', async () => {
    provider.enqueue({ kind: 'stream', text: 'Seen.' });
    const { engine, context } = await setup();
    const dir = await makeWorkspace({ 'image.bin': 'PNG\0\0data', 'long.txt': 'y'.repeat(100_001) });
    const exact = path.join(await makeWorkspace({ 'exact.txt': 'z'.repeat(100_000) }), 'exact.txt');
    const [binary, long] = [path.join(dir, 'image.bin'), path.join(dir, 'long.txt')];
    await (
      await context.chat.send('Look', [binary, long, exact])
    ).done;
    const [user] = (await reopen(engine, context.chat.conversationId!)).messages;
    expect(user?.content.split('\n\n')).toEqual([
      'Look',
      `[attached ${binary}: binary file, not included]`,
      `Attached file ${long}:\n\`\`\`\n${'y'.repeat(100_000)}\n[… cut]\n\`\`\``,
      `Attached file ${exact}:\n\`\`\`\n${'z'.repeat(100_000)}\n\`\`\``,
    ]);
  });

  it('a file that cannot be read refuses the message, and nothing is sent or saved', async () => {
    const { context, workspace } = await setup();
    const missing = path.join(workspace, 'gone.txt');
    await expect(context.chat.send('Look', [missing])).rejects.toMatchObject({
      name: 'InvalidRequest',
      message: `Cannot attach ${missing}: ${missing} does not exist`,
    });
    expect(provider.requests).toEqual([]);
    expect(context.chat.conversationId).toBeNull();
    expect(context.chat.busy).toBe(false);
  });
});

describe('a window', () => {
  it('has nothing to stop when no turn runs, and no artifact without a conversation', async () => {
    const { context } = await setup();
    expect(context.chat.interrupt()).toBe(false);
    await expect(context.chat.readArtifact('shell-0000.txt')).rejects.toMatchObject({
      name: 'NotFound',
      message: 'No conversation is open in this window',
    });
    await context.chat.waitForTurn();
  });

  it('refuses a second message while a turn runs, and anything once it is closed', async () => {
    provider.enqueue({ kind: 'hang' });
    const { context, log } = await setup();
    const { done } = await context.chat.send('one');
    expect(context.chat.busy).toBe(true);
    await expect(context.chat.send('two')).rejects.toMatchObject({
      name: 'Busy',
      message: 'A turn is running in this window; stop it first',
    });
    await expect(context.chat.create()).rejects.toMatchObject({ name: 'Busy' });
    expect(() => context.chat.detach()).toThrow(expect.objectContaining({ name: 'Busy' }));
    await waitForEvent(log, 'message.added', (p) => p.message.role === 'assistant');
    const waited = context.chat.waitForTurn();
    context.chat.interrupt();
    await waited;
    await done;
    expect(context.chat.busy).toBe(false);
    context.dispose();
    await expect(context.chat.send('three')).rejects.toMatchObject({
      name: 'NoContext',
      message: 'This window has been closed',
    });
    // Closing twice is closing once.
    context.chat.dispose();
  });

  it('a shell call with no folder open fails with a reason the model can act on', async () => {
    provider.enqueue(
      { kind: 'stream', toolCalls: [{ id: 'n1', name: 'shell', args: { command: 'pwd' } }] },
      { kind: 'stream', text: 'I need a folder.' },
    );
    const engine = await createChatEngine(provider);
    const context = engine.connect('nowhere');
    context.setChatConfig({ autoApprove: 'always' });
    const log = engine.events.get('nowhere')!;
    await (
      await context.chat.send('where am I?')
    ).done;
    expect(await waitForEvent(log, 'tool.completed')).toMatchObject({
      status: 'failed',
      result: {
        error: { name: 'NoWorkspace', message: 'No workspace folder is open; ask the user to open one.' },
      },
    });
    expect(context.shellPid).toBeUndefined();
  });
});

describe('conversations in a window', () => {
  it('New keeps the window’s choices but none of the grants of the conversation before it', async () => {
    provider.enqueue({ kind: 'stream', text: 'One.' });
    const { engine, context } = await setup();
    await (
      await context.chat.send('first')
    ).done;
    const before = context.chat.conversationId;
    context.setChatConfig({ temperature: 0.5, autoApprove: { shell: 'always' } });
    expect(context.chat.grants).toEqual([]);
    const created = await context.chat.create('Second chat');
    expect(created.name).toBe('Second chat');
    expect(context.chat.conversationId).toBe(created.id);
    expect(context.chat.conversationId).not.toBe(before);
    expect(context.chat.messages).toEqual([]);
    expect(context.chatConfig).toEqual({ temperature: 0.5 });
    expect((await engine.services.conversations.readMeta(created.id)).chat).toEqual({ temperature: 0.5 });
  });

  it('a conversation comes back with its choices, and takes the window to its folder', async () => {
    provider.enqueue({ kind: 'stream', text: 'Hi.' });
    const { engine, context, workspace } = await setup();
    context.setChatConfig({ temperature: 0.7 });
    await (
      await context.chat.send('hello')
    ).done;
    const id = context.chat.conversationId!;
    context.dispose();
    const back = engine.connect('back');
    await back.openWorkspace(await makeWorkspace());
    const detail = await back.chat.open(id);
    expect(detail.messages.map((m) => m.content)).toEqual(['hello', 'Hi.']);
    expect(back.chat.messages).toEqual(detail.messages);
    expect(back.chatConfig).toEqual({ temperature: 0.7 });
    expect(back.workspace).toBe(workspace);
  });

  it('opening the conversation a window holds again keeps it held', async () => {
    provider.enqueue({ kind: 'stream', text: 'Hi.' });
    const { engine, context, workspace } = await setup();
    await (
      await context.chat.send('hello')
    ).done;
    const id = context.chat.conversationId!;
    await context.chat.open(id);
    const other = engine.connect('other');
    await other.openWorkspace(workspace);
    await expect(other.chat.open(id)).rejects.toMatchObject({ name: 'AlreadyOpen' });
  });

  it('a conversation that cannot be opened leaves the window as it was', async () => {
    provider.enqueue({ kind: 'stream', text: 'Hi.' });
    const { context } = await setup();
    await (
      await context.chat.send('hello')
    ).done;
    const id = context.chat.conversationId!;
    await expect(context.chat.open('00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({
      name: 'NotFound',
    });
    expect(context.chat.conversationId).toBe(id);
    expect(context.chat.messages.map((m) => m.content)).toEqual(['hello', 'Hi.']);
  });

  it('detach forgets the conversation and its grants; the next message starts a new one', async () => {
    provider.enqueue({ kind: 'stream', text: 'One.' }, { kind: 'stream', text: 'Two.' });
    const { context } = await setup();
    await (
      await context.chat.send('first')
    ).done;
    const first = context.chat.conversationId;
    context.setChatConfig({ autoApprove: { save: 'always' } });
    await (
      await context.chat.send('again')
    ).done;
    expect(context.chat.grants).toEqual([{ tool: 'save', grant: 'always' }]);
    context.chat.detach();
    expect(context.chat.conversationId).toBeNull();
    expect(context.chat.messages).toEqual([]);
    expect(context.chat.grants).toEqual([]);
    expect(context.chatConfig.autoApprove).toBeUndefined();
    provider.enqueue({ kind: 'stream', text: 'Three.' });
    await (
      await context.chat.send('new')
    ).done;
    expect(context.chat.conversationId).not.toBe(first);
    expect(context.chat.messages.map((m) => m.content)).toEqual(['new', 'Three.']);
  });

  it('another folder ends every grant and starts a new shell', async () => {
    provider.enqueue(
      { kind: 'stream', toolCalls: [{ id: 'g1', name: 'shell', args: { command: 'echo one' } }] },
      { kind: 'stream', text: 'ok' },
    );
    const { context, log } = await setup();
    const { done } = await context.chat.send('run');
    await waitForEvent(log, 'tool.pending');
    context.chat.respond('g1', { action: 'always' });
    await done;
    const shell = context.shellPid;
    expect(groupAlive(shell)).toBe(true);
    expect(context.chat.grants).toEqual([{ tool: 'shell', grant: 'always' }]);
    await context.openWorkspace(await makeWorkspace());
    expect(context.chat.grants).toEqual([]);
    expect(context.chatConfig.autoApprove).toBeUndefined();
    expect(context.shellPid).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(groupAlive(shell)).toBe(false);
  });
});

describe('what a tool gets from the window', () => {
  it('the trusted project’s env, a new shell when it changes, and its output as it comes', async () => {
    provider.enqueue(
      {
        kind: 'stream',
        toolCalls: [{ id: 'v1', name: 'shell', args: { command: 'echo "A=$ANIMAL"; ls /' } }],
      },
      { kind: 'stream', text: 'ok' },
      { kind: 'stream', toolCalls: [{ id: 'v2', name: 'shell', args: { command: 'echo "A=$ANIMAL"' } }] },
      { kind: 'stream', text: 'ok' },
    );
    const { engine, workspace, context } = await openChatWindow(provider, {
      '.deskmate.toml': '[env]\nANIMAL = "otter"\n',
    });
    context.trustForThisRun();
    context.setChatConfig({ autoApprove: { shell: 'always' } });
    const log = engine.events.get('w')!;
    await (
      await context.chat.send('env')
    ).done;
    const first = await waitForEvent(log, 'tool.completed', (p) => p.callId === 'v1');
    // The project's variable, and the host's PATH underneath it (ls is found).
    expect(first.result.output).toMatch(/^A=otter\n(.*\n)*bin\n/);
    const streamed = log
      .filter((e) => e.name === 'tool.output')
      .map((e) => e.payload as { callId: string; chunk: string; offset?: number });
    expect(streamed[0]).toMatchObject({ callId: 'v1', offset: 0, chunk: expect.stringMatching(/^A=otter/) });
    const shell = context.shellPid;
    await writeFile(path.join(workspace, '.deskmate.toml'), '[env]\nANIMAL = "heron"\n');
    // A file that asks for something else is untrusted, and its grants gone, until trusted again.
    await context.reloadProjectFiles();
    context.trustForThisRun();
    context.setChatConfig({ autoApprove: { shell: 'always' } });
    await (
      await context.chat.send('env again')
    ).done;
    expect((await waitForEvent(log, 'tool.completed', (p) => p.callId === 'v2')).result.output).toMatch(
      /^A=heron\n/,
    );
    expect(context.shellPid).not.toBe(shell);
  });

  it('the shell timeout of the settings', async () => {
    provider.enqueue(
      { kind: 'stream', toolCalls: [{ id: 't1', name: 'shell', args: { command: 'sleep 10' } }] },
      { kind: 'stream', text: 'ok' },
    );
    const { context, log } = await setup({ shellTimeoutMs: 600 });
    context.setChatConfig({ autoApprove: { shell: 'always' } });
    await bounded(
      (async () => (await context.chat.send('sleep')).done)(),
      5_000,
      'a command past its timeout',
    );
    const completed = await waitForEvent(log, 'tool.completed');
    expect(completed.result.output).toMatch(/\[killed after 1 s, and the shell with it; /);
  });
});

describe('retry after a failure before any reply', () => {
  it('runs again from the user’s message, which is neither copied nor lost', async () => {
    provider.enqueue({ kind: 'error', status: 401 });
    const { engine, context, log } = await setup();
    await (
      await context.chat.send('Hello?')
    ).done;
    await waitForEvent(log, 'turn.failed');
    const id = context.chat.conversationId!;
    expect((await reopen(engine, id)).messages).toEqual([
      expect.objectContaining({
        role: 'user',
        metadata: { failure: expect.objectContaining({ name: 'ProviderAuth' }) },
      }),
    ]);
    provider.enqueue({ kind: 'stream', text: 'Hello!' });
    await (
      await context.chat.retry()
    ).done;
    expect(log.some((e) => e.name === 'message.removed')).toBe(false);
    const saved = (await reopen(engine, id)).messages;
    expect(saved.map((m) => [m.role, m.content])).toEqual([
      ['user', 'Hello?'],
      ['assistant', 'Hello!'],
    ]);
    // The failure is gone and nothing is left in its place (gptme's form has no empty metadata).
    expect(saved[0]).not.toHaveProperty('metadata');
  });

  it('a reply that failed half-way is replaced, not kept beside the new one', async () => {
    provider.enqueue({ kind: 'drop', text: 'Half a' });
    const { engine, context, log } = await setup();
    await (
      await context.chat.send('Tell me')
    ).done;
    await waitForEvent(log, 'turn.failed');
    const cut = context.chat.messages.at(-1)!;
    provider.enqueue({ kind: 'stream', text: 'The whole answer.' });
    await (
      await context.chat.retry()
    ).done;
    expect(log.find((e) => e.name === 'message.removed')?.payload).toMatchObject({ messageIds: [cut.id] });
    const saved = (await reopen(engine, context.chat.conversationId!)).messages;
    expect(saved.map((m) => m.content)).toEqual(['Tell me', 'The whole answer.']);
  });

  it('a user message that did not fail is not retried', async () => {
    provider.enqueue({ kind: 'stream', text: 'Hi.' });
    const { context } = await setup();
    await (
      await context.chat.send('hello')
    ).done;
    const id = context.chat.conversationId!;
    // The last reply deleted: the user's message is last, and nothing failed.
    await context.chat.deleteMessage(context.chat.messages.at(-1)!.id);
    expect(context.chat.conversationId).toBe(id);
    await expect(context.chat.retry()).rejects.toMatchObject({
      name: 'NothingToRetry',
      message: 'There is no reply to retry: send a message instead.',
    });
  });
});

describe('delete', () => {
  it('a reply without tool calls goes alone, and the window is told which', async () => {
    provider.enqueue({ kind: 'stream', text: 'One.' }, { kind: 'stream', text: 'Two.' });
    const { engine, context, log } = await setup();
    await (
      await context.chat.send('first')
    ).done;
    await (
      await context.chat.send('second')
    ).done;
    const reply = context.chat.messages[1]!;
    expect(await context.chat.deleteMessage(reply.id)).toEqual({ removed: [reply.id] });
    expect(log.find((e) => e.name === 'message.removed')?.payload).toEqual({
      conversationId: context.chat.conversationId,
      messageIds: [reply.id],
    });
    expect((await reopen(engine, context.chat.conversationId!)).messages.map((m) => m.content)).toEqual([
      'first',
      'second',
      'Two.',
    ]);
    expect(context.chat.busy).toBe(false);
  });

  it('the last user message goes with everything after it', async () => {
    provider.enqueue({ kind: 'stream', text: 'One.' }, { kind: 'stream', text: 'Two.' });
    const { context } = await setup();
    await (
      await context.chat.send('first')
    ).done;
    await (
      await context.chat.send('second')
    ).done;
    const [, , second, two] = context.chat.messages;
    expect((await context.chat.deleteMessage(second!.id)).removed).toEqual([second!.id, two!.id]);
    expect(context.chat.messages.map((m) => m.content)).toEqual(['first', 'One.']);
  });

  it('refuses without a conversation', async () => {
    const { context } = await setup();
    await expect(context.chat.deleteMessage('nope')).rejects.toMatchObject({
      name: 'NotFound',
      message: 'That message is not in this conversation (already deleted?)',
    });
  });
});

describe('one thing at a time in a window', () => {
  it('a fresh window holds nothing, and closes or detaches cleanly', async () => {
    const { context } = await setup();
    expect(context.chat.messages).toEqual([]);
    context.chat.detach();
    expect(context.chat.conversationId).toBeNull();
    context.dispose();
  });

  it('a second message sent at once is refused; after New, messages go to the new conversation', async () => {
    provider.enqueue({ kind: 'stream', text: 'One.' }, { kind: 'stream', text: 'Two.' });
    const { context } = await setup();
    const first = context.chat.send('one');
    await expect(context.chat.send('two')).rejects.toMatchObject({ name: 'Busy' });
    await (
      await first
    ).done;
    const created = await context.chat.create();
    await (
      await context.chat.send('three')
    ).done;
    expect(context.chat.conversationId).toBe(created.id);
    expect(context.chat.messages.map((m) => m.content)).toEqual(['three', 'Two.']);
  });

  it('opening, retrying or deleting while a turn runs is refused', async () => {
    provider.enqueue({ kind: 'stream', text: 'One.' }, { kind: 'hang' });
    const { context, log } = await setup();
    await (
      await context.chat.send('one')
    ).done;
    const id = context.chat.conversationId!;
    const { done } = await context.chat.send('two');
    await expect(context.chat.open(id)).rejects.toMatchObject({ name: 'Busy' });
    await expect(context.chat.retry()).rejects.toMatchObject({ name: 'Busy' });
    await expect(context.chat.deleteMessage(context.chat.messages[0]!.id)).rejects.toMatchObject({
      name: 'Busy',
    });
    await waitForEvent(
      log,
      'message.added',
      (p) => p.message.role === 'assistant' && p.message.content === '',
    );
    context.chat.interrupt();
    await done;
  });

  it('while a conversation opens, a retry starts or a message is deleted, nothing else starts', async () => {
    provider.enqueue({ kind: 'stream', text: 'One.' }, { kind: 'stream', text: 'Uno.' });
    const { context } = await setup();
    await (
      await context.chat.send('one')
    ).done;
    const id = context.chat.conversationId!;
    const opening = context.chat.open(id);
    await expect(context.chat.send('two')).rejects.toMatchObject({
      name: 'Busy',
      message: 'A folder or conversation is being opened in this window; try again',
    });
    await opening;
    const retrying = context.chat.retry();
    await expect(context.chat.retry()).rejects.toMatchObject({ name: 'Busy' });
    await (
      await retrying
    ).done;
    const deleting = context.chat.deleteMessage(context.chat.messages[1]!.id);
    await expect(context.chat.send('two')).rejects.toMatchObject({ name: 'Busy' });
    await deleting;
    // And once each is over, the window takes a message again.
    provider.enqueue({ kind: 'stream', text: 'Two.' });
    await (
      await context.chat.send('two')
    ).done;
    expect(context.chat.messages.map((m) => m.content)).toEqual(['one', 'two', 'Two.']);
  });

  it('after a retry, the window takes a message again', async () => {
    provider.enqueue(
      { kind: 'stream', text: 'One.' },
      { kind: 'stream', text: 'Uno.' },
      { kind: 'stream', text: 'Two.' },
    );
    const { context } = await setup();
    await (
      await context.chat.send('one')
    ).done;
    await (
      await context.chat.retry()
    ).done;
    await (
      await context.chat.send('two')
    ).done;
    expect(context.chat.messages.map((m) => m.content)).toEqual(['one', 'Uno.', 'two', 'Two.']);
  });

  it('a new conversation with no reply has nothing to retry', async () => {
    const { context } = await setup();
    await context.chat.create('empty');
    await expect(context.chat.retry()).rejects.toMatchObject({ name: 'NothingToRetry' });
  });

  it('waitForTurn waits for the turn to end', async () => {
    provider.enqueue({ kind: 'hang' });
    const { context, log } = await setup();
    await context.chat.send('one');
    let ended = false;
    const waiting = context.chat.waitForTurn().then(() => (ended = true));
    await waitForEvent(log, 'message.added', (p) => p.message.role === 'assistant');
    expect(ended).toBe(false);
    context.chat.interrupt();
    await waiting;
    expect(context.chat.busy).toBe(false);
  });

  it('a chat closed on its own refuses a message, and sends nothing', async () => {
    const { context } = await setup();
    context.chat.dispose();
    await expect(context.chat.send('hello')).rejects.toMatchObject({ name: 'NoContext' });
    expect(context.chat.conversationId).toBeNull();
    expect(provider.requests).toEqual([]);
  });
});

describe('the window hears', () => {
  it('its message, then the turn starting', async () => {
    provider.enqueue({ kind: 'stream', text: 'Hi.' });
    const { context, log } = await setup();
    const { turnId, done } = await context.chat.send('hello');
    await done;
    const id = context.chat.conversationId!;
    const names = log.map((e) => e.name);
    expect(names.indexOf('message.added')).toBeLessThan(names.indexOf('turn.started'));
    expect(await waitForEvent(log, 'message.added')).toEqual({
      conversationId: id,
      message: context.chat.messages[0],
    });
    expect(await waitForEvent(log, 'turn.started')).toEqual({ conversationId: id, turnId });
  });
});

describe('who holds a conversation', () => {
  it('the window whose first message made it, until it moves on to another', async () => {
    provider.enqueue({ kind: 'stream', text: 'Hi.' });
    const { engine, context, workspace } = await setup();
    await (
      await context.chat.send('hello')
    ).done;
    const first = context.chat.conversationId!;
    const other = engine.connect('other');
    await other.openWorkspace(workspace);
    await expect(other.chat.open(first)).rejects.toMatchObject({ name: 'AlreadyOpen' });
    const second = await context.chat.create('next');
    await expect(other.chat.open(second.id)).rejects.toMatchObject({ name: 'AlreadyOpen' });
    await other.chat.open(first);
    expect(other.chat.conversationId).toBe(first);
    // And back: opening another conversation lets go of the one held.
    await context.chat.open(first).catch(() => undefined);
    other.chat.detach();
    await context.chat.open(first);
    const third = engine.connect('third');
    await third.openWorkspace(workspace);
    await third.chat.open(second.id);
    expect(third.chat.conversationId).toBe(second.id);
  });

  it('a window closed mid-turn lets the next window read the whole log', async () => {
    provider.enqueue({ kind: 'stream', text: 'word '.repeat(400), delayMs: 10 });
    const { engine, context, log, workspace } = await setup();
    await context.chat.send('talk');
    await waitForEvent(log, 'message.delta');
    const id = context.chat.conversationId!;
    engine.registry.release('w');
    const other = engine.connect('other');
    await other.openWorkspace(workspace);
    const detail = await other.chat.open(id);
    expect(detail.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(detail.messages[1]?.metadata?.interrupted).toBe(true);
  });
});

describe('grants and another conversation', () => {
  it('a counted grant ends with the conversation it was given in', async () => {
    provider.enqueue(
      { kind: 'stream', toolCalls: [{ id: 'c1', name: 'save', args: { path: 'a.txt', content: 'x' } }] },
      { kind: 'stream', text: 'ok' },
    );
    const { context, log } = await setup();
    const { done } = await context.chat.send('save');
    await waitForEvent(log, 'tool.pending');
    context.chat.respond('c1', { action: 'auto', count: 3 });
    await done;
    expect(context.chat.grants).toEqual([{ tool: 'save', grant: 3 }]);
    await context.chat.create();
    expect(context.chat.grants).toEqual([]);
  });

  it('a grant is not restored where its folder is gone', async () => {
    provider.enqueue(
      { kind: 'stream', toolCalls: [{ id: 'c1', name: 'shell', args: { command: 'true' } }] },
      { kind: 'stream', text: 'ok' },
    );
    const { engine, context, log, workspace } = await setup();
    const { done } = await context.chat.send('run');
    await waitForEvent(log, 'tool.pending');
    context.chat.respond('c1', { action: 'always' });
    await done;
    const id = context.chat.conversationId!;
    context.dispose();
    await rm(workspace, { recursive: true, force: true });
    const back = engine.connect('back');
    const elsewhere = await makeWorkspace();
    await back.openWorkspace(elsewhere);
    await back.chat.open(id);
    expect(back.workspace).toBe(elsewhere);
    expect(back.chat.grants).toEqual([]);
    expect(back.chatConfig.autoApprove).toBeUndefined();
  });

  it('a conversation with no folder leaves the window in its own', async () => {
    provider.enqueue({ kind: 'stream', text: 'Hi.' });
    const engine = await createChatEngine(provider);
    const loose = engine.connect('loose');
    await (
      await loose.chat.send('hello')
    ).done;
    const id = loose.chat.conversationId!;
    loose.dispose();
    const context = engine.connect('w');
    const workspace = await makeWorkspace();
    await context.openWorkspace(workspace);
    await context.chat.open(id);
    expect(context.workspace).toBe(workspace);
  });

  it('revoking: "*" takes back only the every-tool grant, and a tool without a grant has none to lose', async () => {
    const { context } = await setup();
    context.setChatConfig({ autoApprove: { shell: 'always', save: 'always' } });
    expect(context.chat.revokeGrant('*')).toBe(false);
    expect(context.chatConfig.autoApprove).toEqual({ shell: 'always', save: 'always' });
    expect(context.chat.revokeGrant('save')).toBe(true);
    expect(context.chatConfig.autoApprove).toEqual({ shell: 'always' });
    context.setChatConfig({}, ['autoApprove']);
    expect(context.chat.revokeGrant('shell')).toBe(false);
  });
});

describe('Deskmate’s own data, inside the folder opened', () => {
  it('is never read, written or sent, even when the workspace holds it', async () => {
    provider.enqueue(
      {
        kind: 'stream',
        toolCalls: [
          { id: 'd1', name: 'read', args: { path: 'data/settings.json' } },
          { id: 'd2', name: 'save', args: { path: 'data/evil.txt', content: 'x' } },
        ],
      },
      { kind: 'stream', text: 'ok' },
    );
    const workspace = await makeWorkspace({ '.deskmate.toml': 'files = ["data/settings.json"]\n' });
    // The workspace holds the data folder, as the home folder would.
    await mkdir(path.join(workspace, 'data'));
    const engine = await createChatEngine(provider, {}, { dataDir: path.join(workspace, 'data') });
    const context = engine.connect('w');
    await context.openWorkspace(workspace);
    const log = engine.events.get('w')!;
    await (
      await context.chat.send('peek')
    ).done;
    const system = String(provider.requests[0]?.body.messages?.[0]?.content);
    expect(system).toMatch(/\(data\/settings\.json could not be included: /);
    expect((await waitForEvent(log, 'tool.completed', (p) => p.callId === 'd1')).status).toBe('failed');
    const refused = await waitForEvent(log, 'tool.completed', (p) => p.callId === 'd2');
    expect(refused.status).toBe('failed');
    expect(log.some((e) => e.name === 'tool.pending')).toBe(false);
  });
});

describe('a big attachment', () => {
  it('is cut, not refused', async () => {
    provider.enqueue({ kind: 'stream', text: 'Seen.' });
    const { engine, context } = await setup();
    const file = path.join(await makeWorkspace({ 'big.txt': 'q'.repeat(500_000) }), 'big.txt');
    await (
      await context.chat.send('Look', [file])
    ).done;
    const [user] = (await reopen(engine, context.chat.conversationId!)).messages;
    expect(user?.content).toBe(
      `Look\n\nAttached file ${file}:\n\`\`\`\n${'q'.repeat(100_000)}\n[… cut]\n\`\`\``,
    );
  });
});

describe('"Always" on a card', () => {
  it('given while a program granted every tool, saves the grant for that tool', async () => {
    provider.enqueue(
      { kind: 'stream', toolCalls: [{ id: 'w1', name: 'shell', args: { command: 'true' } }] },
      { kind: 'stream', text: 'ok' },
    );
    const { context, log } = await setup();
    const { done } = await context.chat.send('run');
    await waitForEvent(log, 'tool.pending');
    context.setChatConfig({ autoApprove: 'always' });
    context.chat.respond('w1', { action: 'always' });
    await done;
    expect(context.chatConfig.autoApprove).toEqual({ shell: 'always' });
  });
});

describe('a snapshot taken as the conversation goes', () => {
  it('shows no conversation rather than a mix of the old one and none', async () => {
    provider.enqueue({ kind: 'stream', text: 'Hi.' });
    const { context } = await setup();
    await (
      await context.chat.send('hello')
    ).done;
    const taking = context.chat.snapshot();
    context.chat.detach();
    expect((await taking).conversation).toBeNull();
  });
});

describe('retry after a failure past a command', () => {
  it('keeps what the log says of the command that ran', async () => {
    provider.enqueue(
      { kind: 'stream', toolCalls: [{ id: 'x1', name: 'shell', args: { command: 'true' } }] },
      { kind: 'error', status: 401 },
    );
    const { engine, context } = await setup();
    context.setChatConfig({ autoApprove: { shell: 'always' } });
    await (
      await context.chat.send('run')
    ).done;
    const id = context.chat.conversationId!;
    expect((await reopen(engine, id)).messages.at(-1)?.metadata).toMatchObject({
      exitCode: 0,
      failure: { name: 'ProviderAuth' },
    });
    provider.enqueue({ kind: 'stream', text: 'Done.' });
    await (
      await context.chat.retry()
    ).done;
    const tool = (await reopen(engine, id)).messages.find((m) => m.role === 'tool');
    expect(tool?.metadata).toEqual({ exitCode: 0 });
  });
});

describe('a conversation that cannot be read', () => {
  it('is not held by the window that tried', async () => {
    provider.enqueue({ kind: 'stream', text: 'Hi.' });
    const { engine, context, workspace } = await setup();
    await (
      await context.chat.send('hello')
    ).done;
    const id = context.chat.conversationId!;
    context.dispose();
    const log = path.join(engine.dataDir, 'conversations', id, 'conversation.jsonl');
    const kept = await readFile(log);
    await rm(log);
    await mkdir(log);
    const first = engine.connect('first');
    await first.openWorkspace(workspace);
    await expect(first.chat.open(id)).rejects.toThrow();
    expect(first.chat.conversationId).toBeNull();
    await rm(log, { recursive: true });
    await writeFile(log, kept);
    const second = engine.connect('second');
    await second.openWorkspace(workspace);
    expect((await second.chat.open(id)).messages.map((m) => m.content)).toEqual(['hello', 'Hi.']);
  });
});

describe('New or detach without a grant', () => {
  it('tells the window of no config change: there was nothing to forget', async () => {
    provider.enqueue({ kind: 'stream', text: 'Hi.' });
    const { context, log } = await setup();
    context.setChatConfig({ temperature: 0.5 });
    await (
      await context.chat.send('hello')
    ).done;
    const changes = () => log.filter((e) => e.name === 'config.changed').length;
    const before = changes();
    context.chat.detach();
    await context.chat.create();
    expect(changes()).toBe(before);
    expect(context.chatConfig).toEqual({ temperature: 0.5 });
  });
});

describe('opening a conversation of the folder the window is in', () => {
  it('keeps the window’s shell, and does not tell it its folder changed', async () => {
    provider.enqueue(
      { kind: 'stream', toolCalls: [{ id: 'h1', name: 'shell', args: { command: 'cd /' } }] },
      { kind: 'stream', text: 'ok' },
    );
    const { context, log } = await setup();
    context.setChatConfig({ autoApprove: { shell: 'always' } });
    await (
      await context.chat.send('go')
    ).done;
    const shell = context.shellPid;
    expect(shell).toBeDefined();
    const folderNews = () => log.filter((e) => e.name === 'workspace.changed').length;
    const before = folderNews();
    await context.chat.open(context.chat.conversationId!);
    expect(context.shellPid).toBe(shell);
    expect(folderNews()).toBe(before);
  });
});

describe('a log that cannot be written', () => {
  it('fails the turn, and the window is told why', async () => {
    provider.enqueue(
      { kind: 'stream', toolCalls: [{ id: 'l1', name: 'save', args: { path: 'a.txt', content: 'x' } }] },
      { kind: 'stream', text: 'never' },
    );
    const { engine, context, log } = await setup();
    const { done } = await context.chat.send('save');
    await waitForEvent(log, 'tool.pending');
    const id = context.chat.conversationId!;
    // Its folder removed behind Deskmate's back (a cleanup, a full disk would do the same).
    await rm(path.join(engine.dataDir, 'conversations', id), {
      recursive: true,
      force: true,
    });
    context.chat.respond('l1', { action: 'approve' });
    await done;
    const failed = await waitForEvent(log, 'turn.failed');
    expect(failed).toMatchObject({
      conversationId: id,
      error: { name: 'NotFound', message: `No conversation ${id}.` },
    });
    expect(context.chat.busy).toBe(false);
  });
});
