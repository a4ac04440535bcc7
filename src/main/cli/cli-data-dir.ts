import path from 'node:path';
import type { EnvironmentVariables } from '../engine/config/environment-layer';
import { defaultDataDir, resolveDataDir } from '../engine/data-dir';
import { preparePrivateDataDir } from '../engine/private-data-dir';

/** What finding the data folder needs of the process. */
export interface CliDataDirIo {
  env: EnvironmentVariables;
  cwd: string;
  stderr: { write(text: string): unknown };
}

/**
 * The data folder every CLI command works in: `--data-dir`, else DESKMATE_DATA_DIR, else the app's
 * own folder (Electron's userData), so a conversation made here is in the app's list. Made private
 * before use; throws when it cannot be.
 */
export function prepareCliDataDir(io: CliDataDirIo, flag: string | undefined): string {
  // `npm run` moves to the package folder; INIT_CWD is where the user typed the command.
  const here = io.env.INIT_CWD || io.cwd;
  const dataDir = resolveDataDir(
    flag ? { dataDir: path.resolve(here, flag), positionals: [] } : { positionals: [] },
    io.env,
    defaultDataDir(io.env),
  );
  preparePrivateDataDir(dataDir, (warning) => io.stderr.write(`deskmate: warning: ${warning}\n`));
  return dataDir;
}
