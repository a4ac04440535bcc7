import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../shared/content-security-policy';
import { SECRET, startTestServer, TestClient, upgradeStatus, type TestServer } from './web-test-support';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw request: the path goes on the wire exactly as written (fetch would normalize `..`). */
function get(
  test: TestServer,
  rawPath: string,
  options: { method?: string; cookie?: string; body?: string; host?: string } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: test.server.port,
        path: rawPath,
        method: options.method ?? 'GET',
        headers: {
          ...(options.host ? { host: options.host } : {}),
          ...(options.cookie ? { cookie: options.cookie } : {}),
          // Node sends a GET's body without framing unless told its length.
          ...(options.body ? { 'content-length': String(Buffer.byteLength(options.body)) } : {}),
        },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** The cookie a browser holds for this server once it opened the URL with the token. */
function cookieFor(test: TestServer): string {
  return `deskmate_token_${test.server.port}=${test.token}`;
}

function cookieOf(reply: Reply): string {
  const setCookie = reply.headers['set-cookie'];
  const first = Array.isArray(setCookie) ? setCookie[0] : setCookie;
  if (!first) throw new Error('no Set-Cookie');
  return first.split(';')[0]!;
}

describe('HTTP', () => {
  it('answers 401 without the token, the page and a cookie with it, assets with the cookie', async () => {
    const test = await startTestServer();
    for (const path of ['/', '/index.html', '/assets/app.js', '/?token=wrong', '/missing']) {
      const refused = await get(test, path);
      expect(refused.status, path).toBe(401);
      expect(refused.body).not.toContain('fixture');
    }
    const name = `deskmate_token_${test.server.port}`;
    expect((await get(test, '/assets/app.js', { cookie: `${name}=wrong` })).status).toBe(401);
    // Another name (another server's cookie, or the old unnumbered one) opens nothing.
    expect((await get(test, '/', { cookie: `deskmate_token=${test.token}` })).status).toBe(401);

    const page = await get(test, `/?token=${test.token}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>fixture</title>');
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['cache-control']).toBe('no-store');
    const setCookie = String(page.headers['set-cookie']);
    expect(setCookie).toContain(`${name}=${test.token}`);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/');

    const asset = await get(test, '/assets/app.js', { cookie: cookieOf(page) });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(asset.body).toContain('fixture');
    expect((await get(test, '/', { cookie: cookieOf(page) })).status).toBe(200);
  });

  it('sets the security headers on every response', async () => {
    const test = await startTestServer();
    for (const reply of [await get(test, '/'), await get(test, `/?token=${test.token}`)]) {
      expect(reply.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
      expect(reply.headers['x-content-type-options']).toBe('nosniff');
      expect(reply.headers['referrer-policy']).toBe('no-referrer');
    }
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
  });

  it('never serves a file outside the static root', async () => {
    const test = await startTestServer();
    const cookie = cookieFor(test);
    for (const path of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/%2e%2e%5csecret.txt',
      '/secret.txt%00',
    ]) {
      const reply = await get(test, path, { cookie });
      expect(reply.body, path).not.toContain(SECRET);
      expect([400, 404], path).toContain(reply.status);
    }
  });

  it('lists no folder and answers 404 for what is not a file', async () => {
    const test = await startTestServer();
    const cookie = cookieFor(test);
    for (const path of ['/assets/', '/assets', '/nope.js']) {
      const reply = await get(test, path, { cookie });
      expect(reply.status, path).toBe(404);
      expect(reply.body).not.toContain('app.js');
    }
  });

  it('allows only GET and HEAD', async () => {
    const test = await startTestServer();
    const cookie = cookieFor(test);
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS']) {
      const reply = await get(test, '/', { method, cookie });
      expect(reply.status, method).toBe(405);
      expect(reply.headers.allow).toBe('GET, HEAD');
    }
    expect((await get(test, '/', { cookie, body: 'x'.repeat(1000) })).status).toBe(413);
    const head = await get(test, '/assets/app.js', { method: 'HEAD', cookie });
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
        const reply = await get(test, path, { host, cookie: cookieFor(test) });
        expect(reply.status, `${host} ${path}`).toBe(421);
        expect(reply.headers['content-type']).toBe('text/plain; charset=utf-8');
        expect(reply.body).toBe(
          `Misdirected request: this server answers only requests addressed to 127.0.0.1:${port}\n`,
        );
        expect(reply.headers['set-cookie']).toBeUndefined();
      }
    }
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]) {
      expect((await get(test, '/', { host, cookie: cookieFor(test) })).status, host).toBe(200);
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
  it('each names its cookie after its port, and each still opens with both cookies sent', async () => {
    const [a, b] = [await startTestServer(), await startTestServer()];
    const cookieA = cookieOf(await get(a, `/?token=${a.token}`));
    const cookieB = cookieOf(await get(b, `/?token=${b.token}`));
    expect(cookieA.split('=')[0]).toBe(`deskmate_token_${a.server.port}`);
    expect(cookieB.split('=')[0]).toBe(`deskmate_token_${b.server.port}`);
    // Cookies ignore ports: the browser keeps both and sends both to each server.
    const jar = `${cookieA}; ${cookieB}`;
    expect((await get(a, '/', { cookie: jar })).status).toBe(200);
    expect((await get(b, '/', { cookie: jar })).status).toBe(200);
    expect(await upgradeStatus(a, { token: null, cookie: jar })).toBe(101);
    expect(await upgradeStatus(b, { token: null, cookie: jar })).toBe(101);
    // One server's cookie does not open the other.
    expect((await get(a, '/', { cookie: cookieB })).status).toBe(401);
  });
});

describe('WebSocket handshake', () => {
  it('is refused with 401 without a valid token', async () => {
    const test = await startTestServer();
    expect(await upgradeStatus(test, { token: null })).toBe(401);
    expect(await upgradeStatus(test, { token: 'wrong' })).toBe(401);
    expect(
      await upgradeStatus(test, { token: null, cookie: `deskmate_token_${test.server.port}=wrong` }),
    ).toBe(401);
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

  it('is accepted from its own origin, by token or by cookie', async () => {
    const test = await startTestServer();
    const port = test.server.port;
    expect(await upgradeStatus(test)).toBe(101);
    expect(await upgradeStatus(test, { origin: `http://localhost:${port}` })).toBe(101);
    expect(await upgradeStatus(test, { token: null, cookie: cookieFor(test) })).toBe(101);
  });

  it('serves only /ws, and /ws only to a WebSocket', async () => {
    const test = await startTestServer();
    expect((await get(test, '/ws', { cookie: cookieFor(test) })).status).toBe(426);
    expect((await get(test, '/ws')).status).toBe(401);
    expect(await upgradeStatus(test, { path: '/' })).toBe(404);
    expect(await upgradeStatus(test, { path: '/ws/' })).toBe(404);
    const client = await TestClient.connect(test);
    expect(client.session.resumed).toBe(false);
    expect(test.engine.registry.size).toBe(1);
  });
});
