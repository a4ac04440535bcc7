import { randomBytes } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { WS_MAX_PAYLOAD } from '../../shared/ws-protocol';
import { makeWorkspace } from '../../../test/support/engine';
import { eventually, startTestServer, TestClient } from '../../../test/support/web-test-support';

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
    expect(await a.closed).toEqual({ code: 1003, reason: 'Binary frames are not supported' });
  });
});

describe('a request the router cannot answer', () => {
  it('answers Internal when a result cannot be sent as JSON, and the connection keeps working', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    onTestFinished(() => logged.mockRestore());
    // A handler bug: a BigInt has no JSON form.
    const test = await startTestServer({ handlers: { 'settings.get': () => ({ size: 1n }) as never } });
    const a = await TestClient.connect(test);
    expect(await a.request('settings.get', {})).toEqual({
      ok: false,
      error: { name: 'Internal', message: 'The result could not be serialized' },
    });
    expect(await a.request('config.get', {})).toMatchObject({ ok: true });
  });

  it('answers Internal when a handler throws a value with no text form, and frees its slot', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    onTestFinished(() => logged.mockRestore());
    // String() of a null-prototype object throws; the router once rejected on it, leaving the tab unanswered.
    const test = await startTestServer({
      handlers: {
        'settings.get': () => {
          throw Object.create(null);
        },
      },
    });
    const a = await TestClient.connect(test);
    expect(await a.request('settings.get', {})).toEqual({
      ok: false,
      error: { name: 'Internal', message: 'The request failed' },
    });
    expect(logged).toHaveBeenCalledWith('deskmate: internal error in a request handler', expect.anything());
    expect(await a.request('config.get', {})).toMatchObject({ ok: true });
  });

  it('tells the tab when opening its address failed with a value that has no text form, and still answers it', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const warned = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    onTestFinished(() => {
      logged.mockRestore();
      warned.mockRestore();
    });
    const test = await startTestServer({
      handlers: {
        'workspace.open': () => {
          throw Object.create(null);
        },
      },
    });
    const a = await TestClient.connect(test, { query: { workspace: await makeWorkspace() } });
    expect(await a.request('config.get', {})).toMatchObject({ ok: true });
    expect(a.frames.filter((frame) => frame.type === 'error')).toEqual([
      { type: 'error', error: { name: 'Internal', message: 'The request failed' } },
    ]);
    expect(warned).toHaveBeenCalledWith('deskmate: workspace.open from the URL failed: The request failed');
  });
});

describe('URL parameters', () => {
  it('opens ?workspace= in a new context before answering its first request', async () => {
    const test = await startTestServer();
    const workspace = await makeWorkspace({ 'README.md': 'hi' });
    const warn = vi.spyOn(console, 'warn');
    onTestFinished(() => warn.mockRestore());
    const a = await TestClient.connect(test, { query: { workspace } });
    const state = await a.request('window.state', {});
    expect(state).toMatchObject({ ok: true, value: { workspace: { workspace } } });
    expect(a.frames.filter((frame) => frame.type === 'error')).toEqual([]);
    expect(warn).not.toHaveBeenCalled();
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
    expect(warn.mock.calls).toEqual([
      [expect.stringMatching(/^deskmate: conversation\.open from the URL failed: ./)],
      [expect.stringMatching(/^deskmate: workspace\.open from the URL failed: ./)],
    ]);
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

describe('a tab that comes back', () => {
  it('has the events it missed replayed only when it asks with resume=1', async () => {
    const test = await startTestServer();
    const watcher = await TestClient.connect(test);
    let temperature = 0.1;
    for (const [resume, replays] of [
      ['1', true],
      ['true', false],
      ['0', false],
      [undefined, false],
    ] as const) {
      const first = await TestClient.connect(test);
      const { session } = first.session;
      await first.close();
      temperature += 0.1;
      // The user layer is shared: the detached context hears of the change too.
      await watcher.request('settings.set', { values: { temperature } });
      const back = await TestClient.connect(test, { query: { session, ...(resume ? { resume } : {}) } });
      expect(back.session.resumed, String(resume)).toBe(true);
      // Missed events go out right after the session frame, before any answer.
      await back.request('config.get', {});
      expect(back.events('config.changed').length > 0, String(resume)).toBe(replays);
    }
  });
});

describe('requests in flight', () => {
  it('answers Busy past 256 at once, waits on the ones it took, and takes more once they are answered', async () => {
    // A provider that answers only when told: every settings.test stays in flight until then.
    const waiting: ServerResponse[] = [];
    const hanging = createServer((_request, response) => waiting.push(response));
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

    // The provider answers: every request in flight is answered, and each frees its slot.
    await eventually(() => waiting.length === 256);
    for (const response of waiting) response.writeHead(200).end('{"object":"list","data":[]}');
    await eventually(() => a.frames.filter((frame) => frame.type === 'response').length === 257);
    // An id of its own: TestClient.request would start again at 1, already answered above.
    a.send(JSON.stringify({ type: 'request', id: 1000, method: 'config.get', input: {} }));
    const after = await a.waitFor((frame) => frame.type === 'response' && frame.id === 1000);
    expect(after).toMatchObject({ result: { ok: true } });
  });
});
