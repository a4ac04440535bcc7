import { writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { createTestEngine, makeWorkspace, waitForEvent } from '../../../../test/support/engine';
import { startScriptedProvider } from '../../../../test/support/scripted-provider';
import type { ConversationSummary } from '../../../shared/domain';
import { createEngineHandlers, type HostHooks } from './engine-handlers';
import { Router } from './router';

async function windowOf(hooks?: HostHooks, env: Record<string, string> = {}) {
  const engine = await createTestEngine(env);
  const context = engine.connect('w');
  const router = hooks
    ? new Router(engine.registry, createEngineHandlers(engine.registry, hooks))
    : engine.router;
  const call = async <T>(method: string, input: unknown = {}, client = 'w'): Promise<T> => {
    const result = await router.handle(client, method, input);
    if (!result.ok) throw Object.assign(new Error(result.error.message), result.error);
    return result.value as T;
  };
  const refusal = async (method: string, input: unknown = {}, client = 'w') => {
    const result = await router.handle(client, method, input);
    if (result.ok) throw new Error(`${method} was not refused`);
    return result.error;
  };
  return { engine, context, router, call, refusal };
}

describe('the settings view', () => {
  it('shows what is stored, says whether a key is, and never sends the key', async () => {
    const { engine, call } = await windowOf();
    expect(await call('settings.get')).toEqual({
      values: {},
      hasApiKey: false,
      keyStorage: 'file',
      path: engine.settings.path,
    });
    const saved = await call('settings.set', {
      values: { model: 'm1', provider: { baseUrl: 'http://127.0.0.1:7/v1', apiKey: 'sk-kept-secret' } },
    });
    const expected = {
      values: { model: 'm1', provider: { baseUrl: 'http://127.0.0.1:7/v1' } },
      hasApiKey: true,
      keyStorage: 'file',
      path: engine.settings.path,
    };
    expect(saved).toEqual(expected);
    expect(await call('settings.get')).toEqual(expected);
  });

  it('a key stored without a URL shows as a provider with nothing to show', async () => {
    const { call } = await windowOf();
    expect(await call('settings.set', { values: { provider: { apiKey: 'sk-only-a-key' } } })).toMatchObject({
      values: { provider: {} },
      hasApiKey: true,
    });
    expect(await call('settings.set', { values: {}, unset: ['provider'] })).toMatchObject({
      values: {},
      hasApiKey: false,
    });
  });
});

describe('config.set', () => {
  it("the user's settings change every window's config, shown with the key redacted", async () => {
    const { engine, context, call } = await windowOf(undefined, { OPENAI_API_KEY: 'sk-env-key-9876' });
    const other = engine.connect('other');
    await call('settings.set', { values: { model: 'shared-model' } });
    const snapshot = await call<{ effective: { model: string; provider: { apiKey?: string } } }>(
      'config.get',
    );
    expect(snapshot.effective.model).toBe('shared-model');
    expect(snapshot.effective.provider.apiKey).toBe('••••9876');
    expect(other.config.effective.model).toBe('shared-model');
    expect(context.chatConfig).toEqual({});
    await call('settings.set', { values: {}, unset: ['model'] });
    expect(engine.settings.layer().values).not.toHaveProperty('model');
  });

  it('the chat scope can unset what it set', async () => {
    const { context, call } = await windowOf();
    await call('config.set', { scope: 'chat', values: { model: 'mine', temperature: 0.2 } });
    await call('config.set', { scope: 'chat', values: {}, unset: ['model'] });
    expect(context.chatConfig).toEqual({ temperature: 0.2 });
  });
});

describe('folders', () => {
  it('opens a folder, lists it as recent, and shows its project files', async () => {
    const { call } = await windowOf();
    const ws = await makeWorkspace({ 'gptme.toml': 'model = "p"' });
    const info = await call<{ workspace: string; projectFiles: string[] }>('workspace.open', { path: ws });
    expect(info.workspace).toBe(ws);
    expect(info.projectFiles).toEqual([`${ws}/gptme.toml`]);
    expect(await call('workspace.recent')).toEqual({ items: [ws] });
  });

  it('a host without a folder dialog says to type a path', async () => {
    const { refusal } = await windowOf();
    expect(await refusal('workspace.pick')).toMatchObject({
      name: 'Unsupported',
      message: 'This host cannot show a folder picker; type a path',
    });
  });

  it("the host's folder dialog opens what is picked; cancelled, the window stays where it was", async () => {
    const first = await makeWorkspace();
    const second = await makeWorkspace();
    const picks: Array<string | null> = [second, null];
    const asked: string[] = [];
    const { context, call } = await windowOf({
      pickWorkspace: async (ctx) => {
        asked.push(ctx.clientId);
        return picks.shift() ?? null;
      },
    });
    await context.openWorkspace(first);
    expect(await call('workspace.pick')).toMatchObject({ workspace: second });
    expect(context.workspace).toBe(second);
    expect(await call('workspace.pick')).toMatchObject({ workspace: second });
    expect(context.workspace).toBe(second);
    expect(asked).toEqual(['w', 'w']);
  });
});

describe('trust', () => {
  async function trustedFolder() {
    const setup = await windowOf();
    const ws = await makeWorkspace({ 'gptme.toml': '[env]\nFOO = "bar"\n' });
    await setup.context.openWorkspace(ws);
    return { ...setup, ws };
  }

  it('trusting a folder lists it with when, and nothing of what it asked for', async () => {
    const { call, ws } = await trustedFolder();
    const info = await call<{ trust: { trusted: boolean } }>('workspace.trust', { trusted: true });
    expect(info.trust.trusted).toBe(true);
    const { folders } = await call<{ folders: Array<Record<string, unknown>> }>('trust.list');
    expect(folders).toEqual([{ path: ws, grantedAt: expect.any(String) }]);
  });

  it("revoking this window's own folder untrusts it and closes its prompt here", async () => {
    const { context, call } = await trustedFolder();
    await call('workspace.trust', { trusted: true });
    expect(await call('trust.revoke', { path: context.workspace })).toEqual({ revoked: true });
    expect(context.trust).toMatchObject({ trusted: false, declined: true });
    expect(await call('trust.list')).toEqual({ folders: [] });
    // Nothing was trusted any more: revoking again says so, and the prompt stays closed.
    expect(await call('trust.revoke', { path: context.workspace })).toEqual({ revoked: false });
    expect(context.trust.declined).toBe(true);
  });

  it('revoking another folder forgets it without touching this window', async () => {
    const { engine, context, call } = await trustedFolder();
    const elsewhere = await makeWorkspace({ 'gptme.toml': '[env]\nX = "1"\n' });
    const other = engine.connect('other');
    await other.openWorkspace(elsewhere);
    other.setTrust(true);
    await call('workspace.trust', { trusted: true });
    expect(await call('trust.revoke', { path: elsewhere })).toEqual({ revoked: true });
    expect(other.trust.trusted).toBe(false);
    expect(context.trust).toMatchObject({ trusted: true, declined: false });
    expect(await call('trust.revoke', { path: elsewhere })).toEqual({ revoked: false });
  });
});

describe('window.state', () => {
  it('reads the project files again: a file that appeared since is shown, with what it asks', async () => {
    const { context, call } = await windowOf();
    const ws = await makeWorkspace();
    await context.openWorkspace(ws);
    await writeFile(`${ws}/.deskmate.toml`, '[env]\nNEW = "1"\n');
    const state = await call<{
      conversation: unknown;
      workspace: { projectFiles: string[] };
      grants: unknown[];
      providerReady: boolean;
      turnId: string | null;
    }>('window.state');
    expect(state.workspace.projectFiles).toEqual([`${ws}/.deskmate.toml`]);
    expect(state).toMatchObject({ conversation: null, grants: [], turnId: null, providerReady: false });
  });

  it('a window with a provider is ready', async () => {
    const { call } = await windowOf(undefined, { OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' });
    expect(await call('window.state')).toMatchObject({ providerReady: true });
  });
});

describe('what the host can do', () => {
  it('a browser tab: no windows, no dialog, no real file paths', async () => {
    const { call, refusal } = await windowOf();
    expect(await call('host.capabilities')).toEqual({
      view: 'tab',
      folderDialog: false,
      openWindow: false,
      focusWindow: false,
      filePaths: false,
    });
    expect(await refusal('window.new', {})).toMatchObject({
      name: 'Unsupported',
      message: 'This host cannot open windows',
    });
  });

  it('a desktop host: windows, a dialog, focus and real paths', async () => {
    const opened: unknown[] = [];
    const ws = await makeWorkspace();
    const { call } = await windowOf({
      pickWorkspace: async () => null,
      openWindow: async (options) => {
        opened.push(options);
        return opened.length === 1;
      },
      focusClient: () => {},
      filePaths: true,
    });
    expect(await call('host.capabilities')).toEqual({
      view: 'window',
      folderDialog: true,
      openWindow: true,
      focusWindow: true,
      filePaths: true,
    });
    expect(await call('window.new', { workspace: ws })).toEqual({ opened: true });
    expect(await call('window.new', {})).toEqual({ opened: false });
    expect(opened).toEqual([{ workspace: ws }, {}]);
  });

  it('real file paths only when the host says exactly so', async () => {
    const { call } = await windowOf({ filePaths: 'yes' as unknown as boolean });
    expect(await call('host.capabilities')).toMatchObject({ filePaths: false });
  });
});

describe('conversations and the window that holds them', () => {
  async function holderAndTaker(hooks: HostHooks = {}) {
    const setup = await windowOf(hooks);
    const holder = setup.context;
    const taker = setup.engine.connect('taker');
    const { id } = await setup.call<ConversationSummary>('conversation.new', { name: 'Plan' });
    return { ...setup, holder, taker, id };
  }

  it('opening one held elsewhere brings its window forward; a missing one brings nothing forward', async () => {
    const focused: string[] = [];
    const { refusal, id } = await holderAndTaker({ focusClient: (client) => focused.push(client) });
    expect(await refusal('conversation.open', { id }, 'taker')).toMatchObject({ name: 'AlreadyOpen' });
    expect(focused).toEqual(['w']);
    expect(await refusal('conversation.open', { id: 'c-missing' }, 'taker')).toMatchObject({
      name: 'NotFound',
    });
    expect(focused).toEqual(['w']);
  });

  it('taking over is refused while this window is opening a folder', async () => {
    const { engine, taker, refusal, id } = await holderAndTaker();
    const ws = await makeWorkspace();
    const opening = taker.openWorkspace(ws);
    expect(await refusal('conversation.open', { id, takeOver: true }, 'taker')).toMatchObject({
      name: 'Busy',
      message: 'A turn is running in this window; stop it first',
    });
    await opening;
    expect(engine.services.owners.ownerOf(id)).toBe('w');
  });

  it("deleting a conversation open nowhere leaves this window's own open", async () => {
    const { holder, call, id } = await holderAndTaker();
    const other = await call<ConversationSummary>('conversation.new', { name: 'Other' }, 'taker');
    await call('conversation.new', {}, 'taker');
    expect(await call('conversation.delete', { id: other.id })).toEqual({ deleted: true });
    expect(holder.chat.conversationId).toBe(id);
  });

  it('a conversation can be deleted from its own window, which is left with a new chat', async () => {
    const { engine, holder, call, id } = await holderAndTaker();
    expect(await call('conversation.delete', { id })).toEqual({ deleted: true });
    expect(holder.chat.conversationId).toBeNull();
    expect(engine.services.owners.ownerOf(id)).toBeUndefined();
    expect(await call('conversation.delete', { id })).toEqual({ deleted: false });
  });

  it('deleting one held elsewhere is refused with a reason, and it stays', async () => {
    const { engine, refusal, id } = await holderAndTaker();
    expect(await refusal('conversation.delete', { id }, 'taker')).toMatchObject({
      name: 'AlreadyOpen',
      message: 'This conversation is open in another window; close it there first',
    });
    expect((await engine.services.conversations.list()).total).toBe(1);
  });

  it('renaming one held by a window that is away needs no question', async () => {
    const { holder, call, id } = await holderAndTaker();
    holder.setAway(true);
    expect(
      await call<ConversationSummary>('conversation.rename', { id, name: 'Renamed' }, 'taker'),
    ).toMatchObject({
      id,
      name: 'Renamed',
    });
    // Renaming takes nothing: the tab that comes back still has it.
    expect(holder.chat.conversationId).toBe(id);
  });
});

describe('models.list', () => {
  it('asks a failing provider once more, then says it failed', async () => {
    // One retry, with the SDK's first backoff (about half a second): the picker should not hang.
    const failing = await startScriptedProvider({ modelsStatus: 503 });
    try {
      const { refusal } = await windowOf(undefined, { OPENAI_BASE_URL: failing.url });
      expect(await refusal('models.list')).toMatchObject({ name: 'ProviderUnavailable' });
      expect(failing.modelListings).toBe(2);
    } finally {
      await failing.close();
    }
  });
});

describe('a turn through the handlers', () => {
  it('send and retry answer the turn id; a conversation is not deleted under its running turn', async () => {
    const scripted = await startScriptedProvider();
    try {
      scripted.enqueue(
        { kind: 'stream', text: 'slow '.repeat(200), delayMs: 10 },
        { kind: 'stream', text: 'Again.' },
      );
      const { engine, context, call, refusal } = await windowOf(undefined, {
        OPENAI_BASE_URL: scripted.url,
        OPENAI_API_KEY: 'sk-test',
      });
      const sent = await call<Record<string, unknown>>('chat.send', { text: 'hello' });
      expect(Object.keys(sent)).toEqual(['turnId']);
      expect(sent.turnId).toEqual(expect.any(String));
      const id = context.chat.conversationId!;
      await waitForEvent(engine.events.get('w'), 'message.delta');
      expect(await refusal('workspace.open', { path: await makeWorkspace() })).toEqual({
        name: 'Busy',
        message: 'A turn is running in this window; stop it before opening another folder',
      });
      expect(await refusal('conversation.delete', { id })).toMatchObject({
        name: 'Busy',
        message: 'Stop the running turn before deleting this conversation',
      });
      expect(await call('chat.interrupt')).toEqual({ interrupted: true });
      await context.chat.waitForTurn();
      expect((await engine.services.conversations.list()).total).toBe(1);

      const retried = await call<Record<string, unknown>>('chat.retry');
      expect(Object.keys(retried)).toEqual(['turnId']);
      expect(retried.turnId).not.toBe(sent.turnId);
      await context.chat.waitForTurn();
      const reply = (await engine.services.conversations.open(id)).messages.at(-1);
      expect(reply).toMatchObject({ role: 'assistant', content: 'Again.' });
      expect(await call('chat.delete', { messageId: reply!.id })).toEqual({ removed: [reply!.id] });
    } finally {
      await scripted.close();
    }
  });

  it('artifact.read reads only what the open conversation kept', async () => {
    const { refusal } = await windowOf();
    expect(await refusal('artifact.read', { name: 'shell-0a1b2c3d.txt' })).toEqual({
      name: 'NotFound',
      message: 'No conversation is open in this window',
    });
  });

  it('grants.revoke answers the grants left; a call nobody asked about is not found', async () => {
    const { context, call, refusal } = await windowOf();
    context.setChatConfig({ autoApprove: { shell: 'always', save: 'always' } });
    expect(await call('grants.revoke', { tool: 'shell' })).toEqual({ grants: context.chat.grants });
    expect(context.chatConfig.autoApprove).toEqual({ save: 'always' });
    expect(
      await refusal('tool.respond', { callId: 'nobody', response: { action: 'approve' } }),
    ).toMatchObject({
      name: 'NotFound',
    });
  });
});
