import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../../test/support/temp-dir';
import { openConfBackend } from './conf-backend';
import { openUserSettings, SETTINGS_NAME } from './open-settings';
import type { SettingsBackend } from './user-settings';

const NOW = () => new Date('2026-03-04T05:06:07.089Z');
const ASIDE = 'settings.json.broken-2026-03-04T05-06-07-089Z';

describe('opening the user settings', () => {
  it('opens <data dir>/settings.json with nothing to report', async () => {
    const dir = await tempDir();
    expect(SETTINGS_NAME).toBe('settings');
    const settings = openUserSettings(dir, openConfBackend);
    settings.update({ model: 'm' });
    expect(settings.path).toBe(path.join(dir, 'settings.json'));
    expect(settings.layer().problems).toEqual([]);
    expect(JSON.parse(readFileSync(path.join(dir, 'settings.json'), 'utf8'))).toEqual({
      config: { model: 'm' },
    });
  });

  it('moves a file it cannot parse aside under the time it was found, says where, and starts fresh', async () => {
    const dir = await tempDir();
    const broken = '{ "config": { "model": "keep me" ';
    writeFileSync(path.join(dir, 'settings.json'), broken);
    const settings = openUserSettings(dir, openConfBackend, undefined, NOW);
    expect(settings.layer().values).toEqual({});
    expect(readFileSync(path.join(dir, ASIDE), 'utf8')).toBe(broken);
    expect(settings.layer().problems).toEqual([
      {
        path: path.join(dir, 'settings.json'),
        message: expect.stringMatching(
          new RegExp(`^could not be read \\(.*JSON.*\\); kept as ${path.join(dir, ASIDE)}, starting fresh$`),
        ),
      },
    ]);
    settings.update({ model: 'new' });
    expect(readdirSync(dir).sort()).toEqual(['settings.json', ASIDE]);
  });

  it('moves aside a folder in the place of the settings file as well', async () => {
    const dir = await tempDir();
    mkdirSync(path.join(dir, 'settings.json'));
    writeFileSync(path.join(dir, 'settings.json', 'inside.txt'), 'kept');
    const settings = openUserSettings(dir, openConfBackend, undefined, NOW);
    expect(readFileSync(path.join(dir, ASIDE, 'inside.txt'), 'utf8')).toBe('kept');
    expect(settings.layer().problems[0]?.message).toMatch(
      /^could not be read .*; kept as .*, starting fresh$/,
    );
  });

  it('says why when the store cannot be opened though there is no file, and opens it again', async () => {
    const dir = await tempDir();
    let attempts = 0;
    // The host's store failed once before any file existed (Electron's store can).
    const flaky = (options: { cwd: string; name: string }): SettingsBackend => {
      if (attempts++ === 0) throw new Error('the store was busy');
      return openConfBackend(options);
    };
    const settings = openUserSettings(dir, flaky);
    expect(attempts).toBe(2);
    expect(settings.layer().problems).toEqual([
      { path: path.join(dir, 'settings.json'), message: 'could not be opened: the store was busy' },
    ]);
    expect(existsSync(path.join(dir, ASIDE))).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('says why with something thrown that is not an Error', async () => {
    const dir = await tempDir();
    let attempts = 0;
    const flaky = (options: { cwd: string; name: string }): SettingsBackend => {
      if (attempts++ === 0) throw 'plain text';
      return openConfBackend(options);
    };
    expect(openUserSettings(dir, flaky).layer().problems[0]?.message).toBe('could not be opened: plain text');
  });
});
