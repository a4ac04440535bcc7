// `npm run dist`: electron-builder with electron-builder.config.ts, after `electron-vite build`.
// It downloads Electron's release zip (and the tools for each installer format); where that is
// impossible (offline, a CI without GitHub) it ends with one line saying so, not a stack trace.
import { build } from 'electron-builder';

const NETWORK =
  /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|fetch failed|getaddrinfo|socket hang up|status code 40[34]/i;

try {
  await build({ config: 'electron-builder.config.ts', publish: 'never' });
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  const first = message.split('\n').find((line) => line.trim()) ?? 'unknown error';
  if (NETWORK.test(message)) {
    console.error(
      `deskmate: npm run dist needs Electron's release for ${process.platform}-${process.arch} and the installer tools, which could not be downloaded (${first.trim()}); run it where github.com is reachable, or set ELECTRON_MIRROR.`,
    );
  } else {
    console.error(`deskmate: packaging failed: ${first.trim()}`);
  }
  process.exit(1);
}
