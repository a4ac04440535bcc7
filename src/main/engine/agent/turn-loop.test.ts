// The turn loop through the real engine: the scripted provider is the only fake, at the network edge.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { bounded } from '../../../../test/support/bounded';
import {
  createChatEngine,
  openChatWindow,
  makeWorkspace,
  waitForEvent,
  type RecordedEvent,
} from '../../../../test/support/engine';
import { startScriptedProvider, type ScriptedProvider } from '../../../../test/support/scripted-provider';
import type { EventName, EventPayload } from '../../../shared/contract';
import type { WindowContext } from '../context/window-context';
import { ALL_TOOLS } from '../tools/all-tools';
import { defineTool, type Tool } from '../tools/tool';

let provider: ScriptedProvider;
beforeEach(async () => {
  provider = await startScriptedProvider();
});
afterEach(async () => {
  await provider.close();
});

async function setup(settings: Record<string, unknown> = {}, options: { tools?: readonly Tool[] } = {}) {
  const { engine, workspace, context } = await openChatWindow(
    provider,
    { 'notes.txt': 'one\ntwo\n' },
    settings,
    options,
  );
  const log = engine.events.get('w')!;
  const saved = async () => (await engine.services.conversations.open(context.chat.conversationId!)).messages;
  const turn = async (text: string) => {
    const { done } = await context.chat.send(text);
    await done;
  };
  return { engine, workspace, context, log, saved, turn };
}

/** The tool results the model was sent in its second request, in order. */
const toolResultsSent = (request = 1) =>
  provider.requests[request]!.body.messages!.filter((m) => m.role === 'tool').map((m) => String(m.content));

/** `append` stands in for a tool of the test's own (tool names are a closed list). */
function replacingAppend(execute: () => Promise<string>): readonly Tool[] {
  const own = defineTool({
    name: 'append',
    description: 'A tool of the test.',
    schema: z.strictObject({}),
    needsApproval: false,
    execute,
  });
  return ALL_TOOLS.map((tool) => (tool.name === 'append' ? own : tool));
}

describe('what the model is sent', () => {
  it('the system prompt first, then the conversation, the tools, and the temperature when one is chosen', async () => {
    provider.enqueue({ kind: 'stream', text: 'One.' }, { kind: 'stream', text: 'Two.' });
    const { context, turn } = await setup();
    await turn('first');
    expect(provider.requests[0]!.body).not.toHaveProperty('temperature');
    context.setChatConfig({ temperature: 0.25 });
    await turn('second');
    const body = provider.requests[1]!.body;
    expect(body.temperature).toBe(0.25);
    expect(body.model).toBe('scripted-model');
    expect(body.messages!.map((m) => [m.role, m.content])).toEqual([
      ['system', expect.stringMatching(/^You are Deskmate/)],
      ['user', 'first'],
      ['assistant', 'One.'],
      ['user', 'second'],
    ]);
    expect(body.tools).toHaveLength(5);
  });

  it('a temperature of 0 is sent, not dropped', async () => {
    provider.enqueue({ kind: 'stream', text: 'Cold.' });
    const { context, turn } = await setup();
    context.setChatConfig({ temperature: 0 });
    await turn('go');
    expect(provider.requests[0]!.body.temperature).toBe(0);
  });
});

