import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { WS_MAX_PAYLOAD } from '../../shared/ws-protocol';
import { makeWorkspace } from '../../../test/support/engine';
import { eventually, startTestServer, TestClient } from './web-test-support';

describe('one connection, one context', () => {
  it('gives two connections two contexts', async () => {
    const test = await startTestServer();
    const a = await TestClient.connect(test);
    const b = await TestClient.connect(test);
    expect(test.engine.registry.size).toBe(2);

    const set = await a.request('config.set', { scope: 'chat', values: { model: 'only-in-a' } });
    expect(set).toMatchObject({ ok: true });
    const seenByA = await a.request('config.get', {});
    const seenByB = await b.request('config.get', {});
    expect(seenByA).toMatchObject({ ok: true, value: { effective: { model: 'only-in-a' } } });
    expect(seenByB.ok && (seenByB.value as { effective: { model?: string } }).effective.model).not.toBe(
      'only-in-a',
    );
  });

  it('sends a context its events only', async () => {
    const test = await startTestServer();
    const a = await TestClient.connect(test);
    const b = await TestClient.connect(test);
    await a.request('config.set', { scope: 'chat', values: { temperature: 0.3 } });
    await a.waitFor((frame) => frame.type === 'event' && frame.name === 'config.changed');
    // A round trip on b after a's event: anything meant for b would have arrived by now.
    await b.request('config.get', {});
    expect(b.events()).toEqual([]);
  });

  it('answers a bad payload InvalidRequest and changes nothing', async () => {
    const test = await startTestServer();
    const a = await TestClient.connect(test);
    const result = await a.request('config.set', { scope: 'chat', values: { nope: 1 } } as never);
    expect(result).toMatchObject({ ok: false, error: { name: 'InvalidRequest' } });
    expect(await a.request('nope.nope' as never, {} as never)).toMatchObject({
      ok: false,
      error: { name: 'InvalidRequest' },
    });
  });
});

describe('malformed frames', () => {
  it('answers InvalidRequest when an id can be read, and the connection keeps working', async () => {
    const test = await startTestServer();
    const a = await TestClient.connect(test);
    a.send(JSON.stringify({ type: 'request', id: 41, method: 42 }));
    a.send(JSON.stringify({ type: 'bogus', id: 43 }));
    a.send('not json at all');
    a.send('[1,2,3]');
    a.send(JSON.stringify({ type: 'request', id: -1, method: 'config.get', input: {} }));
    for (const id of [41, 43]) {
      const frame = await a.waitFor((f) => f.type === 'response' && f.id === id);
      expect(frame).toMatchObject({ result: { ok: false, error: { name: 'InvalidRequest' } } });
    }
    await eventually(() => a.frames.filter((f) => f.type === 'error').length === 3);
    expect(await a.request('config.get', {})).toMatchObject({ ok: true });
    expect(test.engine.registry.size).toBe(1);
  });

  it('closes only the connection that sent an oversized frame', async () => {
    const test = await startTestServer();
    const a = await TestClient.connect(test);
    const b = await TestClient.connect(test);
    a.send(
      JSON.stringify({
        type: 'request',
        id: 1,
        method: 'chat.send',
        input: { text: 'x'.repeat(WS_MAX_PAYLOAD) },
      }),
    );
    expect((await a.closed).code).toBe(1009);
    expect(await b.request('config.get', {})).toMatchObject({ ok: true });
    const c = await TestClient.connect(test);
    expect(await c.request('config.get', {})).toMatchObject({ ok: true });
  });

  it('closes a connection that sends binary frames', async () => {
    const test = await startTestServer();
    const a = await TestClient.connect(test);
    a.send(randomBytes(16), true);
    expect((await a.closed).code).toBe(1003);
  });
});

describe('URL parameters', () => {
  it('opens ?workspace= in a new context before answering its first request', async () => {
    const test = await startTestServer();
    const workspace = await makeWorkspace({ 'README.md': 'hi' });
    const a = await TestClient.connect(test, { query: { workspace } });
    const state = await a.request('window.state', {});
    expect(state).toMatchObject({ ok: true, value: { workspace: { workspace } } });
  });

  it('opens ?conversation= and reports what could not be opened as an error frame', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const test = await startTestServer({ graceMs: 10 });
    const first = await TestClient.connect(test);
    const created = await first.request('conversation.new', { name: 'From the URL' });
    const id = (created as { value: { id: string } }).value.id;
    await first.close();
    // Its tab gone for good, the first context lets go of the conversation.
    await eventually(() => test.engine.registry.size === 0);

    const a = await TestClient.connect(test, { query: { conversation: id } });
    expect(await a.request('window.state', {})).toMatchObject({ ok: true, value: { conversation: { id } } });

    const b = await TestClient.connect(test, {
      query: { workspace: '/definitely/not/here', conversation: 'no-such-id' },
    });
    await eventually(() => b.frames.filter((f) => f.type === 'error').length === 2);
    expect(b.frames.filter((f) => f.type === 'error')).toMatchObject([
      { error: { name: 'NotFound' } },
      { error: { name: 'NotFound' } },
    ]);
    expect(await b.request('config.get', {})).toMatchObject({ ok: true });
    expect(warn).toHaveBeenCalledTimes(2);
    warn.mockRestore();
  });
});

describe('the session a tab names', () => {
  it('is a fresh one when the name is not a session id', async () => {
    const test = await startTestServer();
    for (const session of ['short', '../../etc/passwd', 'a'.repeat(200)]) {
      const client = await TestClient.connect(test, { query: { session } });
      expect(client.session.session, session).not.toBe(session);
      expect(client.session.resumed).toBe(false);
    }
  });

  it('keeps a well-formed name this server does not know (a tab from before a restart)', async () => {
    const test = await startTestServer();
    const session = 'from-before-a-restart';
    const client = await TestClient.connect(test, { query: { session } });
    expect(client.session).toEqual({ type: 'session', session, resumed: false });
  });
});

describe('requests in flight', () => {
  it('answers Busy past 256 at once, and keeps waiting on the ones it took', async () => {
    // A provider that never answers: every settings.test stays in flight.
    const hanging = createServer(() => undefined);
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', () => resolve()));
    onTestFinished(() => {
      hanging.closeAllConnections();
      return new Promise<void>((resolve) => hanging.close(() => resolve()));
    });
    const baseUrl = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/v1`;
    const test = await startTestServer();
    const a = await TestClient.connect(test);
    for (let id = 1; id <= 257; id++) {
      a.send(
        JSON.stringify({ type: 'request', id, method: 'settings.test', input: { baseUrl, apiKey: 'sk-x' } }),
      );
    }
    const busy = await a.waitFor((frame) => frame.type === 'response' && frame.id === 257);
    expect(busy).toMatchObject({
      result: { ok: false, error: { name: 'Busy', message: 'Too many requests in flight' } },
    });
    expect(a.frames.filter((frame) => frame.type === 'response')).toHaveLength(1);
  });
});
