import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_FOLDER_NAME, defaultDataDir, parseHostArgs, resolveDataDir } from './data-dir';

describe('data dir', () => {
  it('prefers --data-dir, then DESKMATE_DATA_DIR, then the platform folder', () => {
    const env = { DESKMATE_DATA_DIR: '/from/env' };
    expect(resolveDataDir(parseHostArgs(['--data-dir', '/from/flag']), env, '/platform')).toBe('/from/flag');
    expect(resolveDataDir(parseHostArgs(['--data-dir=/from/flag']), env, '/platform')).toBe('/from/flag');
    expect(resolveDataDir(parseHostArgs([]), env, '/platform')).toBe('/from/env');
    expect(resolveDataDir(parseHostArgs([]), {}, '/platform')).toBe('/platform');
    expect(resolveDataDir(parseHostArgs(['--data-dir', 'rel']), {}, '/platform')).toBe(path.resolve('rel'));
  });

  it('keeps a folder argument apart from the option value and from Chromium flags', () => {
    expect(parseHostArgs(['--data-dir', '/d', '--no-sandbox', '/work/project'])).toEqual({
      dataDir: '/d',
      positionals: ['/work/project'],
    });
  });

  it('falls back when --data-dir or DESKMATE_DATA_DIR is given empty, or the option has no value', () => {
    expect(parseHostArgs(['--data-dir='])).toEqual({ positionals: [] });
    expect(parseHostArgs(['--data-dir'])).toEqual({ positionals: [] });
    expect(resolveDataDir(parseHostArgs(['--data-dir=']), { DESKMATE_DATA_DIR: '/from/env' }, '/p')).toBe(
      '/from/env',
    );
    expect(resolveDataDir(parseHostArgs([]), { DESKMATE_DATA_DIR: '' }, '/platform')).toBe('/platform');
    expect(resolveDataDir(parseHostArgs([]), {}, 'relative/platform')).toBe(
      path.resolve('relative/platform'),
    );
  });
});

describe('the default data folder, the one Electron gives the app as userData', () => {
  it('on Linux is $XDG_CONFIG_HOME/deskmate, else ~/.config/deskmate', () => {
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/xdg/config' }, 'linux', '/home/ann')).toBe(
      '/xdg/config/deskmate',
    );
    expect(defaultDataDir({}, 'linux', '/home/ann')).toBe('/home/ann/.config/deskmate');
    expect(defaultDataDir({ XDG_CONFIG_HOME: '' }, 'linux', '/home/ann')).toBe('/home/ann/.config/deskmate');
    // The XDG spec: a relative value is ignored, or the folder would move with the working directory.
    expect(defaultDataDir({ XDG_CONFIG_HOME: 'rel/config' }, 'linux', '/home/ann')).toBe(
      '/home/ann/.config/deskmate',
    );
    // Any other Unix is treated as Linux is.
    expect(defaultDataDir({}, 'freebsd', '/home/ann')).toBe('/home/ann/.config/deskmate');
  });

  it('on macOS is ~/Library/Application Support/deskmate, whatever XDG_CONFIG_HOME says', () => {
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/xdg/config' }, 'darwin', '/Users/ann')).toBe(
      '/Users/ann/Library/Application Support/deskmate',
    );
  });

  it('on Windows is %APPDATA%\\deskmate, else the roaming folder in the profile', () => {
    expect(defaultDataDir({ APPDATA: 'D:\\Roam', XDG_CONFIG_HOME: '/x' }, 'win32', 'C:\\Users\\ann')).toBe(
      'D:\\Roam\\deskmate',
    );
    expect(defaultDataDir({}, 'win32', 'C:\\Users\\ann')).toBe('C:\\Users\\ann\\AppData\\Roaming\\deskmate');
    expect(defaultDataDir({ APPDATA: 'Roam' }, 'win32', 'C:\\Users\\ann')).toBe(
      'C:\\Users\\ann\\AppData\\Roaming\\deskmate',
    );
  });

  it("defaults to this machine's platform and home", () => {
    expect(defaultDataDir({})).toBe(defaultDataDir({}, process.platform, homedir()));
    expect(defaultDataDir({})).toContain(homedir());
  });

  it("is named as Electron names the app: package.json's productName, else its name", () => {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
      name: string;
      productName?: string;
    };
    expect(APP_FOLDER_NAME).toBe(pkg.productName ?? pkg.name);
  });
});