describe('tool call arguments the model got wrong', () => {
  it('empty arguments are an empty object: the model hears which fields the tool takes', async () => {
    provider.enqueue(
      { kind: 'stream', toolCalls: [{ id: 'e1', name: 'read', args: '  ' }] },
      { kind: 'stream', text: 'Sorry.' },
    );
    const { turn } = await setup();
    await turn('read');
    const [result] = toolResultsSent();
    expect(result).toMatch(
      /^Error \(InvalidToolArguments\): Invalid arguments for read \(path: Invalid input: expected string, received undefined\)\. It takes: path, start_line, end_line\.$/,
    );
  });

  it('JSON that is not an object is refused with an instruction, quoting at most 200 characters', async () => {
    const long = `[${'1,'.repeat(200)}1]`;
    provider.enqueue(
      {
        kind: 'stream',
        toolCalls: [
          { id: 'a1', name: 'read', args: '[1]' },
          { id: 'a2', name: 'read', args: 'null' },
          { id: 'a4', name: 'read', args: '42' },
          { id: 'a3', name: 'read', args: long },
        ],
      },
      { kind: 'stream', text: 'Sorry.' },
    );
    const { turn, saved } = await setup();
    await turn('read');
    const results = toolResultsSent();
    expect(results[0]).toBe(
      'Error (InvalidToolArguments): The arguments for read were not a JSON object: [1]. Call the tool again with valid JSON.',
    );
    expect(results[1]).toContain('were not a JSON object: null. Call the tool again');
    expect(results[2]).toContain('were not a JSON object: 42. Call the tool again');
    expect(results[3]).toContain(`were not a JSON object: ${long.slice(0, 200)}. Call the tool again`);
    // The call is kept with no arguments, so the log still reads as JSON.
    const assistant = (await saved()).find((m) => m.tool_calls);
    expect(assistant?.tool_calls?.map((c) => c.args)).toEqual([{}, {}, {}, {}]);
  });

  it('every problem is named, a key the tool does not take as one of the arguments', async () => {
    provider.enqueue(
      { kind: 'stream', toolCalls: [{ id: 'k1', name: 'read', args: { path: 7, colour: 'red' } }] },
      { kind: 'stream', text: 'Sorry.' },
    );
    const { turn } = await setup();
    await turn('read');
    const [result] = toolResultsSent();
    expect(result).toMatch(
      /^Error \(InvalidToolArguments\): Invalid arguments for read \(path: [^;]+; arguments: [^;]*colour[^;]*\)\. It takes: path, start_line, end_line\.$/,
    );
  });

  it('a call missing what it needs still asks, and the user can fix it with Edit', async () => {
    provider.enqueue(
      { kind: 'stream', toolCalls: [{ id: 'f1', name: 'save', args: { path: 'a.txt' } }] },
      { kind: 'stream', text: 'Saved.' },
      { kind: 'stream', toolCalls: [{ id: 'f2', name: 'save', args: { path: 'b.txt' } }] },
      { kind: 'stream', text: 'Hm.' },
    );
    const { context, log, workspace } = await setup();
    const first = await context.chat.send('save a');
    await waitForEvent(log, 'tool.pending', (p) => p.callId === 'f1');
    context.chat.respond('f1', { action: 'edit', args: { path: 'a.txt', content: 'fixed' } });
    await first.done;
    expect(await readFile(path.join(workspace, 'a.txt'), 'utf8')).toBe('fixed\n');
    // Approved as it was, it fails on what is missing, after the answer.
    const second = await context.chat.send('save b');
    await waitForEvent(log, 'tool.pending', (p) => p.callId === 'f2');
    context.chat.respond('f2', { action: 'approve' });
    await second.done;
    expect(await waitForEvent(log, 'tool.completed', (p) => p.callId === 'f2')).toMatchObject({
      status: 'failed',
      result: { ok: false, error: { name: 'InvalidToolArguments' } },
    });
    expect(toolResultsSent(3)[1]).toMatch(
      /^Error \(InvalidToolArguments\): Invalid arguments for save \(content: /,
    );
  });
});

describe('tool results', () => {
  it('a tool that fails tells the model its error by name; one that succeeds carries no metadata', async () => {
    provider.enqueue(
      {
        kind: 'stream',
        toolCalls: [
          { id: 'm1', name: 'read', args: { path: 'missing.txt' } },
          { id: 'm2', name: 'read', args: { path: 'notes.txt' } },
        ],
      },
      { kind: 'stream', text: 'One of two.' },
    );
    const { turn, saved, log } = await setup();
    await turn('read both');
    expect(toolResultsSent()[0]).toBe('Error (NotFound): missing.txt does not exist');
    expect(await waitForEvent(log, 'tool.completed', (p) => p.callId === 'm1')).toMatchObject({
      status: 'failed',
      result: { ok: false, output: 'missing.txt does not exist', error: { name: 'NotFound' } },
    });
    expect(await waitForEvent(log, 'tool.completed', (p) => p.callId === 'm2')).toMatchObject({
      status: 'completed',
      result: { ok: true, output: '1\tone\n2\ttwo' },
    });
    const tools = (await saved()).filter((m) => m.role === 'tool');
    expect(tools.map((m) => [m.call_id, m.content])).toEqual([
      ['m1', 'Error (NotFound): missing.txt does not exist'],
      ['m2', '1\tone\n2\ttwo'],
    ]);
    expect(tools.every((m) => !('metadata' in m))).toBe(true);
    expect(tools.every((m) => !Number.isNaN(Date.parse(m.timestamp)))).toBe(true);
  });

  it('a skipped call tells the model the user skipped it', async () => {
    provider.enqueue(
      { kind: 'stream', toolCalls: [{ id: 's1', name: 'shell', args: { command: 'touch x' } }] },
      { kind: 'stream', text: 'OK.' },
    );
    const { context, log, workspace } = await setup();
    const { done } = await context.chat.send('touch');
    await waitForEvent(log, 'tool.pending');
    context.chat.respond('s1', { action: 'skip' });
    await done;
    expect(toolResultsSent()).toEqual([
      'The user skipped this tool call; it was not run. Ask or continue without it.',
    ]);
    expect(await waitForEvent(log, 'tool.completed')).toMatchObject({
      status: 'skipped',
      result: { ok: false, output: 'Skipped by the user.' },
    });
    await expect(readFile(path.join(workspace, 'x'))).rejects.toThrow();
  });

  it('a tool that throws a plain error reaches the model as Internal, with its message', async () => {
    provider.enqueue(
      { kind: 'stream', toolCalls: [{ id: 'p1', name: 'append', args: {} }] },
      { kind: 'stream', text: 'Oops.' },
    );
    const { turn, log } = await setup(
      {},
      { tools: replacingAppend(() => Promise.reject(new Error('the disk is on fire'))) },
    );
    await turn('go');
    expect(toolResultsSent()).toEqual(['Error (Internal): the disk is on fire']);
    expect((await waitForEvent(log, 'turn.completed')).reason).toBe('stop');
  });

  it('a tool that throws something that is not an error is reported as text', async () => {
    provider.enqueue(
      { kind: 'stream', toolCalls: [{ id: 'p1', name: 'append', args: {} }] },
      { kind: 'stream', text: 'Oops.' },
    );
    // What a careless tool does.
    const { turn } = await setup({}, { tools: replacingAppend(() => Promise.reject('just a string')) });
    await turn('go');
    expect(toolResultsSent()).toEqual(['Error (Internal): just a string']);
  });
});

describe('approval', () => {
  it('a client that answers from its tool.pending handler is heard', async () => {
    provider.enqueue(
      { kind: 'stream', toolCalls: [{ id: 'q1', name: 'save', args: { path: 'q.txt', content: 'quick' } }] },
      { kind: 'stream', text: 'Done.' },
    );
    const engine = await createChatEngine(provider);
    const workspace = await makeWorkspace();
    const log: RecordedEvent[] = [];
    const errors: unknown[] = [];
    const context: WindowContext = engine.registry.create(
      'eager',
      <E extends EventName>(name: E, payload: EventPayload<E>) => {
        log.push({ name, payload });
        if (name !== 'tool.pending') return;
        try {
          context.chat.respond((payload as EventPayload<'tool.pending'>).callId, { action: 'approve' });
        } catch (error) {
          errors.push(error);
        }
      },
    );
    await context.openWorkspace(workspace);
    await (
      await context.chat.send('save')
    ).done;
    expect(errors).toEqual([]);
    expect(await readFile(path.join(workspace, 'q.txt'), 'utf8')).toBe('quick\n');
  });
});

describe('how a turn ends', () => {
  it('a provider error before any text records no reply, only the failure', async () => {
    provider.enqueue({ kind: 'error', status: 401 });
    const { context, saved, log } = await setup();
    await (
      await context.chat.send('hello?')
    ).done;
    expect((await waitForEvent(log, 'turn.failed')).error.name).toBe('ProviderAuth');
    const messages = await saved();
    expect(messages.map((m) => m.role)).toEqual(['user']);
    expect(log.some((e) => e.name === 'message.completed')).toBe(false);
  });

  it('Stop before any text keeps an empty reply marked interrupted', async () => {
    provider.enqueue({ kind: 'hang' });
    const { context, saved, log } = await setup();
    const { done } = await context.chat.send('hello?');
    await waitForEvent(log, 'message.added', (p) => p.message.role === 'assistant');
    context.chat.interrupt();
    await done;
    expect((await waitForEvent(log, 'turn.completed')).reason).toBe('interrupted');
    const last = (await saved()).at(-1);
    expect(last).toMatchObject({ role: 'assistant', content: '', metadata: { interrupted: true } });
    expect(last?.metadata).not.toHaveProperty('error');
    expect(await waitForEvent(log, 'message.completed')).toMatchObject({ message: { id: last!.id } });
  });

  it('a reply cut off keeps its text with the error, and not marked interrupted', async () => {
    provider.enqueue({ kind: 'drop', text: 'Half a' });
    const { context, saved } = await setup();
    await (
      await context.chat.send('hello?')
    ).done;
    const last = (await saved()).at(-1);
    expect(last).toMatchObject({
      role: 'assistant',
      content: 'Half a',
      metadata: { model: 'scripted-model' },
    });
    expect(last?.metadata?.error).toEqual(expect.any(String));
    expect(last?.metadata).not.toHaveProperty('interrupted');
  });

  it('Stop during a tool asks the model nothing more, and the calls after it are not run', async () => {
    provider.enqueue({
      kind: 'stream',
      toolCalls: [
        { id: 't1', name: 'shell', args: { command: 'sleep 30' } },
        { id: 't2', name: 'shell', args: { command: 'touch after.txt' } },
      ],
    });
    const { context, log, saved, workspace } = await setup();
    context.setChatConfig({ autoApprove: { shell: 'always' } });
    const { done } = await context.chat.send('sleep then touch');
    await waitForEvent(log, 'tool.started', (p) => p.callId === 't1');
    context.chat.interrupt();
    await done;
    expect(provider.requests).toHaveLength(1);
    expect(await waitForEvent(log, 'tool.completed', (p) => p.callId === 't2')).toMatchObject({
      status: 'skipped',
      result: { ok: false, output: 'Not run: the user interrupted the turn.' },
    });
    const tools = (await saved()).filter((m) => m.role === 'tool');
    expect(tools.map((m) => m.call_id)).toEqual(['t1', 't2']);
    expect(tools[0]?.metadata).toEqual({ stopped: true });
    expect(tools[1]).not.toHaveProperty('metadata');
    expect(tools[1]?.content).toBe('Not run: the user interrupted the turn.');
    await expect(readFile(path.join(workspace, 'after.txt'))).rejects.toThrow();
  });

  it('the draft the window is shown first is an empty reply of the assistant', async () => {
    provider.enqueue({ kind: 'stream', text: 'Hi.' });
    const { turn, log, saved } = await setup();
    await turn('hi');
    const added = await waitForEvent(log, 'message.added', (p) => p.message.role === 'assistant');
    const reply = (await saved()).at(-1)!;
    expect(added.message).toEqual({
      id: reply.id,
      role: 'assistant',
      content: '',
      timestamp: reply.timestamp,
    });
    expect(await waitForEvent(log, 'message.completed')).toMatchObject({
      message: { id: reply.id, content: 'Hi.', metadata: { model: 'scripted-model' } },
    });
  });
});

describe('the loop', () => {
  it('goes round while the model calls tools, and stops at the step limit', async () => {
    const read = { kind: 'stream' as const, toolCalls: [{ name: 'read', args: { path: 'notes.txt' } }] };
    provider.enqueue(read, read, read, { kind: 'stream', text: 'never asked for' });
    const { turn, log, saved } = await setup({ maxSteps: 3 });
    await turn('loop');
    expect((await waitForEvent(log, 'turn.completed')).reason).toBe('max-steps');
    expect(provider.requests).toHaveLength(3);
    expect((await saved()).map((m) => m.role)).toEqual([
      'user',
      ...['assistant', 'tool', 'assistant', 'tool', 'assistant', 'tool'],
    ]);
  });

  it('streams the reply as it comes, and keeps the usage the provider reports', async () => {
    provider.enqueue({ kind: 'stream', text: 'Hello there, friend.', usage: { prompt: 9, completion: 4 } });
    const { turn, log, saved } = await setup();
    await turn('hi');
    const reply = (await saved()).at(-1)!;
    const deltas = log
      .filter((e) => e.name === 'message.delta')
      .map((e) => e.payload as EventPayload<'message.delta'>);
    expect(deltas.every((d) => d.messageId === reply.id)).toBe(true);
    expect(deltas.map((d) => d.text).join('')).toBe('Hello there, friend.');
    expect(reply.metadata).toEqual({
      model: 'scripted-model',
      usage: { promptTokens: 9, completionTokens: 4 },
    });
    expect(reply).not.toHaveProperty('tool_calls');
  });

  it('a tool the model made up is refused with the names of the real ones', async () => {
    provider.enqueue(
      { kind: 'stream', toolCalls: [{ id: 'u1', name: 'browse', args: { url: 'x' } }] },
      { kind: 'stream', text: 'Sorry.' },
    );
    const { turn, log } = await setup();
    await turn('browse');
    expect(toolResultsSent()).toEqual([
      'Error (UnknownTool): There is no tool named browse. Available: shell, read, save, append, patch.',
    ]);
    expect(log.some((e) => e.name === 'tool.pending' || e.name === 'tool.started')).toBe(false);
  });

  it('arguments edited into something that does not fit fail, and say what the user ran', async () => {
    provider.enqueue(
      { kind: 'stream', toolCalls: [{ id: 'x1', name: 'save', args: { path: 'a.txt', content: 'x' } }] },
      { kind: 'stream', text: 'Hm.' },
    );
    const { context, log, workspace, saved } = await setup();
    const { done } = await context.chat.send('save');
    await waitForEvent(log, 'tool.pending');
    context.chat.respond('x1', { action: 'edit', args: { path: 'a.txt' } });
    await done;
    expect(await waitForEvent(log, 'tool.completed')).toMatchObject({
      status: 'failed',
      result: { ok: false, args: { path: 'a.txt' }, edited: true, error: { name: 'InvalidToolArguments' } },
    });
    expect(toolResultsSent()[0]).toMatch(
      /^\[edited by the user before it ran; it ran as: \{"path":"a.txt"\}\]\nError \(InvalidToolArguments\): Invalid arguments for save \(content: /,
    );
    expect(log.some((e) => e.name === 'tool.started')).toBe(false);
    await expect(readFile(path.join(workspace, 'a.txt'))).rejects.toThrow();
    const [result] = (await saved()).filter((m) => m.role === 'tool');
    expect(result?.metadata).toEqual({ args: { path: 'a.txt' }, edited: true });
  });

  it('Stop gives up on a tool that does not stop, and says whether it finished is unknown', async () => {
    provider.enqueue({ kind: 'stream', toolCalls: [{ id: 'k1', name: 'append', args: {} }] });
    const { context, log, saved } = await setup(
      {},
      { tools: replacingAppend(() => new Promise<string>(() => undefined)) },
    );
    const { done } = await context.chat.send('get stuck');
    await waitForEvent(log, 'tool.started');
    context.chat.interrupt();
    await bounded(done, 5_000, 'the stopped turn');
    expect(await waitForEvent(log, 'tool.completed')).toMatchObject({
      status: 'failed',
      result: {
        error: {
          name: 'Interrupted',
          message:
            'Interrupted by the user while append was running; it did not stop, so whether it finished is unknown',
        },
      },
    });
    expect((await saved()).at(-1)).toMatchObject({
      role: 'tool',
      call_id: 'k1',
      content:
        'Error (Interrupted): Interrupted by the user while append was running; it did not stop, so whether it finished is unknown',
    });
  });
});

describe('checks made before the user is asked', () => {
  it('a write outside the folder, or with no folder open, is refused without asking', async () => {
    provider.enqueue(
      {
        kind: 'stream',
        toolCalls: [{ id: 'o1', name: 'save', args: { path: '../escape.txt', content: 'x' } }],
      },
      { kind: 'stream', text: 'Sorry.' },
    );
    const { log, turn } = await setup();
    await turn('escape');
    expect(await waitForEvent(log, 'tool.completed', (p) => p.callId === 'o1')).toMatchObject({
      status: 'failed',
      result: { error: { name: 'PathOutsideWorkspace' } },
    });
    expect(log.some((e) => e.name === 'tool.pending')).toBe(false);

    provider.enqueue(
      { kind: 'stream', toolCalls: [{ id: 'n1', name: 'save', args: { path: 'a.txt', content: 'x' } }] },
      { kind: 'stream', text: 'Sorry.' },
    );
    const engine = await createChatEngine(provider);
    const nowhere = engine.connect('nowhere');
    const nowhereLog = engine.events.get('nowhere')!;
    await (
      await nowhere.chat.send('save')
    ).done;
    expect(await waitForEvent(nowhereLog, 'tool.completed')).toMatchObject({
      status: 'failed',
      result: {
        error: { name: 'NoWorkspace', message: 'No workspace folder is open; ask the user to open one.' },
      },
    });
    expect(nowhereLog.some((e) => e.name === 'tool.pending')).toBe(false);
  });

  it('a command keeps its exit code with its result', async () => {
    provider.enqueue(
      { kind: 'stream', toolCalls: [{ id: 'e1', name: 'shell', args: { command: 'false' } }] },
      { kind: 'stream', text: 'It failed.' },
    );
    const { context, log, saved } = await setup();
    context.setChatConfig({ autoApprove: { shell: 'always' } });
    await (
      await context.chat.send('fail')
    ).done;
    expect(await waitForEvent(log, 'tool.completed')).toMatchObject({
      status: 'completed',
      result: { ok: true, exitCode: 1 },
    });
    const [result] = (await saved()).filter((m) => m.role === 'tool');
    expect(result?.metadata).toEqual({ exitCode: 1 });
    expect(result?.content).toContain('[exit code 1]');
  });
});
