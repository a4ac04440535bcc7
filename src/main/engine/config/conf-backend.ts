import Conf from 'conf';
import { PRIVATE_FILE_MODE } from '../private-data-dir';
import type { SettingsBackend } from './user-settings';

/** Settings for the Node hosts (headless, CLI): the same file format electron-store writes. */
export function openConfBackend(options: { cwd: string; name: string }): SettingsBackend {
  const conf = new Conf<Record<string, unknown>>({
    cwd: options.cwd,
    configName: options.name,
    // Stryker disable next-line StringLiteral: with cwd given, conf uses the project name for nothing
    projectName: 'deskmate',
    // Set on every write, whatever the umask: the settings are the user's alone.
    configFileMode: PRIVATE_FILE_MODE,
  });
  return {
    path: conf.path,
    get: (key) => conf.get(key),
    set: (key, value) => conf.set(key, value),
    delete: (key) => conf.delete(key),
  };
}
