import { describe, expect, it } from 'vitest';
import { createRendererClient } from '../testing/renderer-client';
import { connectStore, createWindowStore } from './window-store';

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

  it('a failed turn ends the turn, shows the error and stops the streaming marker', () => {
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
    expect(store.getState()).toMatchObject({ turn: null, error: 'The key was rejected' });
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
