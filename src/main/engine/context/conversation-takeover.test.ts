import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createChatEngine, makeWorkspace, waitForEvent } from '../../../../test/support/engine';
import { startScriptedProvider, type ScriptedProvider } from '../../../../test/support/scripted-provider';
import type { ConversationDetail, ConversationSummary } from '../../../shared/domain';
import { takeConversation } from './conversation-takeover';

// Client ids are the host's handles on windows: distinctive, so a leak shows in any serialized answer.
const HOLDER = 'window-holder-5d81c2';
const TAKER = 'window-taker-93ab07';
const SECOND_TAKER = 'window-taker-2-41f6e0';

let provider: ScriptedProvider;
beforeEach(async () => {
  provider = await startScriptedProvider();
});
afterEach(async () => provider.close());

async function twoWindows() {
  const engine = await createChatEngine(provider);
  const holder = engine.connect(HOLDER);
  const taker = engine.connect(TAKER);
  const call = async <T>(client: string, method: string, input: unknown): Promise<T> => {
    const result = await engine.router.handle(client, method, input);
    if (!result.ok) throw Object.assign(new Error(result.error.message), result.error);
    return result.value as T;
  };
  const { id } = await call<ConversationSummary>(HOLDER, 'conversation.new', { name: 'Release plan' });
  return { engine, holder, taker, call, id };
}

