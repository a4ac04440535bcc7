import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createChatEngine, makeWorkspace, waitForEvent } from '../../../../test/support/engine';
import { startScriptedProvider, type ScriptedProvider } from '../../../../test/support/scripted-provider';
import type { ConversationDetail, ConversationSummary } from '../../../shared/domain';
import { createEngineHandlers } from './engine-handlers';
import { Router } from './router';

let provider: ScriptedProvider;
beforeEach(async () => {
  provider = await startScriptedProvider({ models: ['zeta-model', 'alpha-model'] });
});
afterEach(async () => provider.close());

async function call<T>(router: Router, client: string, method: string, input: unknown): Promise<T> {
  const result = await router.handle(client, method, input);
  if (!result.ok) throw Object.assign(new Error(result.error.message), result.error);
  return result.value as T;
}

describe('conversation requests', () => {
  it('new, list (most recent first, searchable), rename, fork, delete', async () => {
    const engine = await createChatEngine(provider);
    engine.connect('a');
    const r = engine.router;
    const first = await call<ConversationSummary>(r, 'a', 'conversation.new', {
      name: 'Refactor the parser',
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    provider.enqueue({ kind: 'stream', text: 'Sure.' });
    await call(r, 'a', 'conversation.new', {});
    await call(r, 'a', 'chat.send', { text: 'Write release notes\nfor 2.0' });
    await engine.registry.get('a')!.chat.waitForTurn();

    const list = await call<{ items: ConversationSummary[]; total: number }>(r, 'a', 'conversation.list', {});
    expect(list.total).toBe(2);
    expect(list.items.map((c) => [c.name, c.messageCount])).toEqual([
      ['Write release notes', 2],
      ['Refactor the parser', 0],
    ]);
    const found = await call<{ items: ConversationSummary[] }>(r, 'a', 'conversation.list', {
      query: 'PARSER',
    });
    expect(found.items.map((c) => c.id)).toEqual([first.id]);

    await call(r, 'a', 'conversation.rename', { id: first.id, name: 'Parser work' });
    const notes = list.items[0]!;
    const fork = await call<ConversationSummary>(r, 'a', 'conversation.fork', { id: notes.id, atMessage: 1 });
    expect(fork).toMatchObject({ name: 'Write release notes (fork)', messageCount: 1 });
    expect(await call(r, 'a', 'conversation.delete', { id: first.id })).toEqual({ deleted: true });
    const after = await call<{ items: ConversationSummary[] }>(r, 'a', 'conversation.list', {});
    expect(after.items.map((c) => c.name).sort()).toEqual([
      'Write release notes',
      'Write release notes (fork)',
    ]);
  });

  it('a conversation open in one window cannot be opened in another; the owner is brought forward', async () => {
    const engine = await createChatEngine(provider);
    const focused: string[] = [];
    const router = new Router(
      engine.registry,
      createEngineHandlers(engine.registry, { focusClient: (id) => focused.push(id) }),
    );
    engine.connect('a');
    engine.connect('b');
    const convo = await call<ConversationSummary>(router, 'a', 'conversation.new', {});
    const result = await router.handle('b', 'conversation.open', { id: convo.id });
    expect(result).toMatchObject({ ok: false, error: { name: 'AlreadyOpen' } });
    expect(focused).toEqual(['a']);
    expect(await router.handle('b', 'conversation.delete', { id: convo.id })).toMatchObject({
      ok: false,
      error: { name: 'AlreadyOpen' },
    });
    // Once the owner closes, the conversation opens anywhere, with its workspace and chat config.
    engine.registry.release('a');
    const opened = await call<ConversationDetail>(router, 'b', 'conversation.open', { id: convo.id });
    expect(opened.id).toBe(convo.id);
  });

  it('resuming restores the workspace and chat config saved with the conversation', async () => {
    const engine = await createChatEngine(provider);
    const ws = await makeWorkspace();
    const a = engine.connect('a');
    await a.openWorkspace(ws);
    const convo = await call<ConversationSummary>(engine.router, 'a', 'conversation.new', {});
    await call(engine.router, 'a', 'config.set', { scope: 'chat', values: { model: 'picked-model' } });
    await new Promise((resolve) => setTimeout(resolve, 50));
    engine.registry.release('a');
    const b = engine.connect('b');
    await call(engine.router, 'b', 'conversation.open', { id: convo.id });
    expect(b.workspace).toBe(a.workspace);
    expect(b.config.effective.model).toBe('picked-model');
  });
});

describe('chat requests', () => {
  it('tool.respond from another window cannot approve a pending call', async () => {
    provider.enqueue(
      { kind: 'stream', toolCalls: [{ id: 'mine', name: 'shell', args: { command: 'echo hi' } }] },
      { kind: 'stream', text: 'ok' },
    );
    const engine = await createChatEngine(provider);
    const a = engine.connect('a');
    engine.connect('b');
    await a.openWorkspace(await makeWorkspace());
    await call(engine.router, 'a', 'chat.send', { text: 'run it' });
    await waitForEvent(engine.events.get('a'), 'tool.pending');
    const forged = await engine.router.handle('b', 'tool.respond', {
      callId: 'mine',
      response: { action: 'approve' },
    });
    expect(forged).toMatchObject({ ok: false, error: { name: 'NotFound' } });
    expect(a.chat.pendingApprovals).toEqual(['mine']);
    expect(
      await engine.router.handle('a', 'tool.respond', { callId: 'mine', response: { action: 'approve' } }),
    ).toEqual({
      ok: true,
      value: { accepted: true },
    });
    await a.chat.waitForTurn();
    expect(engine.events.get('b')?.some((e) => e.name.startsWith('tool.'))).toBe(false);
  });

  it('a second send while a turn runs is refused as Busy; chat.interrupt stops the turn', async () => {
    provider.enqueue({ kind: 'stream', text: 'slow '.repeat(200), delayMs: 10 });
    const engine = await createChatEngine(provider);
    engine.connect('a');
    await call(engine.router, 'a', 'chat.send', { text: 'one' });
    expect(await engine.router.handle('a', 'chat.send', { text: 'two' })).toMatchObject({
      ok: false,
      error: { name: 'Busy' },
    });
    expect(await call(engine.router, 'a', 'chat.interrupt', {})).toEqual({ interrupted: true });
    await engine.registry.get('a')!.chat.waitForTurn();
    expect(await call(engine.router, 'a', 'chat.interrupt', {})).toEqual({ interrupted: false });
  });

  it('models.list returns the provider models, sorted', async () => {
    const engine = await createChatEngine(provider);
    engine.connect('a');
    expect(await call(engine.router, 'a', 'models.list', {})).toEqual({
      models: [
        { id: 'alpha-model', ownedBy: 'scripted' },
        { id: 'zeta-model', ownedBy: 'scripted' },
      ],
    });
  });

  it('models.list with a bad key names the key', async () => {
    await provider.close();
    provider = await startScriptedProvider({ apiKey: 'the-right-key' });
    const engine = await createChatEngine(provider);
    engine.connect('a');
    expect(await engine.router.handle('a', 'models.list', {})).toMatchObject({
      ok: false,
      error: { name: 'ProviderAuth' },
    });
  });
});
