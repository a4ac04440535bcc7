import { isProviderReady } from '../../../shared/config';
import type { UserSettings } from '../config/user-settings';
import type { SettingsView, WindowState, WorkspaceInfo } from '../../../shared/contract';
import { isNamedError, NamedError } from '../../../shared/errors';
import type { ContextRegistry } from '../context/context-registry';
import { contextViewOf } from '../context/context-view';
import { holderOf, takeConversation, takeFromAway } from '../context/conversation-takeover';
import type { WindowContext } from '../context/window-context';
import { exportConversation } from '../export/export-conversation';
import { defaultGptmeLogsDir } from '../conversation-store/import/gptme-logs-dir';
import { importGptmeConversations } from '../conversation-store/import/import-gptme';
import { Provider } from '../llm/provider';
import { testConnection } from './test-connection';
import type { Handlers } from './router';

/** What only a host can do: native dialogs and windows. */
export interface HostHooks {
  pickWorkspace?(context: WindowContext): Promise<string | null>;
  openWindow?(options: { workspace?: string; conversation?: string }): Promise<boolean>;
  /** Brings the window of another client forward (a conversation already open there). */
  focusClient?(clientId: string): void;
  /** The renderer's file chooser and drops give real paths (Electron's preload); a browser's do not. */
  filePaths?: boolean;
}

function settingsView(settings: UserSettings): SettingsView {
  const layer = settings.layer();
  const { provider, ...rest } = layer.values;
  const values = provider
    ? { ...rest, provider: { ...(provider.baseUrl ? { baseUrl: provider.baseUrl } : {}) } }
    : rest;
  return {
    values,
    hasApiKey: Boolean(provider?.apiKey),
    keyStorage: settings.keyStorage,
    path: layer.path ?? null,
  };
}

