import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import type { EnvironmentVariables } from '../../config/environment-layer';

/**
 * Where gptme keeps its conversation folders, as gptme itself decides (gptme/dirs.py and
 * platformdirs' `user_data_dir`): `GPTME_LOGS_HOME`; else `$XDG_DATA_HOME/gptme/logs` on every
 * platform; else `~/.local/share/gptme/logs` when `~/.local/share/gptme` exists (gptme's own
 * fallback, on every platform too); else the platform's data folder: `~/.local/share` on Linux
 * and the other Unixes, `~/Library/Application Support` on macOS, `%LOCALAPPDATA%\gptme` on
 * Windows (platformdirs puts the app under a folder named for its author, gptme again).
 * Unlike gptme, an empty or relative variable is ignored, as the XDG spec asks, rather than read
 * against the working folder. `exists` is asked about the one legacy folder only.
 */
export function defaultGptmeLogsDir(
  env: EnvironmentVariables,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
  exists: (folder: string) => boolean = existsSync,
): string {
  const flavour = platform === 'win32' ? path.win32 : path.posix;
  const absolute = (value: string | undefined) => (value && flavour.isAbsolute(value) ? value : undefined);
  const logsHome = absolute(env.GPTME_LOGS_HOME);
  if (logsHome) return flavour.normalize(logsHome);
  const dataHome = absolute(env.XDG_DATA_HOME);
  if (dataHome) return flavour.join(dataHome, 'gptme', 'logs');
  const legacy = flavour.join(home, '.local', 'share', 'gptme');
  if (platform !== 'win32' && platform !== 'darwin') return flavour.join(legacy, 'logs');
  if (exists(legacy)) return flavour.join(legacy, 'logs');
  if (platform === 'darwin') return flavour.join(home, 'Library', 'Application Support', 'gptme', 'logs');
  const local = absolute(env.LOCALAPPDATA) ?? flavour.join(home, 'AppData', 'Local');
  return flavour.join(local, 'gptme', 'gptme', 'logs');
}
