import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openChatWindow, waitForEvent } from '../../../../test/support/engine';
import { gptmeLineProblems, gptmeLogProblems } from '../../../../test/support/gptme-log-rules';
import { startScriptedProvider, type ScriptedProvider } from '../../../../test/support/scripted-provider';

let provider: ScriptedProvider;
beforeEach(async () => {
  provider = await startScriptedProvider();
});
afterEach(async () => {
  await provider.close();
});

/** Every log in the data folder, by conversation. */
async function logs(dataDir: string): Promise<Map<string, string>> {
  const root = path.join(dataDir, 'conversations');
  const out = new Map<string, string>();
  for (const id of await readdir(root)) {
    if (id === 'index.jsonl') continue;
    out.set(id, await readFile(path.join(root, id, 'conversation.jsonl'), 'utf8'));
  }
  return out;
}

async function expectLoadableByGptme(dataDir: string): Promise<void> {
  const all = await logs(dataDir);
  expect(all.size).toBeGreaterThan(0);
  for (const [id, text] of all) {
    expect(text.trim(), id).not.toBe('');
    expect(gptmeLogProblems(text), id).toEqual([]);
  }
}

describe('the gptme rules the checker applies', () => {
  const ok = { role: 'user', content: 'hi', timestamp: '2026-03-02T10:00:00.123456' };
  it('passes a line as gptme writes it, and refuses what gptme would not load as written', () => {
    expect(gptmeLineProblems(JSON.stringify(ok))).toEqual([]);
    expect(gptmeLineProblems(JSON.stringify({ ...ok, timestamp: undefined }))).toEqual([]);
    for (const bad of [
      'not json',
      JSON.stringify({ ...ok, role: 'tool' }),
      JSON.stringify({ ...ok, id: 'x' }),
      JSON.stringify({ ...ok, timestamp: 'yesterday' }),
      JSON.stringify({ ...ok, content: null }),
      JSON.stringify({ ...ok, files: [1] }),
      JSON.stringify({ ...ok, hide: 'yes' }),
      JSON.stringify({ ...ok, call_id: 'c1' }),
      JSON.stringify({ ...ok, metadata: { input_tokens: 3 } }),
      JSON.stringify({ ...ok, metadata: { usage: { promptTokens: 3 } } }),
      JSON.stringify({ ...ok, role: 'assistant', content: '@shell(c 1): {}' }),
    ])
      expect(gptmeLineProblems(bad), bad).not.toEqual([]);
    const result = JSON.stringify({ role: 'system', content: 'out', call_id: 'c1' });
    expect(gptmeLogProblems(result)).toEqual([expect.stringContaining('no earlier reply called')]);
    const call = JSON.stringify({ role: 'assistant', content: 'x\n\n@shell(c1): {"command":"ls"}' });
    expect(gptmeLogProblems(`${call}\n${result}\n`)).toEqual([]);
  });

  it('the fixture of gptme conversations passes, but for its cut line', async () => {
    const fixtures = path.resolve(__dirname, '../../../../test/fixtures/gptme-logs');
    const tidy = await readFile(path.join(fixtures, '2026-03-02-tidy-project', 'conversation.jsonl'), 'utf8');
    expect(gptmeLogProblems(tidy)).toEqual([
      'line 6: metadata.input_tokens: the old flat form, gptme writes usage.input_tokens',
      'line 6: metadata.output_tokens: the old flat form, gptme writes usage.output_tokens',
      'line 10: not JSON: gptme skips the line',
    ]);
  });
});

describe('every line Deskmate writes loads in gptme', () => {
  it('a reply with usage, tool calls approved, skipped, edited and failed, and their results', async () => {
    const { engine, context, log } = await openChatWindow(provider, { 'notes.txt': 'one\ntwo\n' });
    provider.enqueue(
      { kind: 'stream', text: 'Hello.', usage: { prompt: 12, completion: 3 } },
      {
        kind: 'stream',
        text: 'Reading, saving, running.',
        toolCalls: [
          { id: 'r1', name: 'read', args: { path: 'notes.txt' } },
          { id: 's1', name: 'save', args: { path: 'a.txt', content: 'x' } },
          // An id gptme's pattern would not read as written.
          { id: 'call (2)', name: 'save', args: { path: 'b.txt', content: 'y' } },
          { id: 'sh1', name: 'shell', args: { command: 'exit 3' } },
          { id: 'r2', name: 'read', args: { path: 'missing.txt' } },
        ],
      },
      { kind: 'stream', text: 'Done.' },
    );
    await (
      await context.chat.send('Hi')
    ).done;
    const { done } = await context.chat.send('Do it all', []);
    const answer = async (callId: string, response: Parameters<typeof context.chat.respond>[1]) => {
      await waitForEvent(log, 'tool.pending', (p) => p.callId === callId);
      context.chat.respond(callId, response);
    };
    await answer('s1', { action: 'approve' });
    await answer('call (2)', { action: 'edit', args: { path: 'c.txt', content: 'z' } });
    await answer('sh1', { action: 'approve' });
    await done;
    expect(log.filter((e) => e.name === 'tool.completed')).toHaveLength(5);
    await expectLoadableByGptme(engine.dataDir);
    // What was read back is what ran: the card of the edited call, and the model's history.
    const opened = await engine.services.conversations.open(context.chat.conversationId!);
    expect(
      opened.messages.find((m) => m.role === 'tool' && m.call_id === 'call__2_')?.metadata,
    ).toMatchObject({
      edited: true,
      args: { path: 'c.txt', content: 'z' },
    });
    expect(opened.messages.find((m) => m.role === 'tool' && m.call_id === 'sh1')?.metadata).toMatchObject({
      exitCode: 3,
    });
  });

  it('a turn that failed, its retry, a deleted message and a fork', async () => {
    const { engine, context, log } = await openChatWindow(provider);
    provider.enqueue({ kind: 'error', status: 401 });
    await (
      await context.chat.send('Hello?')
    ).done;
    await waitForEvent(log, 'turn.failed');
    await expectLoadableByGptme(engine.dataDir);
    provider.enqueue({ kind: 'stream', text: 'Hello!' }, { kind: 'stream', text: 'Second.' });
    await (
      await context.chat.retry()
    ).done;
    await (
      await context.chat.send('Again')
    ).done;
    const id = context.chat.conversationId!;
    const reply = context.chat.messages.at(-1)!;
    await context.chat.deleteMessage(reply.id);
    await engine.services.conversations.fork(id);
    expect((await logs(engine.dataDir)).size).toBe(2);
    await expectLoadableByGptme(engine.dataDir);
  });
});
