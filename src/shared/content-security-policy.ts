/**
 * The renderer loads only its own bundle: no remote script, no inline script or style, no eval
 * (zod runs jitless in the renderer and the preload; React's style props go through the CSSOM,
 * which style-src does not govern). Both hosts send it as a header (Electron's app:// handler
 * too); index.html repeats it in a meta tag, minus frame-ancestors, which only a header can carry.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
