/**
 * Earlier versions kept the token in a cookie named `deskmate_token` or `deskmate_token_<port>`.
 * A browser that still holds one sends it to every server on 127.0.0.1, whatever its port (cookies
 * ignore ports), and with a fixed DESKMATE_TOKEN that value still opens Deskmate. The server never
 * reads it; it only tells the browser to drop it, and only when the request carried one, so a
 * browser without such a cookie never sees a Set-Cookie from this server.
 */
const LEGACY_NAME = /^deskmate_token(_\d{1,5})?$/;

/** The names of the legacy token cookies a Cookie header carries, each once. */
export function legacyTokenCookies(header: string | undefined): string[] {
  if (header === undefined) return [];
  const names = new Set<string>();
  for (const pair of header.split(';')) {
    const name = pair.split('=', 1)[0]!.trim();
    if (LEGACY_NAME.test(name)) names.add(name);
  }
  return [...names];
}

/** Set-Cookie values that expire those cookies: same name and path as they were set with. */
export function expireLegacyTokenCookies(header: string | undefined): string[] {
  return legacyTokenCookies(header).map((name) => `${name}=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict`);
}
