import { describe, expect, it } from 'vitest';
import { allowedOrigins } from './allowed-origins';
import { hostPort, isLoopbackHost, isUnspecifiedHost } from './host-address';

describe('host addresses', () => {
  it('knows loopback from the rest', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', 'LOCALHOST']) {
      expect(isLoopbackHost(host), host).toBe(true);
    }
    for (const host of [
      '0.0.0.0',
      '::',
      '192.168.1.4',
      'example.com',
      '128.0.0.1',
      '127.0.0.1.example.com',
    ]) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
    expect(isUnspecifiedHost('0.0.0.0')).toBe(true);
    expect(isUnspecifiedHost('::')).toBe(true);
  });

  it('brackets IPv6 in host:port', () => {
    expect(hostPort('::1', 80)).toBe('[::1]:80');
    expect(hostPort('[::1]', 80)).toBe('[::1]:80');
    expect(hostPort('127.0.0.1', 80)).toBe('127.0.0.1:80');
  });
});

describe('allowedOrigins', () => {
  it('accepts the loopback spellings of its own port, and nothing else, on loopback', () => {
    const origins = allowedOrigins('127.0.0.1', 4321);
    expect([...origins].sort()).toEqual(
      ['http://127.0.0.1:4321', 'http://[::1]:4321', 'http://localhost:4321'].sort(),
    );
    expect(origins.has('http://127.0.0.1:4322')).toBe(false);
    expect(origins.has('https://127.0.0.1:4321')).toBe(false);
  });

  it('accepts only the named host when bound to one address', () => {
    expect([...allowedOrigins('192.168.1.4', 8080)]).toEqual(['http://192.168.1.4:8080']);
    // Browsers leave the default port out of an origin.
    expect([...allowedOrigins('192.168.1.4', 80)]).toEqual(['http://192.168.1.4']);
  });
});
