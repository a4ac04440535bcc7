import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { hostname } from 'node:os';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { WebSocket } from 'ws';
import { CONTENT_SECURITY_POLICY } from '../../shared/content-security-policy';
import { createTestEngine } from '../../../test/support/engine';
import { freePort } from '../../../test/support/free-port';
import {
  eventually,
  makeStaticFixture,
  rawRequest,
  SECRET,
  startTestServer,
  TestClient,
  upgradeStatus,
  type RawReply,
  type ServerTarget,
  type TestServer,
} from '../../../test/support/web-test-support';
import { startWebServer } from './web-server';

/** A raw request from a tab: its own Host and cookie when given, the path exactly as written. */
function get(
  test: TestServer,
  rawPath: string,
  options: { method?: string; cookie?: string; body?: string; host?: string } = {},
): Promise<RawReply> {
  return rawRequest(test.server.port, rawPath, {
    method: options.method,
    body: options.body,
    headers: {
      ...(options.host ? { host: options.host } : {}),
      ...(options.cookie ? { cookie: options.cookie } : {}),
      // Node sends a GET's body without framing unless told its length.
      ...(options.body ? { 'content-length': String(Buffer.byteLength(options.body)) } : {}),
    },
  });
}

/** A TCP connection to the server that sends only what a test writes, and records what comes back. */
interface RawConnection {
  socket: Socket;
  /** Everything the server sent so far. */
  received(): string;
  /** Resolves once the server (or the test) has closed the connection. */
  closed: Promise<void>;
}

async function rawConnection(test: ServerTarget): Promise<RawConnection> {
  const socket = connect(test.server.port, '127.0.0.1');
  onTestFinished(() => void socket.destroy());
  let text = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => (text += chunk));
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  return { socket, received: () => text, closed };
}

/** A WebSocket handshake as a browser tab on the server's own page sends it, token and all. */
function handshake(test: ServerTarget): string {
  const address = new URL(test.server.origin).host;
  return (
    `GET /ws?token=${encodeURIComponent(test.token)} HTTP/1.1\r\n` +
    `Host: ${address}\r\n` +
    `Origin: ${test.server.origin}\r\n` +
    'Upgrade: websocket\r\n' +
    'Connection: Upgrade\r\n' +
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n' +
    'Sec-WebSocket-Version: 13\r\n' +
    '\r\n'
  );
}

/** The cookie earlier versions had a browser keep for this server (the token as its value). */
function legacyCookie(test: TestServer): string {
  return `deskmate_token_${test.server.port}=${test.token}`;
}

