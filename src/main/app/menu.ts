import { BrowserWindow, Menu, dialog, type MenuItemConstructorOptions } from 'electron';
import type { WindowManager } from './windows';

export async function pickFolder(window: BrowserWindow | null): Promise<string | null> {
  const options = {
    title: 'Open Folder',
    properties: ['openDirectory' as const, 'createDirectory' as const],
  };
  const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
}

export function buildMenu(windows: WindowManager, isMac: boolean): Menu {
  const openFolder = async () => {
    const window = BrowserWindow.getFocusedWindow();
    const context = windows.contextOf(window);
    const folder = await pickFolder(window);
    if (!folder) return;
    if (context) await context.openWorkspace(folder).catch((error: unknown) => console.warn(error));
    else await windows.open({ workspace: folder });
  };
  // The window shows the dialog, its progress and its summary; the menu only asks for it.
  const importFromGptme = () =>
    windows.contextOf(BrowserWindow.getFocusedWindow())?.emit('window.command', { command: 'import-gptme' });
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'New Window', accelerator: 'CmdOrCtrl+N', click: () => void windows.open() },
        { label: 'Open Folder…', accelerator: 'CmdOrCtrl+O', click: () => void openFolder() },
        { label: 'Import from gptme…', click: importFromGptme },
        { type: 'separator' },
        { label: 'Close Window', accelerator: 'CmdOrCtrl+W', role: 'close' },
        ...(isMac ? [] : [{ type: 'separator' as const }, { role: 'quit' as const }]),
      ],
    },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
  ];
  return Menu.buildFromTemplate(template);
}
