import path from 'node:path';
import { parseArgs } from 'node:util';
import type { EnvironmentVariables } from './config/environment-layer';

export interface HostArgs {
  dataDir?: string;
  /** Arguments that are not options: a folder to open, for the Electron host. */
  positionals: string[];
}

/** Lenient: Electron and Chromium add flags of their own, which are ignored here. */
export function parseHostArgs(argv: readonly string[]): HostArgs {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: { 'data-dir': { type: 'string' } },
    strict: false,
    allowPositionals: true,
  });
  const dataDir = values['data-dir'];
  return typeof dataDir === 'string' && dataDir ? { dataDir, positionals } : { positionals };
}

/** `--data-dir`, else `DESKMATE_DATA_DIR`, else the platform's app-data folder. */
export function resolveDataDir(args: HostArgs, env: EnvironmentVariables, platformDefault: string): string {
  return path.resolve(args.dataDir ?? (env.DESKMATE_DATA_DIR || platformDefault));
}