describe('HTTP', () => {
  it('serves the built renderer to anyone who reaches it, and never sets a cookie', async () => {
    const test = await startTestServer();
    // Public build output: the page must load to read its token from sessionStorage, or to say it has none.
    for (const path of ['/', '/index.html', `/?token=${test.token}`, '/?token=wrong']) {
      const page = await get(test, path);
      expect(page.status, path).toBe(200);
      expect(page.body).toContain('<title>fixture</title>');
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(page.headers['cache-control']).toBe('no-store');
      expect(page.headers['set-cookie'], path).toBeUndefined();
    }
    const asset = await get(test, '/assets/app.js');
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(asset.body).toContain('fixture');
    for (const path of ['/missing', '/ws', `/ws?token=${test.token}`, '/assets/app.js']) {
      expect((await get(test, path)).headers['set-cookie'], path).toBeUndefined();
    }
  });

  it('tells a good token from a stale one at /ws over HTTP, from the query only, never a cookie', async () => {
    const test = await startTestServer();
    expect((await get(test, `/ws?token=${test.token}`)).status).toBe(426);
    for (const path of ['/ws', '/ws?token=wrong', '/ws?token=']) {
      const refused = await get(test, path);
      expect(refused.status, path).toBe(401);
      expect(refused.body).toMatch(/^Unauthorized: not the token Deskmate printed when it started/);
      expect(refused.headers['cache-control']).toBe('no-store');
    }
    expect((await get(test, '/ws', { cookie: legacyCookie(test) })).status).toBe(401);
  });

  it('drops the token cookie an earlier version left, and is not opened by it', async () => {
    const test = await startTestServer();
    const jar = `${legacyCookie(test)}; deskmate_token_1=old; deskmate_token=older; theme=dark`;
    const page = await get(test, '/', { cookie: jar });
    expect(page.status).toBe(200);
    expect(page.headers['set-cookie']).toEqual([
      `deskmate_token_${test.server.port}=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict`,
      'deskmate_token_1=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict',
      'deskmate_token=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict',
    ]);
    expect(String(page.headers['set-cookie'])).not.toContain(test.token);
    expect((await get(test, '/ws', { cookie: jar })).status).toBe(401);
    expect(await upgradeStatus(test, { token: null, cookie: jar })).toBe(401);
  });

  it('sets the security headers on every response', async () => {
    const test = await startTestServer();
    const replies = [
      await get(test, '/'),
      await get(test, `/?token=${test.token}`),
      await get(test, '/assets/app.js'),
      await get(test, '/missing'),
      await get(test, '/ws'),
      await get(test, '/', { host: 'evil.example' }),
    ];
    for (const reply of replies) {
      expect(reply.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
      expect(reply.headers['x-content-type-options']).toBe('nosniff');
      expect(reply.headers['referrer-policy']).toBe('no-referrer');
      // No other page may frame ours: a frame would share the tab's sessionStorage, token and all.
      expect(reply.headers['x-frame-options']).toBe('DENY');
      expect(reply.headers['cross-origin-resource-policy']).toBe('same-origin');
      expect(reply.headers['cross-origin-opener-policy']).toBe('same-origin');
    }
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
  });

  it('never serves a file outside the static root', async () => {
    const test = await startTestServer();
    for (const path of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/%2e%2e%5csecret.txt',
      '/secret.txt%00',
    ]) {
      const reply = await get(test, path);
      expect(reply.body, path).not.toContain(SECRET);
      expect([400, 404], path).toContain(reply.status);
    }
  });

  it('lists no folder and answers 404 for what is not a file', async () => {
    const test = await startTestServer();
    for (const path of ['/assets/', '/assets', '/nope.js']) {
      const reply = await get(test, path);
      expect(reply.status, path).toBe(404);
      expect(reply.body).not.toContain('app.js');
    }
  });

  it('allows only GET and HEAD', async () => {
    const test = await startTestServer();
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS']) {
      const reply = await get(test, '/', { method });
      expect(reply.status, method).toBe(405);
      expect(reply.headers.allow).toBe('GET, HEAD');
    }
    expect((await get(test, '/', { body: 'x'.repeat(1000) })).status).toBe(413);
    const head = await get(test, '/assets/app.js', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(Number(head.headers['content-length'])).toBeGreaterThan(0);
  });
});

describe('the Host header', () => {
  it('must name this server: a rebound name is answered 421 with a plain message, token or not', async () => {
    const test = await startTestServer();
    const port = test.server.port;
    for (const host of [`evil.example:${port}`, `127.0.0.1:${port + 1}`, '127.0.0.1', `localhost.:${port}`]) {
      for (const path of [`/?token=${test.token}`, '/assets/app.js', '/']) {
        const reply = await get(test, path, { host, cookie: legacyCookie(test) });
        expect(reply.status, `${host} ${path}`).toBe(421);
        expect(reply.headers['content-type']).toBe('text/plain; charset=utf-8');
        expect(reply.body).toBe(
          `Misdirected request: this server answers only requests addressed to 127.0.0.1:${port}\n`,
        );
        expect(reply.headers['set-cookie']).toBeUndefined();
      }
    }
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]) {
      expect((await get(test, '/', { host })).status, host).toBe(200);
    }
  });

  it('must name this server on a WebSocket handshake too', async () => {
    const test = await startTestServer();
    const port = test.server.port;
    expect(await upgradeStatus(test, { host: `evil.example:${port}` })).toBe(421);
    expect(
      await upgradeStatus(test, { host: `evil.example:${port}`, origin: `http://evil.example:${port}` }),
    ).toBe(421);
    expect(test.engine.registry.size).toBe(0);
    expect(await upgradeStatus(test, { host: `localhost:${port}` })).toBe(101);
  });
});

