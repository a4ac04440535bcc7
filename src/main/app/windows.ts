import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { eventChannel } from '../../shared/channels';
import type { ContextRegistry } from '../engine/context/context-registry';
import type { SettingsBackend } from '../engine/config/user-settings';
import type { WindowContext, EventSink } from '../engine/context/window-context';
import { appEntryUrl, createAppUrlCheck } from './app-origin';
import { isTrustedSender } from './trusted-sender';
import { restoreBounds, saveBounds } from './window-bounds';

const here = path.dirname(fileURLToPath(import.meta.url));
const PRELOAD = path.join(here, '../preload/index.cjs');

/** One BrowserWindow per context; closing the window disposes the context. */
export class WindowManager {
  readonly #registry: ContextRegistry;
  readonly #devServerUrl: string | undefined;
  readonly #windows = new Map<number, BrowserWindow>();

  readonly #state: SettingsBackend;

  constructor(registry: ContextRegistry, devServerUrl: string | undefined, state: SettingsBackend) {
    this.#registry = registry;
    this.#devServerUrl = devServerUrl;
    this.#state = state;
    this.isAppUrl = createAppUrlCheck(devServerUrl);
  }

  focus(clientId: string): void {
    const window = this.windowOf(clientId);
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  }

  /** Our own page's origin: app://deskmate, or the dev server in `npm run dev` (app-origin.ts). */
  readonly isAppUrl: (url: string) => boolean;

  isTrustedSender = (event: IpcMainInvokeEvent): boolean =>
    isTrustedSender(event, (id) => this.#windows.has(id), this.isAppUrl);

  windowOf(clientId: string): BrowserWindow | null {
    return this.#windows.get(Number(clientId)) ?? null;
  }

  contextOf(window: BrowserWindow | null | undefined): WindowContext | undefined {
    return window ? this.#registry.get(String(window.webContents.id)) : undefined;
  }

  async open(options: { workspace?: string; conversation?: string } = {}): Promise<BrowserWindow> {
    const bounds = restoreBounds(this.#state, options.conversation, this.#windows.size);
    const window = new BrowserWindow({
      ...bounds,
      minWidth: 560,
      minHeight: 420,
      show: false,
      title: 'Deskmate',
      webPreferences: {
        preload: PRELOAD,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
        spellcheck: true,
      },
    });
    const contents = window.webContents;
    const id = contents.id;
    const sink: EventSink = (name, payload) => {
      if (!contents.isDestroyed()) contents.send(eventChannel(name), payload);
    };
    const context = this.#registry.create(String(id), sink);
    this.#windows.set(id, window);
    // 'closed' fires after the webContents is gone: the context's turn, shell and listeners go with it.
    window.on('close', () => saveBounds(this.#state, context.chat.conversationId, window.getNormalBounds()));
    window.on('closed', () => {
      this.#windows.delete(id);
      this.#registry.release(String(id));
    });
    window.once('ready-to-show', () => window.show());
    if (options.workspace) {
      await context.openWorkspace(options.workspace).catch((error: unknown) => {
        console.warn(`deskmate: could not open ${options.workspace}:`, error);
      });
    }
    if (options.conversation) {
      await context.chat.open(options.conversation).catch((error: unknown) => {
        console.warn(`deskmate: could not open conversation ${options.conversation}:`, error);
      });
    }
    await window.loadURL(appEntryUrl(this.#devServerUrl));
    return window;
  }

  get count(): number {
    return this.#windows.size;
  }
}
