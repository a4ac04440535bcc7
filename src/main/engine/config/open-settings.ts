import { existsSync, renameSync } from 'node:fs';
import path from 'node:path';
import type { ConfigProblem } from '../../../shared/config';
import type { SecretStore } from './secret-store';
import { UserSettings, type SettingsBackend } from './user-settings';

export const SETTINGS_NAME = 'settings';

/**
 * Opens the settings file through the host's store. A file that cannot be parsed is moved aside
 * (never overwritten: the user may want what is in it) and reported; the app starts on a fresh one.
 */
export function openUserSettings(
  dataDir: string,
  open: (options: { cwd: string; name: string }) => SettingsBackend,
  secrets?: SecretStore,
  now: () => Date = () => new Date(),
): UserSettings {
  const options = { cwd: dataDir, name: SETTINGS_NAME };
  try {
    return new UserSettings(open(options), [], secrets);
  } catch (error) {
    const file = path.join(dataDir, `${SETTINGS_NAME}.json`);
    const reason = error instanceof Error ? error.message : String(error);
    const problems: ConfigProblem[] = [];
    if (existsSync(file)) {
      const aside = `${file}.broken-${now().toISOString().replace(/[:.]/g, '-')}`;
      renameSync(file, aside);
      problems.push({
        path: file,
        message: `could not be read (${reason}); kept as ${aside}, starting fresh`,
      });
    } else {
      problems.push({ path: file, message: `could not be opened: ${reason}` });
    }
    return new UserSettings(open(options), problems, secrets);
  }
}
