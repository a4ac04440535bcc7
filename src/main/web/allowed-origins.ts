import { servedNames } from './allowed-hosts';
import { hostPort } from './host-address';

/**
 * The origins a page served by this host can have, as the browser spells them. A WebSocket from any
 * other origin is refused: pages on other local ports are same-site with this one, so only the
 * exact origin (port included) keeps their scripts out.
 */
export function allowedOrigins(host: string, port: number): ReadonlySet<string> {
  return new Set([...servedNames(host)].map((name) => originOf(name, port)));
}

/** An origin as a browser serializes it: the default port is left out. */
export function originOf(host: string, port: number): string {
  const spelled = hostPort(host, port);
  return port === 80 ? `http://${spelled.slice(0, spelled.lastIndexOf(':'))}` : `http://${spelled}`;
}
