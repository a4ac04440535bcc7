import { describe, expect, it } from 'vitest';
import { APP_ENTRY_URL, APP_SCHEME_PRIVILEGES, appEntryUrl, createAppUrlCheck, originOf } from './app-origin';

describe('isAppUrl: the packaged app (app://deskmate)', () => {
  const isAppUrl = createAppUrlCheck();

  it('accepts the app page and anything else on its origin', () => {
    expect(isAppUrl(APP_ENTRY_URL)).toBe(true);
    expect(isAppUrl('app://deskmate/')).toBe(true);
    expect(isAppUrl('app://deskmate/index.html?conversation=1#end')).toBe(true);
    expect(isAppUrl('app://deskmate/assets/index-abc.js')).toBe(true);
    expect(isAppUrl('app://DESKMATE/index.html')).toBe(true); // Chromium lowercases the host
  });

  it.each([
    'app://deskmate.evil/',
    'app://deskmate.evil.com/index.html',
    'app://evil/index.html',
    'app://deskmate:8080/index.html',
    'app://user@deskmate/index.html',
    'app://deskmate@evil/index.html',
    'app:///index.html',
    'app:deskmate/index.html',
    'apps://deskmate/index.html',
    'https://deskmate/index.html',
    'file:///deskmate/index.html',
    'http://localhost:5173/',
    'javascript:alert(1)',
    'data:text/html,<p>hi',
    'about:blank',
    '',
    'not a url',
  ])('refuses %s', (url) => {
    expect(isAppUrl(url)).toBe(false);
  });
});

describe('isAppUrl: npm run dev (the dev server)', () => {
  const isAppUrl = createAppUrlCheck('http://localhost:5173');

  it('accepts the dev server origin, whatever the path', () => {
    expect(isAppUrl('http://localhost:5173')).toBe(true);
    expect(isAppUrl('http://localhost:5173/')).toBe(true);
    expect(isAppUrl('http://localhost:5173/src/main.tsx?t=1')).toBe(true);
  });

  it.each([
    'http://localhost:5173.evil.com/',
    'http://localhost:51730/',
    'http://localhost:5174/',
    'http://localhost:5173@evil.com/',
    'http://localhost.evil.com:5173/',
    'https://localhost:5173/',
    'ws://localhost:5173/',
    'http://127.0.0.1:5173/',
    'app://deskmate/index.html',
  ])('refuses the look-alike %s', (url) => {
    expect(isAppUrl(url)).toBe(false);
  });

  it('windows load the dev server there, app://deskmate otherwise', () => {
    expect(appEntryUrl('http://localhost:5173')).toBe('http://localhost:5173');
    expect(appEntryUrl()).toBe('app://deskmate/index.html');
  });

  it('a dev server URL without an origin is refused at start, not matched against everything', () => {
    expect(() => createAppUrlCheck('localhost')).toThrow(/dev server URL/);
  });
});

describe('originOf', () => {
  it('is scheme and host, lowercased, without path, query or credentials', () => {
    expect(originOf('HTTP://Example.COM:8080/a?b#c')).toBe('http://example.com:8080');
    expect(originOf('app://Deskmate/x')).toBe('app://deskmate');
    expect(originOf('https://user:pw@example.com/')).toBeUndefined();
    expect(originOf('https://user@example.com/')).toBeUndefined();
    expect(originOf('https://:pw@example.com/')).toBeUndefined();
    expect(originOf('not a url')).toBeUndefined();
    expect(originOf('file:///etc/passwd')).toBeUndefined();
  });
});

describe('the app:// scheme', () => {
  it('is standard, secure and fetchable, and does not bypass the CSP', () => {
    expect(APP_SCHEME_PRIVILEGES).toEqual({ standard: true, secure: true, supportFetchAPI: true });
  });
});
