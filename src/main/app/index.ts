// Electron main: thin glue between windows and the engine. Everything with behaviour worth testing
// lives in src/main/engine and runs in plain Node.
import path from 'node:path';
import { Menu, app, dialog } from 'electron';
import { createEngine } from '../engine/create-engine';
import { defaultDataDir, parseHostArgs, resolveDataDir } from '../engine/data-dir';
import { preparePrivateDataDir } from '../engine/private-data-dir';
import { registerAppScheme, serveAppScheme } from './app-protocol';
import { openElectronStoreBackend } from './electron-settings';
import { openSecretStore } from './safe-storage-secrets';
import { bindIpc } from './ipc-bridge';
import { buildMenu, pickFolder } from './menu';
import { hardenWebContents } from './security';
import { WindowManager } from './windows';

// Unpackaged, argv is [electron, app path, ...args]; packaged, [app, ...args].
const args = parseHostArgs(process.argv.slice(app.isPackaged ? 1 : 2));
// The default is Electron's own userData for this app, computed as the CLI and serve compute it and
// set as userData: the three hosts share one folder by construction, not because two formulas agree.
const dataDir = resolveDataDir(
  args,
  process.env,
  defaultDataDir(process.env, process.platform, app.getPath('home')),
);
app.setPath('userData', dataDir);
const dataDirReady = prepareDataDirOrQuit(dataDir);
registerAppScheme(); // before ready, or app:// is not a standard, secure origin

async function start(): Promise<void> {
  serveAppScheme();
  const engine = createEngine({
    dataDir,
    env: process.env,
    openSettings: openElectronStoreBackend,
    // The keys live in their own store, in the OS keyring when there is a real one.
    secrets: openSecretStore(dataDir),
    hooks: {
      pickWorkspace: (context) => pickFolder(windows.windowOf(context.clientId)),
      openWindow: async (options) => {
        // A conversation already open elsewhere is brought forward, not opened twice.
        const owner = options.conversation ? engine.services.owners.ownerOf(options.conversation) : undefined;
        if (owner !== undefined) {
          windows.focus(owner);
          return false;
        }
        return Boolean(await windows.open(options));
      },
      focusClient: (clientId) => windows.focus(clientId),
      // The preload's webUtils.getPathForFile gives chosen and dropped files their paths.
      filePaths: true,
    },
    warn: (message) => console.warn(`deskmate: ${message}`),
  });
  const windows = new WindowManager(
    engine.registry,
    app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL,
    openElectronStoreBackend({ cwd: dataDir, name: 'windows' }),
  );

  hardenWebContents(windows.isAppUrl, { dev: !app.isPackaged && Boolean(process.env.ELECTRON_RENDERER_URL) });
  const ipc = bindIpc(engine.router, windows.isTrustedSender);
  Menu.setApplicationMenu(buildMenu(windows, process.platform === 'darwin'));

  app.on('activate', () => {
    if (windows.count === 0) void windows.open();
  });
  app.on('will-quit', () => {
    ipc.dispose();
    engine.dispose();
  });
  const folder = args.positionals.at(-1);
  const workspace = folder ? path.resolve(folder) : undefined;
  await windows.open(workspace ? { workspace } : {});
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

/**
 * Prepares the data folder, or says why it cannot be used and quits with 1 before anything reads
 * it: in a folder someone else can write, settings.json may send the key to their server.
 */
function prepareDataDirOrQuit(dir: string): boolean {
  try {
    preparePrivateDataDir(dir, (message) => console.warn(`deskmate: warning: ${message}`));
    return true;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`deskmate: ${message}`);
    // Before ready, Linux would print the box on stderr a second time rather than show it.
    if (process.platform !== 'linux') dialog.showErrorBox('Deskmate cannot start', message);
    app.exit(1);
    return false;
  }
}

if (dataDirReady) {
  app.whenReady().then(start, (error: unknown) => {
    console.error('deskmate: failed to start', error);
    app.exit(1);
  });
}
