// What a page may ask of the machine, decided in one place. Plain Node: the Electron handlers in
// security.ts only pass their arguments here.

export interface PermissionAsker {
  /** Whether the asking frame is its window's main frame. */
  readonly isMainFrame: boolean;
  /** The asking frame's URL (or, for a check without one, its origin). */
  readonly url: string | undefined;
}

/**
 * Every web permission is denied (camera, microphone, screen capture, notifications, geolocation,
 * HID, serial, USB, MIDI, clipboard reads, ...), with one exception: writing text to the
 * clipboard, which the code blocks' Copy button needs. Chromium sanitizes what is written and
 * demands a user gesture; it is granted only to our own page's main frame.
 */
export function isPermissionGranted(
  permission: string,
  asker: PermissionAsker,
  isAppUrl: (url: string) => boolean,
): boolean {
  return (
    permission === 'clipboard-sanitized-write' &&
    asker.isMainFrame &&
    // Stryker disable next-line ConditionalExpression: isAppUrl refuses a missing URL too; this check is for the type
    asker.url !== undefined &&
    isAppUrl(asker.url)
  );
}

/** A device (HID, serial, USB) is never granted, and no device picker ever offers one. */
export function isDevicePermissionGranted(_device: { deviceType: string; origin: string }): boolean {
  return false;
}

/**
 * A link the user clicks opens in the system browser only if it is a web link: http(s), without
 * credentials. `file:`, `smb:`, custom handlers and the like could run or reveal local things.
 */
export function isExternalWebLink(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  // An http(s) URL always has a host: WHATWG refuses one without.
  return (
    (parsed.protocol === 'https:' || parsed.protocol === 'http:') && !parsed.username && !parsed.password
  );
}
