// The renderer's own origin, and the one test every URL check uses. Plain Node: no electron import.

/** The privileged scheme the built renderer is served from (see app-protocol.ts). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'deskmate';
const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * What `protocol.registerSchemesAsPrivileged` gets: a standard, secure scheme (an origin of its
 * own, treated like https) whose pages may use fetch. It does not bypass the CSP.
 */
export const APP_SCHEME_PRIVILEGES = Object.freeze({
  standard: true,
  secure: true,
  supportFetchAPI: true,
});

/**
 * `scheme://host[:port]` of a URL, or undefined when it has none or carries credentials.
 * WHATWG gives `app:` URLs an opaque origin ("null") in Node, so the origin is built from the parts;
 * Chromium lowercases the host of a standard scheme, and so does this.
 */
export function originOf(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (!parsed.host || parsed.username || parsed.password) return undefined;
  return `${parsed.protocol}//${parsed.host.toLowerCase()}`;
}

/**
 * Whether a URL is one of the app's own pages: the same origin as the page the windows load (the
 * dev server in `npm run dev`, app://deskmate otherwise). Origins are compared whole, never as
 * prefixes, so `http://localhost:5173.evil.com` or `app://deskmate.evil/` is not ours.
 */
export function createAppUrlCheck(devServerUrl?: string): (url: string) => boolean {
  const ours = devServerUrl ? originOf(devServerUrl) : APP_ORIGIN;
  if (ours === undefined) throw new Error(`Not a usable dev server URL: ${devServerUrl}`);
  return (url) => originOf(url) === ours;
}

/** The page a new window loads. */
export function appEntryUrl(devServerUrl?: string): string {
  return devServerUrl ?? APP_ENTRY_URL;
}
