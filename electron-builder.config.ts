import type { Configuration } from 'electron-builder';

/**
 * `npm run dist` (scripts/dist.mjs): installers for the platform it runs on. The app is the
 * electron-vite output in an asar archive, with Electron's fuses set so the packaged binary
 * cannot be turned into something else: no plain Node (ELECTRON_RUN_AS_NODE), no NODE_OPTIONS,
 * no --inspect, app code only from the asar archive and, where Electron checks it (macOS,
 * Windows), only an archive whose hash matches the one recorded at build time. file:// gets no
 * extra privileges: the renderer is served from app:// (src/main/app/app-protocol.ts).
 * test/packaging.test.ts fails if a fuse or a target goes.
 */
const config: Configuration = {
  appId: 'dev.deskmate.app',
  productName: 'Deskmate',
  directories: { output: 'dist', buildResources: 'build' },
  files: ['out/**/*', '!out/**/*.map'],
  asar: true,
  npmRebuild: false, // no native modules
  electronFuses: {
    runAsNode: false,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    enableCookieEncryption: true,
    grantFileProtocolExtraPrivileges: false,
  },
  linux: { target: ['AppImage', 'deb'], category: 'Development', maintainer: 'Deskmate' },
  mac: { target: ['dmg'], category: 'public.app-category.developer-tools', hardenedRuntime: true },
  win: { target: ['nsis'] },
  nsis: { oneClick: false, perMachine: false },
  publish: null,
};

export default config;
