// Runs Electron's own binary download, which npm's install-script policy would otherwise skip.
// Where the download cannot happen (offline, a CI without Electron's CDN), the install still
// succeeds: the engine, the headless host and the CLI do not need the binary, and the Electron
// end-to-end suite skips with a reason. DESKMATE_SKIP_ELECTRON=1 skips the attempt.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

if (process.env.DESKMATE_SKIP_ELECTRON === '1' || process.env.ELECTRON_SKIP_BINARY_DOWNLOAD === '1') {
  console.log('deskmate: Electron binary download skipped on request.');
  process.exit(0);
}

let installScript;
try {
  installScript = require.resolve('electron/install.js');
} catch {
  process.exit(0); // production install without devDependencies
}

const result = spawnSync(process.execPath, [installScript], {
  stdio: ['ignore', 'inherit', 'pipe'],
  timeout: 180_000,
});
if (result.status === 0) process.exit(0);

const reason = result.error?.message ?? result.stderr?.toString().trim().split('\n')[0] ?? 'unknown error';
console.warn(`deskmate: the Electron binary could not be downloaded (${reason}).`);
console.warn(
  'deskmate: `npm start` needs it; `npm run serve`, `npm run cli` and `npm test` work without it.',
);
process.exit(0);
