import { hostname, networkInterfaces } from 'node:os';
import { hostPort, isLoopbackHost, isUnspecifiedHost } from './host-address';

const LOOPBACK_NAMES = Object.freeze(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The names a browser can use for a server bound to `host`, lowercased: the loopback spellings for
 * a loopback address, the bound address itself otherwise, and every address and the machine's name
 * when bound to every interface.
 */
export function servedNames(host: string): ReadonlySet<string> {
  const names = new Set<string>();
  if (isLoopbackHost(host) || isUnspecifiedHost(host)) {
    for (const name of LOOPBACK_NAMES) names.add(name);
  }
  if (isUnspecifiedHost(host)) {
    names.add(hostname().toLowerCase());
    for (const addresses of Object.values(networkInterfaces())) {
      // Stryker disable next-line ArrayDeclaration: networkInterfaces() lists no interface without addresses
      for (const address of addresses ?? []) names.add(address.address.toLowerCase());
    }
  } else {
    names.add(host.toLowerCase());
  }
  return names;
}

/** The `Host` header values a request to this server can carry, as browsers spell them. */
export function allowedHosts(host: string, port: number): ReadonlySet<string> {
  const hosts = new Set<string>();
  for (const name of servedNames(host)) {
    const spelled = hostPort(name, port);
    hosts.add(spelled);
    // Browsers leave the default port out of Host, as they do out of an origin.
    if (port === 80) hosts.add(spelled.slice(0, spelled.lastIndexOf(':')));
  }
  return hosts;
}

export type HostDecision = { ok: true } | { ok: false; status: 421; message: string };

/**
 * Whether a request was addressed to this server. A page on another site can point its own DNS
 * name at 127.0.0.1 (DNS rebinding) and then talk to this server as "same origin"; its requests
 * still carry that name in Host, so any Host but this server's own address is refused.
 */
export function checkHost(header: string | undefined, allowed: ReadonlySet<string>): HostDecision {
  if (header !== undefined && allowed.has(header.toLowerCase())) return { ok: true };
  const expected = [...allowed][0] ?? 'its own address';
  return {
    ok: false,
    status: 421,
    message: `Misdirected request: this server answers only requests addressed to ${expected}`,
  };
}