export function createEngineHandlers(registry: ContextRegistry, hooks: HostHooks = {}): Handlers {
  const { settings, conversations } = registry.services;
  return {
    'conversation.list': (_context, input) => conversations.list(input),
    'conversation.new': (context, input) => context.chat.create(input.name),
    'conversation.open': async (context, input) => {
      // Asked for, or its holder is a tab that went away: the holder's turn stops and it lets go.
      const holder = holderOf(registry, input.id, context.clientId);
      if (holder && (input.takeOver || holder.away)) {
        // Only when this window can open it: never leave the other one without it for nothing.
        if (context.chat.busy || context.switching)
          throw new NamedError('Busy', 'A turn is running in this window; stop it first');
        await takeConversation(holder, input.id);
      }
      try {
        return await context.chat.open(input.id);
      } catch (error) {
        const owner = isNamedError(error, 'AlreadyOpen')
          ? registry.services.owners.ownerOf(input.id)
          : undefined;
        if (owner !== undefined) hooks.focusClient?.(owner);
        throw error;
      }
    },
    'conversation.rename': (context, input) => {
      // A tab that went away holds nothing a rename could clash with: it writes nothing meanwhile.
      if (holderOf(registry, input.id, context.clientId)?.away)
        return conversations.rename(input.id, input.name);
      registry.services.owners.assertNotElsewhere(
        input.id,
        context.clientId,
        'This conversation is open in another window; rename it there',
      );
      return conversations.rename(input.id, input.name);
    },
    'conversation.delete': async (context, input) => {
      const { owners } = registry.services;
      await takeFromAway(registry, input.id, context.clientId);
      owners.assertNotElsewhere(
        input.id,
        context.clientId,
        'This conversation is open in another window; close it there first',
      );
      if (owners.ownerOf(input.id) === context.clientId) {
        if (context.chat.busy)
          throw new NamedError('Busy', 'Stop the running turn before deleting this conversation');
        context.chat.detach();
      }
      return { deleted: await conversations.delete(input.id) };
    },
    'conversation.fork': (_context, input) => conversations.fork(input.id, input.atMessage),
    'conversation.export': (_context, input) =>
      exportConversation(conversations, input.id, input.format, new Date()),
    // The folder is the engine's machine's: a browser tab imports what the local server can read.
    'conversation.import': (context, input) =>
      importGptmeConversations(conversations, input.path ?? defaultGptmeLogsDir(registry.services.baseEnv), {
        signal: context.signal,
        onProgress: (progress) => context.emit('import.progress', progress),
      }),
    'chat.send': async (context, input) => {
      const { turnId } = await context.chat.send(input.text, input.attachments);
      return { turnId };
    },
    'chat.interrupt': (context) => ({ interrupted: context.chat.interrupt() }),
    'chat.retry': async (context) => {
      const { turnId } = await context.chat.retry();
      return { turnId };
    },
    'chat.delete': (context, input) => context.chat.deleteMessage(input.messageId),
    'tool.respond': (context, input) => {
      context.chat.respond(input.callId, input.response);
      return { accepted: true };
    },
    'grants.revoke': (context, input) => {
      context.chat.revokeGrant(input.tool);
      return { grants: context.chat.grants };
    },
    'artifact.read': (context, input) => context.chat.readArtifact(input.name),
    'context.refresh': async (context) => ({ run: (await context.chat.refreshContext()) ?? null }),
    'context.get': (context) => contextViewOf(context),
    'models.list': async (context) => {
      const provider = new Provider(context.config.effective, { maxRetries: 1 });
      return { models: await provider.listModels(context.signal) };
    },
    'config.get': (context) => context.publicConfig(),
    'config.set': (context, input) => context.setChatConfig(input.values, input.unset),
    'workspace.open': (context, input) => context.openWorkspace(input.path),
    'workspace.pick': async (context): Promise<WorkspaceInfo> => {
      if (!hooks.pickWorkspace)
        throw new NamedError('Unsupported', 'This host cannot show a folder picker; type a path');
      const picked = await hooks.pickWorkspace(context);
      return picked === null ? context.workspaceInfo() : context.openWorkspace(picked);
    },
    'workspace.recent': () => ({ items: settings.recentWorkspaces() }),
    'workspace.trust': (context, input) => context.setTrust(input.trusted, input.fingerprint),
    'trust.list': () => ({
      folders: settings.trustedFolders().map(({ path, grantedAt }) => ({ path, grantedAt })),
    }),
    'trust.revoke': (context, input) => {
      // Revoked from this window's own folder: the same as declining here, so its prompt stays closed.
      if (input.path === context.workspace) {
        const trusted = settings.trustOf(input.path) !== undefined;
        context.setTrust(false);
        return { revoked: trusted };
      }
      return { revoked: settings.setTrust(input.path, undefined) };
    },
    'settings.get': () => settingsView(settings),
    'settings.test': (context, input) => testConnection(context.config.effective, input, context.signal),
    'window.state': async (context) => {
      // A reload is when a user looks again: show what the project files ask for now.
      await context.reloadProjectFiles();
      return windowState(context);
    },
    'settings.set': (_context, input) => {
      // The user layer is shared: every context recomputes through its settings listener.
      settings.update(input.values, input.unset);
      return settingsView(settings);
    },
    'host.capabilities': () => ({
      view: hooks.openWindow ? 'window' : 'tab',
      folderDialog: Boolean(hooks.pickWorkspace),
      openWindow: Boolean(hooks.openWindow),
      focusWindow: Boolean(hooks.focusClient),
      filePaths: hooks.filePaths === true,
    }),
    'window.new': async (_context, input) => {
      if (!hooks.openWindow) throw new NamedError('Unsupported', 'This host cannot open windows');
      return { opened: await hooks.openWindow(input) };
    },
  };
}

async function windowState(context: WindowContext): Promise<WindowState> {
  return {
    ...(await context.chat.snapshot()),
    workspace: context.workspaceInfo(),
    grants: context.chat.grants,
    providerReady: isProviderReady(context.config.effective),
  };
}
