import type { ServerResponse } from 'node:http';
import { CONTENT_SECURITY_POLICY } from '../../shared/content-security-policy';

/** Set on every response, errors included. */
export function setSecurityHeaders(response: ServerResponse): void {
  response.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Referrer-Policy', 'no-referrer');
  // Another local server's page is same-site with this one (ports do not count): keep it from
  // embedding our files.
  response.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  // No frame anywhere (the CSP's frame-ancestors 'none' says the same to newer browsers): a frame
  // of our page inside another local server's page shares the tab's sessionStorage, token included.
  response.setHeader('X-Frame-Options', 'DENY');
  // A window opened by another site, or opening one, holds no handle on ours to navigate it.
  response.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
}
