import { describe, expect, it } from 'vitest';
import { parseRequestTarget } from './request-target';

describe('the request target', () => {
  it('splits a path from its query, leaving the path encoded for the static checks', () => {
    const target = parseRequestTarget('/assets/%2e%2e/app.js?token=t0k&session=s');
    expect(target?.rawPath).toBe('/assets/%2e%2e/app.js');
    expect(target?.query.get('token')).toBe('t0k');
    expect(target?.query.get('session')).toBe('s');
    expect(parseRequestTarget('/')).toMatchObject({ rawPath: '/' });
    expect([...parseRequestTarget('/index.html')!.query]).toEqual([]);
  });

  it('drops a fragment from the path and from the query', () => {
    expect(parseRequestTarget('/index.html#top')?.rawPath).toBe('/index.html');
    const target = parseRequestTarget('/ws?token=t0k#session=other');
    expect(target?.rawPath).toBe('/ws');
    expect(target?.query.get('token')).toBe('t0k');
    expect(target?.query.get('session')).toBeNull();
    // A question mark inside the fragment begins no query.
    expect(parseRequestTarget('/ws#?token=t0k')).toMatchObject({ rawPath: '/ws' });
    expect(parseRequestTarget('/ws#?token=t0k')?.query.get('token')).toBeNull();
  });

  it('keeps a second question mark in the query, as a URL does', () => {
    expect(parseRequestTarget('/ws?token=a?b')?.query.get('token')).toBe('a?b');
  });

  it('refuses what is not an origin-form path: absolute URLs, scheme-relative ones, *, nothing', () => {
    for (const url of [
      undefined,
      '',
      '*',
      'http://evil.example/ws?token=t0k',
      '//evil.example/ws',
      'index.html',
      '?token=t0k',
    ]) {
      expect(parseRequestTarget(url), String(url)).toBeNull();
    }
  });
});
