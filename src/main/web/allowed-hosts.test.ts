import { hostname, networkInterfaces } from 'node:os';
import { describe, expect, it } from 'vitest';
import { allowedHosts, checkHost } from './allowed-hosts';
import { hostPort } from './host-address';

describe('the Host check', () => {
  // [bound address, port, Host header, answered?]
  const table: [string, number, string | undefined, boolean][] = [
    ['127.0.0.1', 4321, '127.0.0.1:4321', true],
    ['127.0.0.1', 4321, 'localhost:4321', true],
    ['127.0.0.1', 4321, 'LOCALHOST:4321', true],
    ['127.0.0.1', 4321, '[::1]:4321', true],
    ['::1', 4321, '[::1]:4321', true],
    ['::1', 4321, 'localhost:4321', true],
    ['localhost', 4321, 'localhost:4321', true],
    // DNS rebinding: a name of the attacker's that now points at 127.0.0.1.
    ['127.0.0.1', 4321, 'evil.example:4321', false],
    ['127.0.0.1', 4321, '127.0.0.1.evil.example:4321', false],
    ['127.0.0.1', 4321, 'localhost.evil.example:4321', false],
    ['127.0.0.1', 4321, 'localhost.:4321', false],
    // Another port, no port, nothing at all.
    ['127.0.0.1', 4321, '127.0.0.1:4322', false],
    ['127.0.0.1', 4321, '127.0.0.1', false],
    ['127.0.0.1', 4321, '127.0.0.1:04321', false],
    ['127.0.0.1', 4321, '', false],
    ['127.0.0.1', 4321, undefined, false],
    ['127.0.0.1', 4321, '::1:4321', false],
    ['127.0.0.1', 4321, '127.0.0.1:4321, evil.example', false],
    // --allow-remote on one address: that address, and not the loopback names it was not bound to.
    ['192.168.1.4', 8080, '192.168.1.4:8080', true],
    ['192.168.1.4', 8080, '127.0.0.1:8080', false],
    ['192.168.1.4', 8080, 'localhost:8080', false],
    ['192.168.1.4', 8080, 'evil.example:8080', false],
    ['deskmate.lan', 8080, 'DESKMATE.lan:8080', true],
    ['fd00::4', 8080, '[fd00::4]:8080', true],
    ['fd00::4', 8080, 'fd00::4:8080', false],
    // Port 80: browsers leave it out of Host.
    ['192.168.1.4', 80, '192.168.1.4', true],
    ['192.168.1.4', 80, '192.168.1.4:80', true],
    ['127.0.0.1', 80, 'localhost', true],
    // Every interface: the loopback names and this machine's own addresses, still not a stranger's name.
    ['0.0.0.0', 4321, '127.0.0.1:4321', true],
    ['0.0.0.0', 4321, 'evil.example:4321', false],
  ];

  it.each(table)('bound to %s:%i, Host %j is answered: %s', (bound, port, header, answered) => {
    const decision = checkHost(header, allowedHosts(bound, port));
    expect(decision.ok).toBe(answered);
    if (!decision.ok) {
      expect(decision.status).toBe(421);
      expect(decision.message).toMatch(
        /^Misdirected request: this server answers only requests addressed to /,
      );
    }
  });
});

describe('bound to every interface', () => {
  // The addresses other machines use to reach this one, and the name it goes by.
  const addresses = Object.values(networkInterfaces())
    .flat()
    .map((address) => address!.address);

  it.each(['0.0.0.0', '::', '[::]'])('bound to %s, answers this machine by any of its names', (bound) => {
    const allowed = allowedHosts(bound, 4321);
    for (const address of addresses) {
      expect(checkHost(hostPort(address, 4321), allowed).ok, address).toBe(true);
      expect(checkHost(hostPort(address.toUpperCase(), 4321), allowed).ok, address).toBe(true);
    }
    expect(checkHost(`${hostname()}:4321`, allowed).ok).toBe(true);
    expect(checkHost(`${hostname().toUpperCase()}:4321`, allowed).ok).toBe(true);
    for (const loopback of ['127.0.0.1:4321', 'localhost:4321', '[::1]:4321']) {
      expect(checkHost(loopback, allowed).ok, loopback).toBe(true);
    }
  });

  it.each(['0.0.0.0', '::'])('bound to %s, still refuses a name of somebody else’s', (bound) => {
    const allowed = allowedHosts(bound, 4321);
    for (const header of [
      'evil.example:4321',
      `${hostname()}.evil.example:4321`,
      '0.0.0.0:4321',
      '[::]:4321',
    ]) {
      expect(checkHost(header, allowed), header).toMatchObject({ ok: false, status: 421 });
    }
    expect(checkHost(`${hostname()}:4322`, allowed).ok).toBe(false);
  });

  it('is only for the unspecified addresses: one address is answered by that address alone', () => {
    const allowed = allowedHosts('192.168.1.4', 4321);
    expect([...allowed]).toEqual(['192.168.1.4:4321']);
    expect(checkHost(`${hostname()}:4321`, allowed).ok).toBe(false);
  });
});

describe('the refusal', () => {
  it('names the first address this server answers to, or says it answers only its own', () => {
    expect(checkHost('evil.example', new Set(['127.0.0.1:4321', 'localhost:4321']))).toEqual({
      ok: false,
      status: 421,
      message: 'Misdirected request: this server answers only requests addressed to 127.0.0.1:4321',
    });
    expect(checkHost('127.0.0.1:4321', new Set())).toEqual({
      ok: false,
      status: 421,
      message: 'Misdirected request: this server answers only requests addressed to its own address',
    });
  });
});
