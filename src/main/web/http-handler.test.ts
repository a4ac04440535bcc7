import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createHttpHandler } from './http-handler';
import { makeStaticFixture, rawRequest, SECRET } from '../../../test/support/web-test-support';

const TOKEN = 'http-handler-token-0123456789-abcdefghij';

/** The handler alone on a plain HTTP server, answering Host 127.0.0.1:<port> only. */
async function startHandler() {
  const { root } = await makeStaticFixture();
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;
  const handle = createHttpHandler({ staticDir: root, token: TOKEN, hosts: new Set([`127.0.0.1:${port}`]) });
  server.on('request', (req, res) => void handle(req, res));
  return { port, root };
}

describe('the HTTP handler', () => {
  it('sets the security headers on every answer: a file, a refusal, an error', async () => {
    const { port } = await startHandler();
    for (const [target, method, host] of [
      ['/', 'GET', undefined],
      ['/assets/app.js', 'HEAD', undefined],
      ['/', 'GET', `evil.example:${port}`],
      ['/', 'POST', undefined],
      ['/missing.js', 'GET', undefined],
      ['/ws', 'GET', undefined],
    ] as const) {
      const reply = await rawRequest(port, target, { method, headers: host ? { host } : {} });
      expect(reply.headers['x-content-type-options'], `${method} ${target}`).toBe('nosniff');
      expect(reply.headers['x-frame-options'], `${method} ${target}`).toBe('DENY');
    }
  });

  it('closes the connection after refusing a stranger’s Host, and answers HEAD without a body', async () => {
    const { port } = await startHandler();
    const get = await rawRequest(port, '/', { headers: { host: `evil.example:${port}` } });
    expect(get.status).toBe(421);
    expect(get.body).toBe(
      `Misdirected request: this server answers only requests addressed to 127.0.0.1:${port}\n`,
    );
    expect(get.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(get.headers.connection).toBe('close');
    expect(get.headers['cache-control']).toBe('no-store');
    expect(Number(get.headers['content-length'])).toBe(Buffer.byteLength(get.body));
    const head = await rawRequest(port, '/', { method: 'HEAD', headers: { host: `evil.example:${port}` } });
    expect(head.status).toBe(421);
    expect(head.body).toBe('');
    expect(Number(head.headers['content-length'])).toBe(Buffer.byteLength(get.body));
  });

  it('refuses other methods and any request body, closing the connection', async () => {
    const { port } = await startHandler();
    const post = await rawRequest(port, '/', { method: 'POST', body: 'x' });
    expect(post).toMatchObject({ status: 405, body: 'Method not allowed\n' });
    expect(post.headers.connection).toBe('close');
    expect(post.headers.allow).toBe('GET, HEAD');
    const chunked = await rawRequest(port, '/', {
      headers: { 'transfer-encoding': 'chunked' },
      body: 'x'.repeat(10),
    });
    expect(chunked).toMatchObject({ status: 413, body: 'Request bodies are not accepted\n' });
    expect(chunked.headers.connection).toBe('close');
    const sized = await rawRequest(port, '/', { headers: { 'content-length': '3' }, body: 'abc' });
    expect(sized.status).toBe(413);
    // An empty body is no body.
    expect((await rawRequest(port, '/', { headers: { 'content-length': '0' } })).status).toBe(200);
  });

  it('answers 400 to a target that is not a path, and to a path that cannot be decoded', async () => {
    const { port } = await startHandler();
    for (const target of ['http://evil.example/index.html', '/%E0%A4%A', '/assets/%zz']) {
      const reply = await rawRequest(port, target, { headers: { host: `127.0.0.1:${port}` } });
      expect(reply, target).toMatchObject({ status: 400, body: 'Bad request\n' });
    }
    const head = await rawRequest(port, '/%E0%A4%A', { method: 'HEAD' });
    expect(head).toMatchObject({ status: 400, body: '' });
  });

  it('serves a file with its size and date; the page is never cached, an asset revalidates', async () => {
    const { port, root } = await startHandler();
    const file = path.join(root, 'assets', 'app.js');
    const page = await rawRequest(port, '/');
    expect(page.headers['cache-control']).toBe('no-store');
    const asset = await rawRequest(port, '/assets/app.js');
    expect(asset.status).toBe(200);
    expect(asset.headers['cache-control']).toBe('no-cache');
    expect(Number(asset.headers['content-length'])).toBe((await stat(file)).size);
    expect(asset.headers['last-modified']).toBe((await stat(file)).mtime.toUTCString());
    expect(asset.body).toBe('console.log("fixture");');
    const head = await rawRequest(port, '/assets/app.js', { method: 'HEAD' });
    expect(head).toMatchObject({ status: 200, body: '' });
    expect(head.headers['content-type']).toBe('text/javascript; charset=utf-8');
  });

  it('answers 404 with a plain message, HEAD without it, and never the secret beside the root', async () => {
    const { port } = await startHandler();
    expect(await rawRequest(port, '/missing.js')).toMatchObject({ status: 404, body: 'Not found\n' });
    expect(await rawRequest(port, '/missing.js', { method: 'HEAD' })).toMatchObject({
      status: 404,
      body: '',
    });
    expect((await rawRequest(port, '/../secret.txt')).body).not.toContain(SECRET);
  });

  it('at /ws over HTTP, tells a good token (426) from a stale one (401), HEAD without a body', async () => {
    const { port } = await startHandler();
    expect(await rawRequest(port, `/ws?token=${TOKEN}`)).toMatchObject({
      status: 426,
      body: 'This is a WebSocket endpoint\n',
    });
    expect(await rawRequest(port, `/ws?token=${TOKEN}`, { method: 'HEAD' })).toMatchObject({
      status: 426,
      body: '',
    });
    const stale = await rawRequest(port, '/ws?token=old', { method: 'HEAD' });
    expect(stale).toMatchObject({ status: 401, body: '' });
    expect((await rawRequest(port, '/ws?token=old')).body).toBe(
      'Unauthorized: not the token Deskmate printed when it started ' +
        '(each start prints a new one unless DESKMATE_TOKEN is set)\n',
    );
    // The token in a fragment is not in the query.
    expect((await rawRequest(port, `/ws#?token=${TOKEN}`)).status).toBe(401);
    expect(
      (await rawRequest(port, '/ws', { headers: { cookie: `deskmate_token_${port}=${TOKEN}` } })).headers[
        'set-cookie'
      ],
    ).toEqual([`deskmate_token_${port}=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict`]);
  });
});