describe('taking over a conversation open in another window', () => {
  it('is refused unless asked; asked, the other window is told and left with a new chat', async () => {
    const { engine, holder, call, id } = await twoWindows();
    const refused = await engine.router.handle(TAKER, 'conversation.open', { id });
    expect(refused).toMatchObject({
      ok: false,
      error: { name: 'AlreadyOpen', data: { conversationId: id } },
    });

    const opened = await call<ConversationDetail>(TAKER, 'conversation.open', { id, takeOver: true });
    expect(opened).toMatchObject({ id, name: 'Release plan' });
    expect(engine.services.owners.ownerOf(id)).toBe(TAKER);
    expect(holder.chat.conversationId).toBeNull();
    await waitForEvent(engine.events.get(HOLDER), 'conversation.taken', (p) => p.conversationId === id);
    // The window that lost it starts afresh: its next message is a new conversation.
    const state = await call<{ conversation: unknown }>(HOLDER, 'window.state', {});
    expect(state.conversation).toBeNull();
    expect(JSON.stringify([refused, engine.events.get(TAKER)])).not.toContain(HOLDER);
    expect(JSON.stringify(engine.events.get(HOLDER))).not.toContain(TAKER);
  });

  it("stops the other window's running turn first, keeping its partial reply in the log", async () => {
    provider.enqueue(
      { kind: 'stream', text: 'A long answer, '.repeat(400), delayMs: 20, chunkSize: 15 },
      { kind: 'stream', text: 'Picked up here.' },
    );
    const { engine, holder, call, id } = await twoWindows();
    await holder.chat.send('tell me everything');
    await waitForEvent(engine.events.get(HOLDER), 'message.delta');

    const opened = await call<ConversationDetail>(TAKER, 'conversation.open', { id, takeOver: true });
    expect(holder.chat.busy).toBe(false);
    const ended = await waitForEvent(engine.events.get(HOLDER), 'turn.completed');
    expect(ended.reason).toBe('interrupted');
    const reply = opened.messages.find((m) => m.role === 'assistant');
    expect(reply?.content).toContain('A long answer');
    expect(reply?.content.length).toBeLessThan('A long answer, '.repeat(400).length);

    // The taker carries on from there, with one writer on the log.
    await call(TAKER, 'chat.send', { text: 'go on' });
    await waitForEvent(engine.events.get(TAKER), 'turn.completed');
    const log = await engine.services.conversations.open(id);
    expect(log.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
  });

  it('is refused while this window runs a turn, and the other window keeps the conversation', async () => {
    provider.enqueue({ kind: 'stream', text: 'Busy here, '.repeat(200), delayMs: 20, chunkSize: 11 });
    const { engine, holder, taker, id } = await twoWindows();
    await taker.chat.send('keep me busy');
    const refused = await engine.router.handle(TAKER, 'conversation.open', { id, takeOver: true });
    expect(refused).toMatchObject({ ok: false, error: { name: 'Busy' } });
    expect(holder.chat.conversationId).toBe(id);
    expect(engine.services.owners.ownerOf(id)).toBe(HOLDER);
    taker.chat.interrupt();
    await taker.chat.waitForTurn();
  });

  it('needs no question when the other window is away (a tab closed or reloading), and it may come back', async () => {
    const { engine, holder, call, id } = await twoWindows();
    holder.setAway(true);
    await call(TAKER, 'conversation.rename', { id, name: 'Renamed while away' });
    const opened = await call<ConversationDetail>(TAKER, 'conversation.open', { id });
    expect(opened.name).toBe('Renamed while away');
    expect(holder.chat.conversationId).toBeNull();

    // The tab came back: it is a present window again, and its new conversation is its own.
    holder.setAway(false);
    const { id: second } = await call<ConversationSummary>(HOLDER, 'conversation.new', {});
    const refused = await engine.router.handle(TAKER, 'conversation.open', { id: second });
    expect(refused).toMatchObject({ ok: false, error: { name: 'AlreadyOpen' } });
    holder.setAway(true);
    expect(await call(TAKER, 'conversation.delete', { id: second })).toEqual({ deleted: true });
    expect(holder.chat.conversationId).toBeNull();
  });

  it('is refused while the other window is opening a folder, which keeps the conversation', async () => {
    const { engine, holder, id } = await twoWindows();
    const opening = holder.openWorkspace(await makeWorkspace());
    const refused = await engine.router.handle(TAKER, 'conversation.open', { id, takeOver: true });
    expect(refused).toMatchObject({
      ok: false,
      error: {
        name: 'Busy',
        message: 'The other window is opening a folder or conversation; try again',
        data: { conversationId: id },
      },
    });
    await opening;
    expect(holder.chat.conversationId).toBe(id);
    expect(engine.services.owners.ownerOf(id)).toBe(HOLDER);
    expect(engine.events.get(HOLDER)?.some((e) => e.name === 'conversation.taken')).toBe(false);
  });

  it('taking over what this window already holds changes nothing here', async () => {
    const { engine, holder, id } = await twoWindows();
    const again = await engine.router.handle(HOLDER, 'conversation.open', { id, takeOver: true });
    expect(again).toMatchObject({ ok: true, value: { id } });
    expect(holder.chat.conversationId).toBe(id);
    expect(engine.events.get(HOLDER)?.some((e) => e.name === 'conversation.taken')).toBe(false);
  });

  it('a holder that has already moved on is left alone, its new turn running', async () => {
    provider.enqueue({ kind: 'stream', text: 'Elsewhere, '.repeat(200), delayMs: 10, chunkSize: 11 });
    const { engine, holder, id } = await twoWindows();
    await holder.chat.create('Something else');
    const other = holder.chat.conversationId;
    await holder.chat.send('busy elsewhere');
    await waitForEvent(engine.events.get(HOLDER), 'message.delta');
    await takeConversation(holder, id);
    expect(holder.chat.conversationId).toBe(other);
    expect(holder.chat.busy).toBe(true);
    holder.chat.interrupt();
    await holder.chat.waitForTurn();
  });

  it('is refused when the other window sends a new message the moment its turn stops, which keeps the conversation', async () => {
    provider.enqueue(
      { kind: 'stream', text: 'A long answer, '.repeat(400), delayMs: 20, chunkSize: 15 },
      { kind: 'stream', text: 'And again, '.repeat(400), delayMs: 20, chunkSize: 11 },
    );
    const { engine, holder, id } = await twoWindows();
    await holder.chat.send('tell me everything');
    await waitForEvent(engine.events.get(HOLDER), 'message.delta');
    // The user there had the next message ready: it goes out as soon as the stopped turn ends.
    const next = holder.chat.waitForTurn().then(() => holder.chat.send('and more'));

    const refused = await engine.router.handle(TAKER, 'conversation.open', { id, takeOver: true });
    expect(refused).toMatchObject({
      ok: false,
      error: {
        name: 'Busy',
        message: 'A reply is being written in the other window; try again when it stops',
        data: { conversationId: id },
      },
    });
    await next;
    expect(holder.chat.conversationId).toBe(id);
    expect(engine.services.owners.ownerOf(id)).toBe(HOLDER);
    expect(engine.events.get(HOLDER)?.some((e) => e.name === 'conversation.taken')).toBe(false);
    holder.chat.interrupt();
    await holder.chat.waitForTurn();
  });

  it('is taken all the same when the other window is closed just as its turn stops', async () => {
    provider.enqueue({ kind: 'stream', text: 'A long answer, '.repeat(400), delayMs: 20, chunkSize: 15 });
    const { engine, holder, call, id } = await twoWindows();
    await holder.chat.send('tell me everything');
    await waitForEvent(engine.events.get(HOLDER), 'message.delta');
    const closed = holder.chat.waitForTurn().then(() => engine.registry.release(HOLDER));

    const opened = await call<ConversationDetail>(TAKER, 'conversation.open', { id, takeOver: true });
    expect(await closed).toBe(true);
    expect(opened).toMatchObject({ id, name: 'Release plan' });
    expect(engine.services.owners.ownerOf(id)).toBe(TAKER);
    // A closed window is told nothing.
    expect(engine.events.get(HOLDER)?.some((e) => e.name === 'conversation.taken')).toBe(false);
  });

  it('two windows taking over at once: the other window is told once, and one of them gets it', async () => {
    provider.enqueue({ kind: 'stream', text: 'A long answer, '.repeat(400), delayMs: 20, chunkSize: 15 });
    const { engine, holder, id } = await twoWindows();
    engine.connect(SECOND_TAKER);
    await holder.chat.send('tell me everything');
    await waitForEvent(engine.events.get(HOLDER), 'message.delta');

    const results = await Promise.all(
      [TAKER, SECOND_TAKER].map((client) =>
        engine.router.handle(client, 'conversation.open', { id, takeOver: true }),
      ),
    );
    const outcomes = results.map((result) => (result.ok ? 'opened' : result.error.name)).sort();
    expect(outcomes).toEqual(['AlreadyOpen', 'opened']);
    expect([TAKER, SECOND_TAKER]).toContain(engine.services.owners.ownerOf(id));
    expect(holder.chat.conversationId).toBeNull();
    expect(engine.events.get(HOLDER)?.filter((e) => e.name === 'conversation.taken')).toHaveLength(1);
  });

  it('is never deleted from another window while the window that has it open is there', async () => {
    const { engine, holder, id } = await twoWindows();
    const refused = await engine.router.handle(TAKER, 'conversation.delete', { id });
    expect(refused).toMatchObject({ ok: false, error: { name: 'AlreadyOpen' } });
    expect(holder.chat.conversationId).toBe(id);
    expect(engine.services.owners.ownerOf(id)).toBe(HOLDER);
    expect((await engine.services.conversations.open(id)).name).toBe('Release plan');
    expect(engine.events.get(HOLDER)?.some((e) => e.name === 'conversation.taken')).toBe(false);
  });

  it('a conversation no window has open is deleted from any window without asking', async () => {
    const { engine, holder, call, id } = await twoWindows();
    // The window moves on to a new conversation and lets the first one go.
    await holder.chat.create('Next plan');
    expect(engine.services.owners.ownerOf(id)).toBeUndefined();
    expect(await call(TAKER, 'conversation.delete', { id })).toEqual({ deleted: true });
    expect(holder.chat.conversationId).not.toBe(id);
  });
});
