// What the app:// handler serves for a request: a file of the built renderer, or a refusal.
// Plain Node (no electron import), so every way out of the folder is tested against a real one.
import path from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../../shared/content-security-policy';
import { contentTypeOf } from '../engine/base/fs/content-types';
import { regularFileInside } from '../engine/base/fs/file-inside-root';
import { APP_SCHEME, APP_HOST } from './app-origin';

export type AppFileResult =
  | { ok: true; file: string; headers: Record<string, string> }
  | { ok: false; status: 400 | 404 | 405; reason: string };

/**
 * Resolves an app:// request against `root` (out/renderer). Only GET and HEAD, only the app's
 * host, and only a regular file whose real path (symlinks resolved) is inside the real root.
 * Dot segments (`..` however it was encoded) are resolved by the URL parser, never above the root.
 * Each remaining segment is decoded exactly once and refused if it could name another folder: `/`
 * or `\` inside a segment, NUL, or a drive-letter colon. A double encoding (`%252e`) decodes to a
 * literal `%2e` name, which never walks anywhere.
 */
export async function resolveAppRequest(
  root: string,
  request: { url: string; method: string },
): Promise<AppFileResult> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return { ok: false, status: 405, reason: `${request.method} is not served` };
  }
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return { ok: false, status: 400, reason: 'not a URL' };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host.toLowerCase() !== APP_HOST || url.username) {
    return { ok: false, status: 404, reason: `not the app's origin: ${url.protocol}//${url.host}` };
  }
  const segments: string[] = [];
  for (const raw of url.pathname.split('/')) {
    if (raw === '') continue;
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return { ok: false, status: 400, reason: 'malformed percent-encoding' };
    }
    // No segment is `.` or `..` here: the URL parser resolved those, `%2e` spellings included.
    if (/[/\\\0:]/.test(segment)) {
      return { ok: false, status: 400, reason: `refused path segment ${JSON.stringify(segment)}` };
    }
    segments.push(segment);
  }
  if (segments.length === 0) segments.push('index.html');
  const found = await regularFileInside(root, path.join(...segments));
  if (!found) return { ok: false, status: 404, reason: 'no such file inside the renderer' };
  return { ok: true, file: found.file, headers: responseHeaders(found.file) };
}

/** The CSP rides on every response, so the page is strict however it was reached. */
function responseHeaders(file: string): Record<string, string> {
  return {
    'Content-Type': contentTypeOf(file),
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
  };
}
