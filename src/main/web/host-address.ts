import { isIPv6 } from 'node:net';

/** True for addresses only this machine can reach: 127.0.0.0/8, ::1 and localhost. */
export function isLoopbackHost(host: string): boolean {
  const bare = unbracket(host).toLowerCase();
  return (
    bare === 'localhost' ||
    bare === '::1' ||
    bare === '0:0:0:0:0:0:0:1' ||
    /^127(\.\d{1,3}){3}$/.test(bare) ||
    /^::ffff:127(\.\d{1,3}){3}$/.test(bare)
  );
}

/** The "every interface" addresses: reachable from the whole network. */
export function isUnspecifiedHost(host: string): boolean {
  const bare = unbracket(host);
  return bare === '0.0.0.0' || bare === '::' || bare === '0:0:0:0:0:0:0:0';
}

export function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** `host:port` as it appears in a URL: IPv6 addresses in brackets. */
export function hostPort(host: string, port: number): string {
  const bare = unbracket(host);
  return `${isIPv6(bare) ? `[${bare}]` : bare}:${port}`;
}
