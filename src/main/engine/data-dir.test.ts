import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseHostArgs, resolveDataDir } from './data-dir';

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
