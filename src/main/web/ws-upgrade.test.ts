import type { IncomingMessage } from 'node:http';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { checkUpgrade, refuseUpgrade, type UpgradePolicy } from './ws-upgrade';

const TOKEN = 'upgrade-test-token-0123456789-abcdefghij';
const policy: UpgradePolicy = {
  token: TOKEN,
  hosts: new Set(['127.0.0.1:4321']),
  origins: new Set(['http://127.0.0.1:4321']),
};

function handshake(
  url: string,
  headers: Record<string, string | undefined> = {},
  method = 'GET',
): IncomingMessage {
  return {
    method,
    url,
    headers: { host: '127.0.0.1:4321', origin: 'http://127.0.0.1:4321', ...headers },
  } as unknown as IncomingMessage;
}

describe('checkUpgrade', () => {
  it('lets through the token in the query, from this origin, addressed to this server', () => {
    const decision = checkUpgrade(handshake(`/ws?token=${TOKEN}&session=s`), policy);
    expect(decision).toMatchObject({ ok: true });
    expect(decision.ok && decision.query.get('session')).toBe('s');
  });

  it('takes the token from the query only: a cookie, a subprotocol or an Authorization header opens nothing', () => {
    const carriers: Record<string, string>[] = [
      { cookie: `deskmate_token_4321=${TOKEN}` },
      { cookie: `deskmate_token=${TOKEN}; token=${TOKEN}` },
      { 'sec-websocket-protocol': TOKEN },
      { authorization: `Bearer ${TOKEN}` },
    ];
    for (const headers of carriers) {
      expect(checkUpgrade(handshake('/ws', headers), policy), JSON.stringify(headers)).toEqual({
        ok: false,
        status: 401,
        message: 'Unauthorized',
      });
    }
    expect(
      checkUpgrade(handshake('/ws?token=wrong', { cookie: `deskmate_token_4321=${TOKEN}` }), policy),
    ).toMatchObject({ ok: false, status: 401 });
  });

  it('still wants the exact origin and the Host, token or not', () => {
    const url = `/ws?token=${TOKEN}`;
    expect(checkUpgrade(handshake(url, { origin: 'http://127.0.0.1:4322' }), policy)).toMatchObject({
      ok: false,
      status: 403,
    });
    expect(checkUpgrade(handshake(url, { host: 'evil.example:4321' }), policy)).toMatchObject({
      ok: false,
      status: 421,
    });
  });
});

describe('checkUpgrade refuses', () => {
  const url = `/ws?token=${TOKEN}`;

  it('any path but /ws, and any target that is not a path', () => {
    for (const target of [
      '/',
      '/ws/',
      '/WS',
      `/ws/../ws?token=${TOKEN}`,
      `http://127.0.0.1:4321/ws?token=${TOKEN}`,
    ]) {
      expect(checkUpgrade(handshake(target), policy), target).toEqual({
        ok: false,
        status: 404,
        message: 'Not found',
      });
    }
  });

  it('a method other than GET', () => {
    expect(checkUpgrade(handshake(url, {}, 'POST'), policy)).toEqual({
      ok: false,
      status: 405,
      message: 'Method not allowed',
    });
  });

  it('a handshake without an Origin, or from another one, however it is spelled', () => {
    for (const origin of [
      undefined,
      'null',
      'http://127.0.0.1:4321/',
      'http://127.0.0.1:43210',
      'http://localhost:4321',
    ]) {
      expect(checkUpgrade(handshake(url, { origin }), policy), String(origin)).toEqual({
        ok: false,
        status: 403,
        message: 'Forbidden origin',
      });
    }
    // Origins compare as the browser serializes them: the case of the scheme and host does not count.
    expect(checkUpgrade(handshake(url, { origin: 'HTTP://127.0.0.1:4321' }), policy)).toMatchObject({
      ok: true,
    });
  });

  it('a handshake without a Host', () => {
    expect(checkUpgrade(handshake(url, { host: undefined }), policy)).toMatchObject({
      ok: false,
      status: 421,
    });
  });
});

/** A connected pair of plain TCP sockets: the server's end, and everything the client end reads. */
async function socketPair(): Promise<{ server: Socket; received: Promise<string> }> {
  const listener = createServer();
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', () => resolve()));
  onTestFinished(() => new Promise<void>((resolve) => listener.close(() => resolve())));
  const accepted = new Promise<Socket>((resolve) => listener.once('connection', resolve));
  const client = connect((listener.address() as AddressInfo).port, '127.0.0.1');
  onTestFinished(() => void client.destroy());
  const received = new Promise<string>((resolve) => {
    let text = '';
    client.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    client.on('close', () => resolve(text));
  });
  return { server: await accepted, received };
}

describe('refuseUpgrade', () => {
  it('answers a plain HTTP response with the status and why, then hangs up', async () => {
    const { server, received } = await socketPair();
    refuseUpgrade(server, 401, 'Unauthorized');
    expect(await received).toBe(
      'HTTP/1.1 401 Unauthorized\r\n' +
        'Connection: close\r\n' +
        'Content-Type: text/plain; charset=utf-8\r\n' +
        'Content-Length: 13\r\n' +
        '\r\n' +
        'Unauthorized\n',
    );
    expect(server.destroyed).toBe(true);
  });

  it('names a status it has no text for plainly, and counts the body in bytes', async () => {
    const { server, received } = await socketPair();
    refuseUpgrade(server, 599, 'Réfusé');
    expect(await received).toBe(
      'HTTP/1.1 599 Error\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n' +
        'Content-Length: 9\r\n\r\nRéfusé\n',
    );
  });

  it('only drops a socket that can no longer be written', async () => {
    const { server, received } = await socketPair();
    server.end();
    refuseUpgrade(server, 401, 'Unauthorized');
    expect(await received).toBe('');
    expect(server.destroyed).toBe(true);
  });
});
