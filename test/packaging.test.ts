import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import config from '../electron-builder.config';

// The packaged app's hardening lives in electron-builder.config.ts; removing a fuse or a target
// there must fail here, not pass silently into a release.

describe('packaging (electron-builder.config.ts)', () => {
  it('sets every Electron fuse the hardening relies on', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('packs the app into an asar archive, which onlyLoadAppFromAsar requires', () => {
    expect(config.asar).toBe(true);
    expect(config.files).toContain('out/**/*');
  });

  it('builds AppImage and deb on Linux, dmg on macOS, nsis on Windows', () => {
    expect(config.linux?.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(config.mac?.target).toEqual(expect.arrayContaining(['dmg']));
    expect(config.win?.target).toEqual(expect.arrayContaining(['nsis']));
  });

  it('npm run dist builds with this file', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts.dist).toContain('scripts/dist.mjs');
    expect(readFileSync(new URL('../scripts/dist.mjs', import.meta.url), 'utf8')).toContain(
      "config: 'electron-builder.config.ts'",
    );
  });
});
