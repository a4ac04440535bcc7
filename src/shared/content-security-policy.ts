/**
 * The renderer loads only its own bundle: no remote script, no inline script, no eval. Both hosts
 * send it as a header; index.html repeats it in a meta tag (minus frame-ancestors, which only a
 * header can carry) for pages loaded from disk.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