describe('two servers on one machine', () => {
  it("each opens with its own token only; neither is opened by the other's, nor by cookies", async () => {
    const [a, b] = [await startTestServer(), await startTestServer()];
    expect(await upgradeStatus(a)).toBe(101);
    expect(await upgradeStatus(b)).toBe(101);
    expect(await upgradeStatus(a, { token: b.token })).toBe(401);
    expect(await upgradeStatus(b, { token: a.token })).toBe(401);
    // Cookies ignore ports: a browser that kept both servers' cookies would send both to each.
    const jar = `${legacyCookie(a)}; ${legacyCookie(b)}`;
    expect(await upgradeStatus(a, { token: null, cookie: jar })).toBe(401);
    expect(await upgradeStatus(b, { token: null, cookie: jar })).toBe(401);
  });
});

describe('WebSocket handshake', () => {
  it('is refused with 401 without a valid token', async () => {
    const test = await startTestServer();
    expect(await upgradeStatus(test, { token: null })).toBe(401);
    expect(await upgradeStatus(test, { token: 'wrong' })).toBe(401);
    // The right token in a cookie (any name) is no token: another port's server could have read it.
    for (const cookie of [legacyCookie(test), `deskmate_token=${test.token}`, `token=${test.token}`]) {
      expect(await upgradeStatus(test, { token: null, cookie }), cookie).toBe(401);
    }
    expect(test.engine.registry.size).toBe(0);
  });

  it('is refused with 403 from any origin but its own', async () => {
    const test = await startTestServer();
    const port = test.server.port;
    for (const origin of [
      'http://evil.example',
      `http://127.0.0.1:${port + 1}`,
      `https://127.0.0.1:${port}`,
      `http://127.0.0.1.evil.example:${port}`,
      'null',
      null,
    ]) {
      expect(await upgradeStatus(test, { origin }), String(origin)).toBe(403);
    }
    expect(test.engine.registry.size).toBe(0);
  });

  it('is accepted from its own origin with the token in its query', async () => {
    const test = await startTestServer();
    const port = test.server.port;
    expect(await upgradeStatus(test)).toBe(101);
    expect(await upgradeStatus(test, { origin: `http://localhost:${port}` })).toBe(101);
  });

  it('survives tabs that reset the connection while their handshake is refused', async () => {
    const test = await startTestServer();
    for (let i = 0; i < 20; i++) {
      const tab = await rawConnection(test);
      tab.socket.write(handshake({ ...test, token: 'wrong' }));
      tab.socket.resetAndDestroy();
    }
    expect(await upgradeStatus(test)).toBe(101);
  });

  it('serves only /ws, and /ws only to a WebSocket', async () => {
    const test = await startTestServer();
    expect((await get(test, `/ws?token=${test.token}`)).status).toBe(426);
    expect(await upgradeStatus(test, { path: '/' })).toBe(404);
    expect(await upgradeStatus(test, { path: '/ws/' })).toBe(404);
    const client = await TestClient.connect(test);
    expect(client.session.resumed).toBe(false);
    expect(test.engine.registry.size).toBe(1);
  });
});

