// Regressions the stress run found: a conversation handed from one window to another must keep
// exactly one owner and one writer.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createChatEngine, makeWorkspace, waitForEvent } from '../test/support/engine';
import { startScriptedProvider, type ScriptedProvider } from '../test/support/scripted-provider';

let provider: ScriptedProvider;
beforeEach(async () => {
  provider = await startScriptedProvider();
});
afterEach(async () => provider.close());

it('re-opening the conversation a window has open keeps it claimed by that window', async () => {
  const engine = await createChatEngine(provider);
  const first = engine.connect('first');
  const { id } = await first.chat.create('mine');
  await first.chat.open(id);
  expect(engine.services.owners.ownerOf(id)).toBe('first');
  const second = engine.connect('second');
  await expect(second.chat.open(id)).rejects.toMatchObject({ name: 'AlreadyOpen' });
});

it('a window that opens a conversation closed mid-turn sees everything that turn wrote', async () => {
  provider.enqueue(
    {
      kind: 'stream',
      toolCalls: [
        { id: 'w1', name: 'save', args: { path: 'a.txt', content: 'a' } },
        { id: 'w2', name: 'save', args: { path: 'b.txt', content: 'b' } },
      ],
    },
    { kind: 'stream', text: 'Carrying on.' },
  );
  const engine = await createChatEngine(provider);
  const closing = engine.connect('closing');
  await closing.openWorkspace(await makeWorkspace());
  await closing.chat.send('save two files');
  await waitForEvent(engine.events.get('closing'), 'tool.pending');
  const id = closing.chat.conversationId!;

  // Closed while w1 waits: the turn records both calls as not run, after the release.
  engine.registry.release('closing');
  const reopened = engine.connect('reopened');
  const detail = await reopened.chat.open(id);
  expect(detail.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'tool']);

  await (
    await reopened.chat.send('go on')
  ).done;
  // What the provider got is resumable: each tool call answered before the next user message.
  const roles = provider.requests[1]!.body.messages!.map((m) => m.role);
  expect(roles).toEqual(['system', 'user', 'assistant', 'tool', 'tool', 'user']);
  const log = await engine.services.conversations.open(id);
  expect(log.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'tool', 'user', 'assistant']);
});
