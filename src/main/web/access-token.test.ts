import { describe, expect, it } from 'vitest';
import { carriesToken, createToken, tokensMatch } from './access-token';

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
          message: expect.stringMatching(
            /^DESKMATE_TOKEN is \d+ characters long; it must be at least 32\. Leave it unset for a random token per start, or make one with `openssl rand -hex 32`\.$/,
          ),
        }),
      );
    }
  });

  it('matches only the exact token', () => {
    expect(tokensMatch('abc', 'abc')).toBe(true);
    for (const candidate of ['abd', 'ab', 'abcd', '', null, undefined]) {
      expect(tokensMatch('abc', candidate)).toBe(false);
    }
    // An empty token opens nothing, even were the expected one empty too.
    expect(tokensMatch('', '')).toBe(false);
  });

  it('is read from the token query parameter only', () => {
    expect(carriesToken('t0k', new URLSearchParams('token=t0k'))).toBe(true);
    expect(carriesToken('t0k', new URLSearchParams('session=x&token=t0k'))).toBe(true);
    for (const query of ['', 'token=nope', 'token=', 'Token=t0k', 'deskmate_token_4321=t0k', 'tok=t0k']) {
      expect(carriesToken('t0k', new URLSearchParams(query)), query).toBe(false);
    }
  });
});