describe('bound to every interface (--allow-remote)', () => {
  it.each(['0.0.0.0', '::'])(
    'bound to %s, prints a loopback address and answers this machine by its name, nobody else’s',
    async (bound) => {
      const test = await startTestServer({ host: bound });
      const port = test.server.port;
      expect(test.server.host).toBe(bound);
      expect(test.server.origin).toBe(`http://127.0.0.1:${port}`);
      expect(test.server.url).toBe(`http://127.0.0.1:${port}/?token=${encodeURIComponent(test.token)}`);
      expect((await get(test, '/')).status).toBe(200);
      expect((await get(test, '/', { host: `${hostname()}:${port}` })).status).toBe(200);
      expect((await get(test, '/', { host: `evil.example:${port}` })).status).toBe(421);
      const named = { host: `${hostname()}:${port}`, origin: `http://${hostname()}:${port}` };
      expect(await upgradeStatus(test, named)).toBe(101);
      expect(await upgradeStatus(test, { ...named, token: null })).toBe(401);
      expect(await upgradeStatus(test, { ...named, origin: `http://evil.example:${port}` })).toBe(403);
      expect(
        await upgradeStatus(test, { host: `evil.example:${port}`, origin: `http://evil.example:${port}` }),
      ).toBe(421);
    },
  );
});

describe('the server itself', () => {
  it('prints a URL that gives back the token exactly, whatever characters a fixed one holds', async () => {
    const token = 'a+fixed/token&with=odd%characters?#0123';
    const test = await startTestServer({ token });
    expect(new URL(test.server.url).searchParams.get('token')).toBe(token);
    expect(await upgradeStatus(test)).toBe(101);
  });

  it('refuses a connection past its limit with 503, and takes one again once a tab leaves', async () => {
    const test = await startTestServer({ maxConnections: 1 });
    const first = await TestClient.connect(test);
    expect(await upgradeStatus(test)).toBe(503);
    const refused = await rawConnection(test);
    refused.socket.write(handshake(test));
    await refused.closed;
    expect(refused.received()).toMatch(
      /^HTTP\/1\.1 503 Service Unavailable\r\n[^]*\r\n\r\nToo many connections\n$/,
    );
    expect(test.engine.registry.size).toBe(1);
    await first.close();
    await eventually(() => test.engine.registry.size === 1 && test.server.sessionCount === 1);
    let status = await upgradeStatus(test);
    for (let tries = 0; status !== 101 && tries < 50; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      status = await upgradeStatus(test);
    }
    expect(status).toBe(101);
  });

  it('compresses nothing: a client offering permessage-deflate gets a plain connection', async () => {
    const test = await startTestServer();
    const client = await TestClient.connect(test);
    expect(client.socket.extensions).toBe('');
  });
});

