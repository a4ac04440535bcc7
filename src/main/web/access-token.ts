import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { NamedError } from '../../shared/errors';

/**
 * The cookie that carries the token, named after the server's port: cookies ignore ports, so two
 * servers on 127.0.0.1 sharing one name would each overwrite the other's, and a reload of the first
 * tab would be refused.
 */
export function tokenCookieName(port: number): string {
  return `deskmate_token_${port}`;
}

/** The shortest `DESKMATE_TOKEN` accepted: the token is all that stands between a page and a shell. */
export const MIN_TOKEN_LENGTH = 32;

/**
 * `DESKMATE_TOKEN` when set (a fixed URL to bookmark), else 32 random bytes for this start. A fixed
 * token shorter than MIN_TOKEN_LENGTH is refused (WeakToken): it could be guessed.
 */
export function createToken(env: Readonly<Record<string, string | undefined>>): string {
  const fixed = env.DESKMATE_TOKEN?.trim();
  if (!fixed) return randomBytes(32).toString('base64url');
  if (fixed.length < MIN_TOKEN_LENGTH) {
    throw new NamedError(
      'WeakToken',
      `DESKMATE_TOKEN is ${fixed.length} characters long; it must be at least ${MIN_TOKEN_LENGTH}. ` +
        'Leave it unset for a random token per start, or make one with `openssl rand -hex 32`.',
    );
  }
  return fixed;
}

/** Constant-time: both sides are hashed first, so neither the content nor the length leaks. */
export function tokensMatch(expected: string, candidate: string | undefined | null): boolean {
  if (typeof candidate !== 'string' || candidate.length === 0) return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(expected), digest(candidate));
}

/** Cookie values by name; a malformed pair is skipped, the first of a repeated name wins. */
export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const pair of (header ?? '').split(';')) {
    const at = pair.indexOf('=');
    if (at <= 0) continue;
    const name = pair.slice(0, at).trim();
    let value = pair.slice(at + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    try {
      value = decodeURIComponent(value);
    } catch {
      continue;
    }
    if (!cookies.has(name)) cookies.set(name, value);
  }
  return cookies;
}

export type TokenSource = 'query' | 'cookie';

/** What opens this server: its token, and the name of the cookie that carries it. */
export interface AccessToken {
  token: string;
  cookieName: string;
}

/** Where a valid token came from, or null: the `token` query parameter first, then the cookie. */
export function authenticate(
  access: AccessToken,
  query: URLSearchParams,
  headers: IncomingHttpHeaders,
): TokenSource | null {
  if (tokensMatch(access.token, query.get('token'))) return 'query';
  if (tokensMatch(access.token, parseCookies(headers.cookie).get(access.cookieName))) return 'cookie';
  return null;
}

/** HttpOnly (no script reads it), SameSite=Strict (no other site sends it), for every path. */
export function tokenCookie(access: AccessToken): string {
  return `${access.cookieName}=${encodeURIComponent(access.token)}; HttpOnly; SameSite=Strict; Path=/`;
}
