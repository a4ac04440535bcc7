import { describe, expect, it } from 'vitest';
import { createAppUrlCheck } from './app-origin';
import { isDevicePermissionGranted, isExternalWebLink, isPermissionGranted } from './permission-policy';

const isAppUrl = createAppUrlCheck();
const ourPage = { isMainFrame: true, url: 'app://deskmate/index.html' };

// Electron 45's permission names (Session.setPermissionCheckHandler), plus one it may add later.
const PERMISSIONS = [
  'ar',
  'automatic-fullscreen',
  'background-fetch',
  'background-sync',
  'captured-surface-control',
  'clipboard-read',
  'deprecated-sync-clipboard-read',
  'display-capture',
  'fileSystem',
  'fullscreen',
  'geolocation',
  'geolocation-approximate',
  'hand-tracking',
  'hid',
  'idle-detection',
  'keyboardLock',
  'local-fonts',
  'local-network',
  'local-network-access',
  'loopback-network',
  'media',
  'mediaKeySystem',
  'midi',
  'midiSysex',
  'nfc',
  'notifications',
  'openExternal',
  'payment-handler',
  'periodic-background-sync',
  'persistent-storage',
  'pointerLock',
  'screen-wake-lock',
  'sensors',
  'serial',
  'smart-card',
  'speaker-selection',
  'storage-access',
  'system-wake-lock',
  'top-level-storage-access',
  'usb',
  'vr',
  'web-app-installation',
  'web-printing',
  'window-management',
  'unknown',
  'some-future-permission',
];

describe('isPermissionGranted', () => {
  it.each(PERMISSIONS)('%s is denied, even to our own page', (permission) => {
    expect(isPermissionGranted(permission, ourPage, isAppUrl)).toBe(false);
  });

  it('writing to the clipboard is granted to our page, for the Copy button', () => {
    expect(isPermissionGranted('clipboard-sanitized-write', ourPage, isAppUrl)).toBe(true);
    expect(
      isPermissionGranted(
        'clipboard-sanitized-write',
        { isMainFrame: true, url: 'app://deskmate' },
        isAppUrl,
      ),
    ).toBe(true);
  });

  it('but not to a subframe, a look-alike origin, or a caller without a URL', () => {
    const write = 'clipboard-sanitized-write';
    expect(isPermissionGranted(write, { ...ourPage, isMainFrame: false }, isAppUrl)).toBe(false);
    expect(isPermissionGranted(write, { isMainFrame: true, url: 'app://deskmate.evil/' }, isAppUrl)).toBe(
      false,
    );
    expect(isPermissionGranted(write, { isMainFrame: true, url: 'https://example.com/' }, isAppUrl)).toBe(
      false,
    );
    expect(isPermissionGranted(write, { isMainFrame: true, url: undefined }, isAppUrl)).toBe(false);
  });
});

describe('isDevicePermissionGranted', () => {
  it.each(['hid', 'serial', 'usb'])('a %s device is never granted, even to our page', (deviceType) => {
    expect(isDevicePermissionGranted({ deviceType, origin: 'app://deskmate' })).toBe(false);
  });
});

describe('isExternalWebLink', () => {
  it.each(['https://www.typescriptlang.org/docs/', 'http://example.com/a?b#c', 'HTTPS://EXAMPLE.COM'])(
    '%s opens in the system browser',
    (url) => {
      expect(isExternalWebLink(url)).toBe(true);
    },
  );

  it.each([
    'file:///etc/passwd',
    'smb://server/share',
    'javascript:alert(1)',
    'vscode://extension/install',
    'mailto:someone@example.com',
    'app://deskmate/index.html',
    'https://user:pw@example.com/',
    'https://user@example.com/',
    'https://:pw@example.com/',
    'https://',
    'not a url',
    '',
  ])('%s does not', (url) => {
    expect(isExternalWebLink(url)).toBe(false);
  });
});