describe('started with nothing but what it must be told', () => {
  it('listens on 127.0.0.1 and keeps a closed tab’s context for its reload', async () => {
    const engine = await createTestEngine();
    const { root } = await makeStaticFixture();
    const server = await startWebServer({
      registry: engine.registry,
      router: engine.router,
      staticDir: root,
      token: 'a-token-for-defaults',
    });
    onTestFinished(() => server.close());
    const test = { server, token: 'a-token-for-defaults' };
    expect(server.host).toBe('127.0.0.1');
    expect(server.origin).toBe(`http://127.0.0.1:${server.port}`);
    const first = await TestClient.connect(test);
    const { session } = first.session;
    await first.close();
    const again = await TestClient.connect(test, { query: { session } });
    expect(again.session).toEqual({ type: 'session', session, resumed: true });
    expect(engine.registry.size).toBe(1);
  });

  it('takes a hundred tabs and refuses the next', async () => {
    const engine = await createTestEngine();
    const { root } = await makeStaticFixture();
    const token = 'a-token-for-the-default-limit';
    const server = await startWebServer({
      registry: engine.registry,
      router: engine.router,
      staticDir: root,
      token,
    });
    onTestFinished(() => server.close());
    const test = { server, token };
    const tabs = [];
    for (let i = 0; i < 100; i++) tabs.push(TestClient.connect(test));
    await Promise.all(tabs);
    expect(await upgradeStatus(test)).toBe(503);
    expect(engine.registry.size).toBe(100);
  });

  it('listens on the port it is given, and fails to start when that port is taken', async () => {
    const engine = await createTestEngine();
    const { root } = await makeStaticFixture();
    const port = await freePort();
    const options = { registry: engine.registry, router: engine.router, staticDir: root, token: 't', port };
    const server = await startWebServer(options);
    onTestFinished(() => server.close());
    expect(server.port).toBe(port);
    expect(server.url).toBe(`http://127.0.0.1:${port}/?token=t`);
    await expect(startWebServer(options)).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});

describe('the heartbeat', () => {
  it('keeps a tab that answers pings, and drops one that does not', async () => {
    const test = await startTestServer({ heartbeatMs: 100, graceMs: 10 });
    const answering = await TestClient.connect(test);
    const silent = await TestClient.connect(test, { autoPong: false });
    let pings = 0;
    // A second ping goes only to a tab that answered the first.
    const pingedTwice = new Promise<void>((resolve) =>
      answering.socket.on('ping', () => (++pings === 2 ? resolve() : undefined)),
    );
    const dropped = answering.closed.then(() => {
      throw new Error('the tab that answered was dropped');
    });
    expect((await silent.closed).code).toBe(1006);
    await Promise.race([pingedTwice, dropped]);
    expect(await answering.request('config.get', {})).toMatchObject({ ok: true });
    // The dropped tab's context goes after its grace period, as a closed tab's would.
    await eventually(() => test.engine.registry.size === 1);
  });
});

describe('close()', () => {
  it('says goodbye to every tab, releases every context, stops listening and leaves no timer', async () => {
    const engine = await createTestEngine();
    const { root } = await makeStaticFixture();
    // Counted and never run: closing must wait on the tab's goodbye, not on a clock.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    onTestFinished(() => void vi.useRealTimers());
    const token = 'a-token-for-closing';
    const server = await startWebServer({
      registry: engine.registry,
      router: engine.router,
      staticDir: root,
      token,
    });
    const test = { server, token };
    // A tab without TestClient, whose polling would wait on the frozen clock.
    const tab = new WebSocket(`${server.origin.replace(/^http/, 'ws')}/ws?token=${token}`, {
      headers: { origin: server.origin },
    });
    const goodbye = new Promise((resolve) =>
      tab.on('close', (code, reason) => resolve({ code, reason: `${reason}` })),
    );
    await once(tab, 'message');
    expect(engine.registry.size).toBe(1);
    const first = server.close();
    const second = server.close();
    await Promise.all([first, second]);
    expect(await goodbye).toEqual({ code: 1001, reason: 'Server shutting down' });
    expect(engine.registry.size).toBe(0);
    expect(server.sessionCount).toBe(0);
    await expect(upgradeStatus(test)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(vi.getTimerCount()).toBe(0);
  });

  // Takes a second: the time a tab gets to answer the close before it is cut off.
  it('cuts off a tab that never answers, refusing handshakes and dropping half-sent requests meanwhile', async () => {
    const test = await startTestServer();
    const mute = await rawConnection(test);
    mute.socket.write(handshake(test));
    await eventually(() => mute.received().includes('\r\n\r\n'));
    expect(mute.received()).toMatch(/^HTTP\/1\.1 101 /);
    const lateTab = await rawConnection(test);
    const lateHandshake = handshake(test);
    lateTab.socket.write(lateHandshake.slice(0, 40));
    const halfRequest = await rawConnection(test);
    halfRequest.socket.write(`GET / HTTP/1.1\r\nHost: ${new URL(test.server.origin).host}\r\n`);
    await eventually(() => test.engine.registry.size === 1);

    const closing = test.server.close();
    lateTab.socket.write(lateHandshake.slice(40));
    await lateTab.closed;
    expect(lateTab.received()).toMatch(
      /^HTTP\/1\.1 503 Service Unavailable\r\n[^]*\r\n\r\nServer shutting down\n$/,
    );
    await closing;
    await mute.closed;
    await halfRequest.closed;
    expect(halfRequest.received()).toBe('');
    expect(test.engine.registry.size).toBe(0);
  });
});
