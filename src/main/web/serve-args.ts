import path from 'node:path';
import { parseArgs } from 'node:util';
import { resolveDataDir } from '../engine/data-dir';
import { isLoopbackHost, unbracket } from './host-address';

export const USAGE =
  'usage: npm run serve -- [--port N] [--host 127.0.0.1] [--data-dir DIR] [--allow-remote] [--static DIR] [--grace-ms N]';

export interface ServeOptions {
  host: string;
  port: number;
  dataDir: string;
  staticDir: string;
  /** True when the host is reachable from other machines (only with --allow-remote). */
  remote: boolean;
  /** How long a closed tab's context waits for a reload. */
  graceMs: number;
}

export type ParsedServeArgs =
  { kind: 'options'; options: ServeOptions } | { kind: 'help' } | { kind: 'error'; message: string };

export interface ServeArgsContext {
  env: Readonly<Record<string, string | undefined>>;
  /** Where relative paths start: the folder the user typed the command in. */
  cwd: string;
  /** The platform's app-data folder, the last fallback for the data dir. */
  platformDataDir: string;
  /** The built renderer, when --static is not given. */
  defaultStaticDir: string;
}

export function parseServeArgs(argv: readonly string[], context: ServeArgsContext): ParsedServeArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        port: { type: 'string', short: 'p' },
        host: { type: 'string' },
        'data-dir': { type: 'string' },
        static: { type: 'string' },
        'allow-remote': { type: 'boolean', default: false },
        'grace-ms': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: false,
    }));
  } catch (error) {
    return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
  }
  if (values.help) return { kind: 'help' };
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!/^\d+$/.test(values.port ?? '0') || !Number.isInteger(port) || port > 65_535) {
    return { kind: 'error', message: `--port must be a number from 0 to 65535, not ${values.port}` };
  }
  const graceMs = values['grace-ms'] === undefined ? 5_000 : Number(values['grace-ms']);
  if (!/^\d+$/.test(values['grace-ms'] ?? '0') || graceMs > 3_600_000) {
    return {
      kind: 'error',
      message: `--grace-ms must be a number of milliseconds, not ${values['grace-ms']}`,
    };
  }
  // `[::1]` as in a URL: the address to listen on is the bare one.
  const host = unbracket(values.host?.trim() || '127.0.0.1');
  const remote = !isLoopbackHost(host);
  if (remote && !values['allow-remote']) {
    return {
      kind: 'error',
      message:
        `--host ${host} would let other machines reach this server; ` +
        'add --allow-remote if that is what you want (anyone with the token can run commands here)',
    };
  }
  const dataDir = values['data-dir']
    ? path.resolve(context.cwd, values['data-dir'])
    : // Stryker disable next-line ArrayDeclaration,ObjectLiteral: resolveDataDir reads no positionals
      resolveDataDir({ positionals: [] }, context.env, context.platformDataDir);
  const staticDir = values.static ? path.resolve(context.cwd, values.static) : context.defaultStaticDir;
  return { kind: 'options', options: { host, port, dataDir, staticDir, remote, graceMs } };
}
