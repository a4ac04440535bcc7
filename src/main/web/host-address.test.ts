import { describe, expect, it } from 'vitest';
import { hostPort, isLoopbackHost, isUnspecifiedHost, unbracket } from './host-address';

describe('which addresses only this machine can reach', () => {
  it.each([
    '127.0.0.1',
    '127.8.9.10',
    'localhost',
    'LocalHost',
    '::1',
    '[::1]',
    '0:0:0:0:0:0:0:1',
    '[0:0:0:0:0:0:0:1]',
    '::ffff:127.0.0.1',
    '::FFFF:127.0.0.2',
    '::ffff:127.10.200.1',
  ])('%s is loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });

  it.each([
    // Every interface: the whole network reaches these.
    '0.0.0.0',
    '::',
    '[::]',
    '0:0:0:0:0:0:0:0',
    '192.168.1.4',
    'fd00::4',
    '::ffff:192.168.1.4',
    // Names and spellings that only look like loopback.
    '127.0.0.1.evil.example',
    'evil.example.127.0.0.1',
    '1127.0.0.1',
    '127.0.0.1x',
    '127.0.0',
    '127.1234.0.1',
    'x::ffff:127.0.0.1',
    '::ffff:127.0.0.1.evil',
    'localhost.evil.example',
    'my-localhost',
    '::10',
    '',
  ])('%s is not loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });

  it('tells the every-interface addresses from one address', () => {
    for (const host of ['0.0.0.0', '::', '[::]', '0:0:0:0:0:0:0:0', '[0:0:0:0:0:0:0:0]']) {
      expect(isUnspecifiedHost(host), host).toBe(true);
    }
    for (const host of ['127.0.0.1', '::1', '0.0.0.1', '192.168.1.4', 'localhost', '']) {
      expect(isUnspecifiedHost(host), host).toBe(false);
    }
  });
});

describe('host spelling', () => {
  it('takes the brackets off an IPv6 address, and only a bracketed one', () => {
    expect(unbracket('[::1]')).toBe('::1');
    expect(unbracket('::1')).toBe('::1');
    expect(unbracket('[::1')).toBe('[::1');
    expect(unbracket('::1]')).toBe('::1]');
    expect(unbracket('localhost')).toBe('localhost');
  });

  it('writes host:port as a URL does: IPv6 in brackets, once', () => {
    expect(hostPort('127.0.0.1', 4321)).toBe('127.0.0.1:4321');
    expect(hostPort('localhost', 80)).toBe('localhost:80');
    expect(hostPort('::1', 4321)).toBe('[::1]:4321');
    expect(hostPort('[::1]', 4321)).toBe('[::1]:4321');
    expect(hostPort('fd00::4', 8080)).toBe('[fd00::4]:8080');
  });
});
