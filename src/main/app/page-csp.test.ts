import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../shared/content-security-policy';

// The policy both hosts send as a header (the app:// handler, the headless host), and the copy in
// index.html's meta tag.
const directives = (policy: string) => policy.split(';').map((d) => d.trim());

describe("the page's content security policy", () => {
  it('allows no inline script or style, and no eval', () => {
    expect(CONTENT_SECURITY_POLICY).not.toContain("'unsafe-inline'");
    expect(CONTENT_SECURITY_POLICY).not.toContain("'unsafe-eval'");
    expect(directives(CONTENT_SECURITY_POLICY)).toContain("style-src 'self'");
    expect(directives(CONTENT_SECURITY_POLICY)).toContain("script-src 'self'");
  });

  it("index.html's meta tag says the same, minus frame-ancestors", () => {
    const html = readFileSync(new URL('../../renderer/index.html', import.meta.url), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(html)?.[1];
    expect(meta).toBeDefined();
    expect(directives(meta!)).toEqual(
      directives(CONTENT_SECURITY_POLICY).filter((d) => !d.startsWith('frame-ancestors')),
    );
  });
});
