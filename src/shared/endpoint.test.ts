import { describe, expect, it } from 'vitest';
import { sameEndpoint } from './endpoint';

describe('sameEndpoint', () => {
  it('reads a trailing slash and the case of the host as the same endpoint', () => {
    expect(sameEndpoint('https://API.example.com/v1', 'https://api.example.com/v1/')).toBe(true);
    expect(sameEndpoint('https://api.example.com/v1//', 'https://api.example.com/v1')).toBe(true);
    expect(sameEndpoint('https://api.example.com', 'https://api.example.com/')).toBe(true);
  });

  it('tells apart another host, path, port or scheme: a key belongs to its URL', () => {
    expect(sameEndpoint('https://api.example.com/v1', 'https://api.example.com/v2')).toBe(false);
    expect(sameEndpoint('https://api.example.com/v1', 'https://api.example.com.evil/v1')).toBe(false);
    expect(sameEndpoint('https://api.example.com/v1', 'http://api.example.com/v1')).toBe(false);
    expect(sameEndpoint('http://localhost:8080/v1', 'http://localhost:8081/v1')).toBe(false);
    expect(sameEndpoint('https://api.example.com/V1', 'https://api.example.com/v1')).toBe(false);
  });

  it('compares what is not a URL as written, trailing slashes aside', () => {
    expect(sameEndpoint('not a url/', 'not a url')).toBe(true);
    expect(sameEndpoint('not a/url//', 'not a/url')).toBe(true);
    expect(sameEndpoint('not a url', 'NOT A URL')).toBe(false);
    expect(sameEndpoint('not a url', 'https://not a url')).toBe(false);
  });
});
