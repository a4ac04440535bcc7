import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createChatEngine,
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
  const engine = await createChatEngine(provider, settings);
  const workspace = await makeWorkspace({ 'notes.txt': 'one\ntwo\n' });
  const context = engine.connect('w');
  await context.openWorkspace(workspace);
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
    expect(await readFile(path.join(workspace, 'a.txt'), 'utf8')).toBe('approved');
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
    expect(await readFile(path.join(workspace, 'b.txt'), 'utf8')).toBe('user text');
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
    const shell = context.chat.shellPid;
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
    const shell = context.chat.shellPid;
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
