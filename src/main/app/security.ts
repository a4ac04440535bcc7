import { app, session, shell, type WebContents } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../../shared/content-security-policy';
import { isDevicePermissionGranted, isExternalWebLink, isPermissionGranted } from './permission-policy';

// `npm run dev` only: Vite's hot reload injects an inline preamble and talks over a WebSocket.
const DEV_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace(
  "script-src 'self'",
  "script-src 'self' 'unsafe-inline'",
).replace("connect-src 'self'", "connect-src 'self' ws://localhost:* ws://127.0.0.1:*");

/**
 * Applies to every web contents the app ever creates, so a forgotten window cannot be weaker.
 * The decisions live in permission-policy.ts and app-origin.ts; this only wires them.
 */
export function hardenWebContents(isAppUrl: (url: string) => boolean, options: { dev: boolean }): void {
  const policy = options.dev ? DEV_CONTENT_SECURITY_POLICY : CONTENT_SECURITY_POLICY;
  const ses = session.defaultSession;
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [policy] },
    });
  });
  ses.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(
      isPermissionGranted(
        permission,
        { isMainFrame: details.isMainFrame, url: details.requestingUrl },
        isAppUrl,
      ),
    );
  });
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) => {
    const url = details.requestingUrl ?? requestingOrigin;
    return isPermissionGranted(permission, { isMainFrame: details.isMainFrame, url }, isAppUrl);
  });
  ses.setDevicePermissionHandler((details) => isDevicePermissionGranted(details));
  // No device picker ever offers a device: every selection is cancelled.
  ses.on('select-hid-device', (event, _details, callback) => {
    event.preventDefault();
    callback();
  });
  ses.on('select-usb-device', (event, _details, callback) => {
    event.preventDefault();
    callback();
  });
  ses.on('select-serial-port', (event, _ports, _contents, callback) => {
    event.preventDefault();
    callback('');
  });
  ses.setBluetoothPairingHandler((_details, callback) => callback({ confirmed: false }));
  ses.setDisplayMediaRequestHandler((_request, callback) => callback(null));

  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-frame-navigate', (event) => {
      if (!isAppUrl(event.url)) event.preventDefault();
    });
    contents.on('will-redirect', (event) => {
      if (!isAppUrl(event.url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.on('select-bluetooth-device', (event, _devices, callback) => {
      event.preventDefault();
      callback('');
    });
    contents.setWindowOpenHandler(({ url }) => {
      // Links the user clicks open in the system browser, and only web links.
      if (isExternalWebLink(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
}
