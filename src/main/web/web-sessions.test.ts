import { UNTRUSTED } from '../../shared/workspace-trust';
import { connect } from 'node:net';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { WebSocket } from 'ws';
import { WebSession, WebSessions } from './web-sessions';
import { createTestEngine, makeWorkspace } from '../../../test/support/engine';
import { eventually, startTestServer, TestClient } from '../../../test/support/web-test-support';

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

describe('WebSessions', () => {
  it('gives a fresh tab a fresh session, keeping a well-formed name it brings', async () => {
    const engine = await createTestEngine();
    const sessions = new WebSessions(engine.registry, { graceMs: 60_000 });
    onTestFinished(() => sessions.dispose());
    const tab = fakeSocket();
    const fresh = sessions.attach(tab.socket, null, false);
    expect(fresh.resumed).toBe(false);
    expect(tab.sent).toEqual([{ type: 'session', session: fresh.session.id, resumed: false }]);
    expect(engine.registry.get(fresh.session.clientId)).toBeDefined();
    const named = 'from-before-a-restart';
    const restarted = fakeSocket();
    expect(sessions.attach(restarted.socket, named, false)).toMatchObject({
      session: { id: named },
      resumed: false,
    });
    expect(sessions.size).toBe(2);
  });

  it('keeps 5,000 events for a detached tab by default, and says so when it had to drop more', async () => {
    const engine = await createTestEngine();
    const sessions = new WebSessions(engine.registry, { graceMs: 60_000 });
    onTestFinished(() => sessions.dispose());
    const change = { workspace: '/w', projectFiles: [], trust: UNTRUSTED };
    for (const [count, replayed] of [
      [5_000, 5_000],
      [5_001, 0],
    ] as const) {
      const first = fakeSocket();
      const { session } = sessions.attach(first.socket, null, false);
      sessions.detach(session, first.socket);
      for (let i = 0; i < count; i++) session.sink('workspace.changed', change);
      const back = fakeSocket();
      expect(sessions.attach(back.socket, session.id, true).resumed).toBe(true);
      expect(back.sent.filter((frame) => (frame as { type: string }).type === 'event')).toHaveLength(
        replayed,
      );
      if (replayed === 0) expect(back.sent).toContainEqual(expect.objectContaining({ type: 'error' }));
    }
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
    await watcher.request('settings.set', { values: { temperature: 0.7 } });

    const resumed = await TestClient.connect(test, { query: { session, resume: '1' } });
    const replayed = await resumed.waitFor(
      (frame) => frame.type === 'event' && frame.name === 'config.changed',
    );
    expect(replayed).toMatchObject({ payload: { effective: { temperature: 0.7 } } });
    expect(resumed.frames[0]).toEqual({ type: 'session', session, resumed: true });

    await resumed.close();
    await watcher.request('settings.set', { values: { temperature: 0.9 } });
    const reloaded = await TestClient.connect(test, { query: { session } });
    await reloaded.request('config.get', {});
    expect(reloaded.events()).toEqual([]);
  });

  it('a reload keeps the folder the tab switched to, whatever folder its address names', async () => {
    const test = await startTestServer();
    const [named, switched] = [await makeWorkspace(), await makeWorkspace()];
    const first = await TestClient.connect(test, { query: { workspace: named } });
    expect(await first.request('workspace.open', { path: switched })).toMatchObject({ ok: true });
    const { session } = first.session;
    await first.close();
    const reloaded = await TestClient.connect(test, { query: { session, workspace: named } });
    expect(reloaded.session.resumed).toBe(true);
    expect(await reloaded.request('window.state', {})).toMatchObject({
      ok: true,
      value: { workspace: { workspace: switched } },
    });
  });

  it('a reload keeps its conversation when its old connection is slow to close', async () => {
    const test = await startTestServer({ graceMs: 60_000 });
    // The old page's connection: it says goodbye but holds the line open, as a dying tab may.
    const old = connect({ port: test.server.port, host: '127.0.0.1', allowHalfOpen: true });
    onTestFinished(() => void old.destroy());
    old.on('error', () => undefined);
    let received = '';
    old.setEncoding('latin1');
    old.on('data', (chunk: string) => (received += chunk));
    const oldClosed = new Promise<void>((resolve) => old.once('close', () => resolve()));
    const host = new URL(test.server.origin).host;
    old.write(
      `GET /ws?token=${encodeURIComponent(test.token)} HTTP/1.1\r\nHost: ${host}\r\n` +
        `Origin: ${test.server.origin}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
    );
    await eventually(() => /"session":"[^"]+"/.test(received));
    const session = /"session":"([^"]+)"/.exec(received)![1]!;
    const created = await test.engine.router.handle(
      [...test.engine.registry.contexts()][0]!.clientId,
      'conversation.new',
      { name: 'Mine' },
    );
    const id = (created as { value: { id: string } }).value.id;
    // A masked close frame (code 1000), and no end of the TCP connection.
    old.write(Buffer.from([0x88, 0x82, 0, 0, 0, 0, 0x03, 0xe8]));
    await eventually(() => received.includes('\x88\x02\x03\xe8'));

    const reloaded = await TestClient.connect(test, { query: { session } });
    expect(reloaded.session.resumed).toBe(true);
    old.destroy();
    await oldClosed;
    // The server hears the old connection end long before this tab's handshake is through.
    const other = await TestClient.connect(test);
    expect(await other.request('conversation.open', { id })).toMatchObject({
      ok: false,
      error: { name: 'AlreadyOpen' },
    });
  });

  it('leaves no grace period running once the server has closed', async () => {
    const test = await startTestServer({ graceMs: 60_000 });
    const tab = await TestClient.connect(test);
    const [context] = test.engine.registry.contexts();
    // Counted, not run: time passes as it does, so the polling below still wakes.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'], shouldAdvanceTime: true });
    onTestFinished(() => void vi.useRealTimers());
    await tab.close();
    // Away: the server heard of the close, and the tab's grace period is running.
    await eventually(() => context!.away);
    expect(vi.getTimerCount()).toBe(1);
    await test.server.close();
    expect(vi.getTimerCount()).toBe(0);
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
