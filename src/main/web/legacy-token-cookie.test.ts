import { describe, expect, it } from 'vitest';
import { expireLegacyTokenCookies, legacyTokenCookies } from './legacy-token-cookie';

describe('legacy token cookies', () => {
  it("finds the token cookies earlier versions set, for any port, and nobody else's", () => {
    expect(
      legacyTokenCookies(
        'a=1; deskmate_token_4321=x; deskmate_token=y; deskmate_token_4321=z; deskmate_token_x=1; my_deskmate_token=2; deskmate_token_123456=3',
      ),
    ).toEqual(['deskmate_token_4321', 'deskmate_token']);
    expect(legacyTokenCookies(undefined)).toEqual([]);
    expect(legacyTokenCookies('session=abc')).toEqual([]);
  });

  it('expires each with the path it was set with, and never repeats its value', () => {
    expect(expireLegacyTokenCookies('deskmate_token_4321=the-token')).toEqual([
      'deskmate_token_4321=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict',
    ]);
    expect(expireLegacyTokenCookies('other=1')).toEqual([]);
  });
});
