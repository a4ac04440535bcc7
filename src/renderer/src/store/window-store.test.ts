import { describe, expect, it } from 'vitest';
import { createRendererClient } from '../testing/renderer-client';
import type { LiveTurn } from '../../../shared/contract';
import { UNTRUSTED } from '../../../shared/workspace-trust';
import { viewOfMessages } from './conversation-view';
import { connectStore, createWindowStore, loadWindow } from './window-store';

describe('window store', () => {
  it('a delta replaces only its own message; the order array keeps its identity', () => {
    const rc = createRendererClient();
    const store = createWindowStore();
    connectStore(store, rc.client);
    const base = { timestamp: '2026-11-26T00:00:00.000Z' };
    rc.emit('message.added', {
      conversationId: 'c',
      message: { id: 'u', role: 'user', content: 'hi', ...base },
    });
    rc.emit('message.added', {
      conversationId: 'c',
      message: { id: 'a', role: 'assistant', content: '', ...base },
    });
    const before = store.getState();
    rc.emit('message.delta', { conversationId: 'c', messageId: 'a', text: 'Hello' });
    const after = store.getState();
    expect(after.messageIds).toBe(before.messageIds);
    expect(after.messages.u).toBe(before.messages.u);
    expect(after.messages.a?.content).toBe('Hello');
  });

  it('a failed turn ends the turn, says why on the turn (not in the banner) and stops the streaming marker', () => {
    const rc = createRendererClient();
    const store = createWindowStore();
    connectStore(store, rc.client);
    rc.emit('turn.started', { conversationId: 'c', turnId: 't' });
    rc.emit('message.added', {
      conversationId: 'c',
      message: { id: 'a', role: 'assistant', content: '', timestamp: 'x' },
    });
    rc.emit('turn.failed', {
      conversationId: 'c',
      turnId: 't',
      error: { name: 'ProviderAuth', message: 'The key was rejected' },
    });
    expect(store.getState()).toMatchObject({
      turn: null,
      error: null,
      failure: { name: 'ProviderAuth', message: 'The key was rejected' },
    });
    expect(store.getState().messages.a?.streaming).toBe(false);
  });

  it('ignores a delta for a message it never saw', () => {
    const rc = createRendererClient();
    const store = createWindowStore();
    connectStore(store, rc.client);
    const before = store.getState();
    rc.emit('message.delta', { conversationId: 'c', messageId: 'ghost', text: 'x' });
    expect(store.getState().messages).toBe(before.messages);
  });
});

describe('a window drawn from a snapshot in the middle of a reply', () => {
  it('keeps the text so far and adds each later delta once, even those that raced the snapshot', async () => {
    const base = { timestamp: '2026-11-26T00:00:00.000Z' };
    let answer: (() => void) | undefined;
    const rc = createRendererClient({
      'window.state': () =>
        new Promise((resolve) => {
          answer = () =>
            resolve({
              conversation: {
                id: 'c',
                name: 'c',
                messageCount: 1,
                shownCount: 1,
                updatedAt: base.timestamp,
                workspace: null,
                messages: [{ id: 'u', role: 'user', content: 'hi', ...base }],
              },
              workspace: { workspace: null, projectFiles: [], trust: UNTRUSTED },
              turnId: 't',
              pending: [],
              live: { draft: { id: 'a', role: 'assistant', content: 'Hello, wor', ...base }, running: [] },
              providerReady: true,
            });
        }),
    });
    const store = createWindowStore();
    connectStore(store, rc.client);
    const loading = loadWindow(store, rc.client);
    // Sent before the snapshot was taken, arriving before it: already in it.
    rc.emit('message.delta', { conversationId: 'c', messageId: 'a', text: 'Hello, ', offset: 0 });
    await Promise.resolve();
    answer!();
    // Straddling the snapshot, then after it.
    rc.emit('message.delta', { conversationId: 'c', messageId: 'a', text: 'world', offset: 7 });
    await loading;
    rc.emit('message.delta', { conversationId: 'c', messageId: 'a', text: '!', offset: 12 });
    const state = store.getState();
    expect(state.messageIds).toEqual(['u', 'a']);
    expect(state.messages.a).toMatchObject({ content: 'Hello, world!', streaming: true });
    expect(state.turn).toMatchObject({ id: 't', phase: 'streaming' });
  });
});

describe('a window reloaded while a turn runs', () => {
  const snapshot = (live: LiveTurn, turnStartedAt: number) => ({
    'window.state': () => ({
      conversation: null,
      workspace: { workspace: null, projectFiles: [], trust: UNTRUSTED },
      turnId: 't',
      turnStartedAt,
      pending: [],
      live,
      providerReady: true,
    }),
  });

  it("keeps the turn's timer going from when it started, not from the reload", async () => {
    const startedAt = Date.now() - 5_000;
    const rc = createRendererClient(
      snapshot({ draft: null, running: [{ callId: 'c1', output: '' }] }, startedAt),
    );
    const store = createWindowStore();
    connectStore(store, rc.client);
    await loadWindow(store, rc.client);
    expect(store.getState().turn).toEqual({ id: 't', phase: 'running', since: startedAt });
  });

  it('times a reply being written from when that reply began', async () => {
    const replyAt = Date.now() - 3_000;
    const draft = {
      id: 'a',
      role: 'assistant' as const,
      content: 'Hel',
      timestamp: new Date(replyAt).toISOString(),
    };
    const rc = createRendererClient(snapshot({ draft, running: [] }, replyAt - 4_000));
    const store = createWindowStore();
    connectStore(store, rc.client);
    await loadWindow(store, rc.client);
    expect(store.getState().turn).toEqual({ id: 't', phase: 'streaming', since: replyAt });
  });
});

describe('a failed turn', () => {
  it('leaves no empty reply in the list and says why after the last message', () => {
    const rc = createRendererClient();
    const store = createWindowStore();
    connectStore(store, rc.client);
    const base = { timestamp: 'x' };
    rc.emit('turn.started', { conversationId: 'c', turnId: 't' });
    rc.emit('message.added', {
      conversationId: 'c',
      message: { id: 'u', role: 'user', content: 'hi', ...base },
    });
    rc.emit('message.added', {
      conversationId: 'c',
      message: { id: 'a', role: 'assistant', content: '', ...base },
    });
    const error = { name: 'ProviderAuth', message: 'The key was rejected' };
    rc.emit('turn.failed', { conversationId: 'c', turnId: 't', error });
    expect(store.getState()).toMatchObject({ messageIds: ['u'], failure: error });
    rc.emit('turn.started', { conversationId: 'c', turnId: 't2' });
    expect(store.getState().failure).toBeNull();
  });

  it('read back from the log, still says why', () => {
    const failure = { name: 'ProviderUnavailable', message: 'The provider failed (500)' };
    const view = viewOfMessages([
      { id: 'u', role: 'user', content: 'hi', timestamp: 'x', metadata: { failure } },
    ]);
    expect(view).toMatchObject({ messageIds: ['u'], failure });
  });
});
