import path from 'node:path';
import { parseArgs } from 'node:util';
import type { EnvironmentVariables } from './config/environment-layer';

/** `--data-dir`, else `DESKMATE_DATA_DIR`, else the platform's app-data folder. */
export function resolveDataDir(
  argv: readonly string[],
  env: EnvironmentVariables,
  platformDefault: string,
): string {
  const { values } = parseArgs({
    args: [...argv],
    options: { 'data-dir': { type: 'string' } },
    strict: false,
    allowPositionals: true,
  });
  const fromArgs = values['data-dir'];
  const chosen =
    typeof fromArgs === 'string' && fromArgs ? fromArgs : env.DESKMATE_DATA_DIR || platformDefault;
  return path.resolve(chosen);
}
