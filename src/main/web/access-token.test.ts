import { describe, expect, it } from 'vitest';
import {
  authenticate,
  createToken,
  parseCookies,
  tokenCookie,
  tokenCookieName,
  tokensMatch,
} from './access-token';

describe('access token', () => {
  it('is random per start unless DESKMATE_TOKEN is set', () => {
    const a = createToken({});
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(createToken({})).not.toBe(a);
    const fixed = 'a-fixed-token-of-thirty-two-chars';
    expect(createToken({ DESKMATE_TOKEN: fixed })).toBe(fixed);
    expect(createToken({ DESKMATE_TOKEN: `  ${fixed}\n` })).toBe(fixed);
    expect(createToken({ DESKMATE_TOKEN: '  ' })).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('refuses a DESKMATE_TOKEN shorter than 32 characters, saying how long it must be', () => {
    expect(createToken({ DESKMATE_TOKEN: 'x'.repeat(32) })).toBe('x'.repeat(32));
    for (const weak of ['fixed-token', 'x'.repeat(31), ` ${'x'.repeat(31)} `]) {
      expect(() => createToken({ DESKMATE_TOKEN: weak }), weak).toThrow(
        expect.objectContaining({
          name: 'WeakToken',
          message: expect.stringMatching(/^DESKMATE_TOKEN is \d+ characters long; it must be at least 32/),
        }),
      );
    }
  });

  it('matches only the exact token', () => {
    expect(tokensMatch('abc', 'abc')).toBe(true);
    for (const candidate of ['abd', 'ab', 'abcd', '', null, undefined]) {
      expect(tokensMatch('abc', candidate)).toBe(false);
    }
  });

  it('reads cookies leniently', () => {
    const cookies = parseCookies('a=1; deskmate_token=%41b; bad; =x; b="q"; a=2; c=%zz');
    expect(cookies.get('a')).toBe('1');
    expect(cookies.get('deskmate_token')).toBe('Ab');
    expect(cookies.get('b')).toBe('q');
    expect(cookies.has('c')).toBe(false);
  });

  it('accepts the query parameter or the cookie', () => {
    const none = new URLSearchParams();
    const access = { token: 't0k', cookieName: tokenCookieName(4321) };
    expect(authenticate(access, new URLSearchParams('token=t0k'), {})).toBe('query');
    expect(authenticate(access, none, { cookie: tokenCookie(access).split(';')[0] })).toBe('cookie');
    expect(
      authenticate(access, new URLSearchParams('token=nope'), { cookie: 'deskmate_token_4321=nope' }),
    ).toBe(null);
    expect(tokenCookie(access)).toBe('deskmate_token_4321=t0k; HttpOnly; SameSite=Strict; Path=/');
  });

  it("names the cookie after the port, so another local server's cookie neither opens nor hides it", () => {
    expect(tokenCookieName(4321)).not.toBe(tokenCookieName(4322));
    const access = { token: 'mine', cookieName: tokenCookieName(4321) };
    // Cookies ignore ports: a browser sends both servers' cookies to each of them.
    const both = 'deskmate_token_4322=theirs; deskmate_token_4321=mine';
    expect(authenticate(access, new URLSearchParams(), { cookie: both })).toBe('cookie');
    expect(authenticate(access, new URLSearchParams(), { cookie: 'deskmate_token_4322=mine' })).toBe(null);
  });
});
