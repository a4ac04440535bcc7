import { homedir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { EnvironmentVariables } from './config/environment-layer';

export interface HostArgs {
  dataDir?: string;
  /** Arguments that are not options: a folder to open, for the Electron host. */
  positionals: string[];
}

/**
 * The name of this app's folder under the platform's app-data folder: what Electron calls the app
 * (`app.getName()`: package.json's `productName`, else its `name`). package.json has no
 * `productName`, and electron-builder's `productName` names the installer without writing it into
 * the packaged package.json, so the app is `deskmate` in development and packaged alike.
 * data-dir.test.ts fails if package.json says otherwise.
 */
export const APP_FOLDER_NAME = 'deskmate';

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

/**
 * Electron's `app.getPath('userData')` for this app, computed without Electron so that the app, the
 * CLI and `npm run serve` share one folder by default: the platform's app-data folder (`%APPDATA%`
 * on Windows, `~/Library/Application Support` on macOS, `$XDG_CONFIG_HOME` or else `~/.config`
 * elsewhere) and the app's name. A relative XDG_CONFIG_HOME or APPDATA is ignored, as the XDG
 * spec asks: a data folder that moves with the working directory would split the conversations.
 */
export function defaultDataDir(
  env: EnvironmentVariables,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  if (platform === 'win32') {
    const appData = absoluteOrUndefined(env.APPDATA, path.win32);
    return path.win32.join(appData ?? path.win32.join(home, 'AppData', 'Roaming'), APP_FOLDER_NAME);
  }
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support', APP_FOLDER_NAME);
  const configHome = absoluteOrUndefined(env.XDG_CONFIG_HOME, path.posix);
  return path.posix.join(configHome ?? path.posix.join(home, '.config'), APP_FOLDER_NAME);
}

function absoluteOrUndefined(value: string | undefined, flavour: path.PlatformPath): string | undefined {
  return value && flavour.isAbsolute(value) ? value : undefined;
}

/** `--data-dir`, else `DESKMATE_DATA_DIR`, else the platform's app-data folder. */
export function resolveDataDir(args: HostArgs, env: EnvironmentVariables, platformDefault: string): string {
  return path.resolve(args.dataDir ?? (env.DESKMATE_DATA_DIR || platformDefault));
}
