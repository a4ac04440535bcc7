import { UNTRUSTED } from '../../shared/workspace-trust';
import { describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { WebSession } from './web-sessions';
import { eventually, startTestServer, TestClient } from './web-test-support';

/** Just enough of a socket for a WebSession: a state and what was sent on it. */
function fakeSocket(readyState: number = WebSocket.OPEN) {
  const sent: unknown[] = [];
  return {
    socket: { readyState, send: (text: string) => sent.push(JSON.parse(text)) } as unknown as WebSocket,
    sent,
  };
}

describe('WebSession', () => {
  it('keeps what a detached tab missed, within a limit, and says when it had to drop some', () => {
    const first = fakeSocket();
    const session = new WebSession('s'.repeat(16), first.socket, 3);
    session.detach(first.socket, 60_000, () => undefined);
    session.sink('workspace.changed', { workspace: '/a', projectFiles: [], trust: UNTRUSTED });
    session.sink('workspace.changed', { workspace: '/b', projectFiles: [], trust: UNTRUSTED });
    const back = fakeSocket();
    session.rebind(back.socket, true);
    expect(back.sent).toMatchObject([{ payload: { workspace: '/a' } }, { payload: { workspace: '/b' } }]);

    session.detach(back.socket, 60_000, () => undefined);
    for (let i = 0; i < 5; i++)
      session.sink('workspace.changed', { workspace: `/${i}`, projectFiles: [], trust: UNTRUSTED });
    const again = fakeSocket();
    session.rebind(again.socket, true);
    expect(again.sent).toEqual([{ type: 'error', error: expect.objectContaining({ name: 'EventsLost' }) }]);
    session.cancel();
  });

  it('replays up to its limit exactly, and says it lost some one event past it', () => {
    const event = (i: number) => ({ workspace: `/${i}`, projectFiles: [], trust: UNTRUSTED });
    const first = fakeSocket();
    const session = new WebSession('s'.repeat(16), first.socket, 3);
    session.detach(first.socket, 60_000, () => undefined);
    for (let i = 0; i < 3; i++) session.sink('workspace.changed', event(i));
    const back = fakeSocket();
    session.rebind(back.socket, true);
    expect(back.sent).toHaveLength(3);
    session.detach(back.socket, 60_000, () => undefined);
    for (let i = 0; i < 4; i++) session.sink('workspace.changed', event(i));
    const again = fakeSocket();
    session.rebind(again.socket, true);
    expect(again.sent).toEqual([
      {
        type: 'error',
        error: { name: 'EventsLost', message: 'Events were missed while disconnected: reload to resync' },
      },
    ]);
    session.cancel();
  });

  it('sends events straight to its socket while attached, and replays nothing to a reload', () => {
    const socket = fakeSocket();
    const session = new WebSession('s'.repeat(16), socket.socket, 3);
    session.sink('workspace.changed', { workspace: '/live', projectFiles: [], trust: UNTRUSTED });
    expect(socket.sent).toEqual([
      {
        type: 'event',
        name: 'workspace.changed',
        payload: { workspace: '/live', projectFiles: [], trust: UNTRUSTED },
      },
    ]);
    session.detach(socket.socket, 60_000, () => undefined);
    session.sink('workspace.changed', { workspace: '/missed', projectFiles: [], trust: UNTRUSTED });
    const reloaded = fakeSocket();
    session.rebind(reloaded.socket, false);
    expect(reloaded.sent).toEqual([]);
    // What the reload did not ask for is not kept for a later reconnect either.
    session.detach(reloaded.socket, 60_000, () => undefined);
    const reconnected = fakeSocket();
    session.rebind(reconnected.socket, true);
    expect(reconnected.sent).toEqual([]);
    session.cancel();
  });

  it('expires after its grace period unless its tab comes back first', () => {
    vi.useFakeTimers();
    try {
      const socket = fakeSocket();
      const session = new WebSession('s'.repeat(16), socket.socket, 3);
      let expired = 0;
      session.detach(socket.socket, 1_000, () => (expired += 1));
      vi.advanceTimersByTime(999);
      expect(expired).toBe(0);
      const back = fakeSocket();
      session.rebind(back.socket, false);
      vi.advanceTimersByTime(10_000);
      expect(expired).toBe(0);
      session.detach(back.socket, 1_000, () => (expired += 1));
      vi.advanceTimersByTime(1_000);
      expect(expired).toBe(1);
      expect(session.socket).toBeNull();
      expect(session.live).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });

  it('once cancelled, never expires', () => {
    vi.useFakeTimers();
    try {
      const socket = fakeSocket();
      const session = new WebSession('s'.repeat(16), socket.socket, 3);
      let expired = 0;
      session.detach(socket.socket, 1_000, () => (expired += 1));
      session.cancel();
      vi.advanceTimersByTime(10_000);
      expect(expired).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('ignores the close of a socket it no longer uses', () => {
    const old = fakeSocket(WebSocket.CLOSING);
    const session = new WebSession('s'.repeat(16), old.socket, 10);
    const current = fakeSocket();
    session.rebind(current.socket, false);
    let expired = false;
    session.detach(old.socket, 0, () => (expired = true));
    expect(session.socket).toBe(current.socket);
    expect(session.live).toBe(true);
    expect(expired).toBe(false);
  });
});

describe('sessions across reloads', () => {
  it('reattaches a reload within the grace period to the same context', async () => {
    const test = await startTestServer({ graceMs: 5_000 });
    const first = await TestClient.connect(test);
    const { session } = first.session;
    await first.request('config.set', { scope: 'chat', values: { model: 'kept-across-reload' } });
    await first.close();
    expect(test.engine.registry.size).toBe(1);

    const again = await TestClient.connect(test, { query: { session } });
    expect(again.session).toMatchObject({ session, resumed: true });
    expect(await again.request('config.get', {})).toMatchObject({
      ok: true,
      value: { effective: { model: 'kept-across-reload' } },
    });
    expect(test.engine.registry.size).toBe(1);
    // Events now reach the new socket.
    await again.request('config.set', { scope: 'chat', values: { temperature: 1 } });
    await again.waitFor((frame) => frame.type === 'event' && frame.name === 'config.changed');
  });

  it("a closed tab's conversation opens in another tab at once; a reload gets its own back", async () => {
    const test = await startTestServer({ graceMs: 60_000 });
    const first = await TestClient.connect(test);
    const { session } = first.session;
    const created = await first.request('conversation.new', { name: 'Kept' });
    const id = created.ok ? (created.value as { id: string }).id : '';
    const other = await TestClient.connect(test);
    expect(await other.request('conversation.open', { id })).toMatchObject({
      ok: false,
      error: { name: 'AlreadyOpen' },
    });

    // A reload: the socket goes, the tab comes back with its session and finds its conversation.
    await first.close();
    const reloaded = await TestClient.connect(test, { query: { session } });
    expect(reloaded.session.resumed).toBe(true);
    expect(await reloaded.request('window.state', {})).toMatchObject({
      ok: true,
      value: { conversation: { id } },
    });
    expect(await other.request('conversation.open', { id })).toMatchObject({
      ok: false,
      error: { name: 'AlreadyOpen' },
    });

    // Closed for good: long before the grace period ends, the other tab opens it without a question.
    await reloaded.close();
    // The server hears of the close a moment after the client does.
    let opened = await other.request('conversation.open', { id });
    for (let tries = 0; !opened.ok && tries < 50; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      opened = await other.request('conversation.open', { id });
    }
    expect(opened).toMatchObject({ ok: true, value: { id } });
    expect(test.engine.registry.size).toBe(2);
  });

  it('releases the context once the grace period is over', async () => {
    const test = await startTestServer({ graceMs: 50 });
    const first = await TestClient.connect(test);
    const { session } = first.session;
    await first.request('config.set', { scope: 'chat', values: { model: 'forgotten' } });
    await first.close();
    await eventually(() => test.engine.registry.size === 0);
    expect(test.server.sessionCount).toBe(0);

    const later = await TestClient.connect(test, { query: { session } });
    expect(later.session.resumed).toBe(false);
    const config = await later.request('config.get', {});
    expect(config.ok && (config.value as { effective: { model?: string } }).effective.model).not.toBe(
      'forgotten',
    );
  });

  it('never shares a live session: a duplicated tab gets a context of its own', async () => {
    const test = await startTestServer();
    const first = await TestClient.connect(test);
    const { session } = first.session;
    const duplicate = await TestClient.connect(test, { query: { session } });
    expect(duplicate.session.resumed).toBe(false);
    expect(duplicate.session.session).not.toBe(session);
    expect(test.engine.registry.size).toBe(2);
  });

  it('replays the events a reconnecting page missed, and only to a page that asks', async () => {
    const test = await startTestServer();
    const watcher = await TestClient.connect(test);
    const first = await TestClient.connect(test);
    const { session } = first.session;
    await first.close();
    // The user layer is shared: every context, the detached one too, hears of the change.
    await watcher.request('config.set', { scope: 'user', values: { temperature: 0.7 } });

    const resumed = await TestClient.connect(test, { query: { session, resume: '1' } });
    const replayed = await resumed.waitFor(
      (frame) => frame.type === 'event' && frame.name === 'config.changed',
    );
    expect(replayed).toMatchObject({ payload: { effective: { temperature: 0.7 } } });
    expect(resumed.frames[0]).toEqual({ type: 'session', session, resumed: true });

    await resumed.close();
    await watcher.request('config.set', { scope: 'user', values: { temperature: 0.9 } });
    const reloaded = await TestClient.connect(test, { query: { session } });
    await reloaded.request('config.get', {});
    expect(reloaded.events()).toEqual([]);
  });

  it('keeps a socket that answers pings, and drops one that does not', async () => {
    const test = await startTestServer({ heartbeatMs: 25, graceMs: 10 });
    const answering = await TestClient.connect(test);
    const silent = await TestClient.connect(test, { autoPong: false });
    expect((await silent.closed).code).toBe(1006);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await answering.request('config.get', {})).toMatchObject({ ok: true });
    await eventually(() => test.engine.registry.size === 1);
  });

  it('releases every context when the server closes', async () => {
    const test = await startTestServer();
    const a = await TestClient.connect(test);
    await TestClient.connect(test);
    await a.close();
    expect(test.engine.registry.size).toBe(2);
    await test.server.close();
    expect(test.engine.registry.size).toBe(0);
  });
});
