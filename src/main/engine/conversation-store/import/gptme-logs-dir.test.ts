import { homedir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { defaultGptmeLogsDir } from './gptme-logs-dir';

const none = () => false;
const all = () => true;

describe("gptme's log folder, as gptme finds it", () => {
  it('is GPTME_LOGS_HOME when set, on every platform', () => {
    expect(
      defaultGptmeLogsDir({ GPTME_LOGS_HOME: '/logs/', XDG_DATA_HOME: '/x' }, 'linux', '/home/ann', none),
    ).toBe('/logs/');
    expect(defaultGptmeLogsDir({ GPTME_LOGS_HOME: 'D:\\logs' }, 'win32', 'C:\\Users\\ann', none)).toBe(
      'D:\\logs',
    );
    expect(defaultGptmeLogsDir({ GPTME_LOGS_HOME: '/l' }, 'darwin', '/Users/ann', all)).toBe('/l');
  });

  it('on Linux is $XDG_DATA_HOME/gptme/logs, else ~/.local/share/gptme/logs', () => {
    expect(defaultGptmeLogsDir({ XDG_DATA_HOME: '/xdg/data' }, 'linux', '/home/ann', none)).toBe(
      '/xdg/data/gptme/logs',
    );
    expect(defaultGptmeLogsDir({}, 'linux', '/home/ann', none)).toBe('/home/ann/.local/share/gptme/logs');
    expect(defaultGptmeLogsDir({}, 'freebsd', '/home/ann', none)).toBe('/home/ann/.local/share/gptme/logs');
  });

  it('ignores an empty or relative variable rather than reading it against the working folder', () => {
    for (const env of [{ XDG_DATA_HOME: '' }, { XDG_DATA_HOME: 'rel' }, { GPTME_LOGS_HOME: 'rel/logs' }])
      expect(defaultGptmeLogsDir(env, 'linux', '/home/ann', none)).toBe('/home/ann/.local/share/gptme/logs');
  });

  it("on macOS is XDG_DATA_HOME's when set (gptme checks it first), else Application Support", () => {
    expect(defaultGptmeLogsDir({ XDG_DATA_HOME: '/xdg' }, 'darwin', '/Users/ann', none)).toBe(
      '/xdg/gptme/logs',
    );
    expect(defaultGptmeLogsDir({}, 'darwin', '/Users/ann', none)).toBe(
      '/Users/ann/Library/Application Support/gptme/logs',
    );
  });

  it('on Windows is %LOCALAPPDATA%\\gptme\\gptme\\logs, else the local folder in the profile', () => {
    expect(defaultGptmeLogsDir({ LOCALAPPDATA: 'D:\\Local' }, 'win32', 'C:\\Users\\ann', none)).toBe(
      'D:\\Local\\gptme\\gptme\\logs',
    );
    expect(defaultGptmeLogsDir({ LOCALAPPDATA: 'rel' }, 'win32', 'C:\\Users\\ann', none)).toBe(
      'C:\\Users\\ann\\AppData\\Local\\gptme\\gptme\\logs',
    );
  });

  it('on macOS and Windows is ~/.local/share/gptme/logs when that old folder exists, as gptme does', () => {
    const asked: string[] = [];
    const exists = (folder: string) => {
      asked.push(folder);
      return true;
    };
    expect(defaultGptmeLogsDir({}, 'darwin', '/Users/ann', exists)).toBe(
      '/Users/ann/.local/share/gptme/logs',
    );
    expect(asked).toEqual(['/Users/ann/.local/share/gptme']);
    expect(defaultGptmeLogsDir({ LOCALAPPDATA: 'D:\\L' }, 'win32', 'C:\\Users\\ann', all)).toBe(
      'C:\\Users\\ann\\.local\\share\\gptme\\logs',
    );
  });

  it("defaults to this machine's platform and home", () => {
    expect(defaultGptmeLogsDir({ XDG_DATA_HOME: '' })).toContain(homedir());
  });
});
