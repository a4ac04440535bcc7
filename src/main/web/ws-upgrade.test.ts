import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { checkUpgrade, type UpgradePolicy } from './ws-upgrade';

const TOKEN = 'upgrade-test-token-0123456789-abcdefghij';
const policy: UpgradePolicy = {
  token: TOKEN,
  hosts: new Set(['127.0.0.1:4321']),
  origins: new Set(['http://127.0.0.1:4321']),
};

function handshake(url: string, headers: Record<string, string> = {}): IncomingMessage {
  return {
    method: 'GET',
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
