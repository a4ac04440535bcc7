import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { NamedError } from '../../shared/errors';
import { WS_PARAMS } from '../../shared/ws-protocol';

/** The shortest `DESKMATE_TOKEN` accepted: the token is all that stands between a page and a shell. */
const MIN_TOKEN_LENGTH = 32;

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

/**
 * Whether a request carries the token, read from its `token` query parameter and from nothing else.
 * Never from a cookie: cookies ignore ports, so a browser hands a cookie for 127.0.0.1 to any server
 * on any 127.0.0.1 port (another local user's included) whenever some page sends it there. The page
 * keeps the token in sessionStorage, whose origin includes the port, and puts it on its WebSocket URL.
 */
export function carriesToken(token: string, query: URLSearchParams): boolean {
  return tokensMatch(token, query.get(WS_PARAMS.token));
}
