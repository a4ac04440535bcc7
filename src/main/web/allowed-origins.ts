import { networkInterfaces, hostname } from 'node:os';
import { hostPort, isLoopbackHost, isUnspecifiedHost } from './host-address';

const LOOPBACK_NAMES = Object.freeze(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The origins a page served by this host can have, as the browser spells them. A WebSocket from any
 * other origin is refused: a cookie scoped to 127.0.0.1 is also sent by pages on other local ports,
 * so the exact origin (port included) is what keeps them out.
 */
export function allowedOrigins(host: string, port: number): ReadonlySet<string> {
  const names = new Set<string>();
  if (isLoopbackHost(host) || isUnspecifiedHost(host)) {
    for (const name of LOOPBACK_NAMES) names.add(name);
  }
  if (isUnspecifiedHost(host)) {
    // Bound to every interface: the browser may use any of this machine's addresses or its name.
    names.add(hostname().toLowerCase());
    for (const addresses of Object.values(networkInterfaces())) {
      for (const address of addresses ?? []) names.add(address.address);
    }
  } else {
    names.add(host.toLowerCase());
  }
  return new Set([...names].map((name) => originOf(name, port)));
}

/** An origin as a browser serializes it: the default port is left out. */
export function originOf(host: string, port: number): string {
  const spelled = hostPort(host, port);
  return port === 80 ? `http://${spelled.slice(0, spelled.lastIndexOf(':'))}` : `http://${spelled}`;
}
