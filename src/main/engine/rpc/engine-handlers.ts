import type { ConfigLayer } from '../../../shared/config';
import type { SettingsView, WorkspaceInfo } from '../../../shared/contract';
import { NamedError } from '../../../shared/errors';
import type { ContextRegistry } from '../context/context-registry';
import type { ConversationContext } from '../context/conversation-context';
import type { Handlers } from './router';

/** What only a host can do: native dialogs and windows. */
export interface HostHooks {
  pickWorkspace?(context: ConversationContext): Promise<string | null>;
  openWindow?(options: { workspace?: string; conversation?: string }): Promise<boolean>;
}

const notImplemented = (what: string) => () => {
  throw new NamedError('NotImplemented', `${what} is not available yet`);
};

function settingsView(layer: ConfigLayer): SettingsView {
  const { provider, ...rest } = layer.values;
  const values = provider
    ? { ...rest, provider: { ...(provider.baseUrl ? { baseUrl: provider.baseUrl } : {}) } }
    : rest;
  return { values, hasApiKey: Boolean(provider?.apiKey), path: layer.path ?? null };
}

export function createEngineHandlers(registry: ContextRegistry, hooks: HostHooks = {}): Handlers {
  const { settings } = registry.services;
  return {
    'conversation.list': notImplemented('Conversations'),
    'conversation.new': notImplemented('Conversations'),
    'conversation.open': notImplemented('Conversations'),
    'conversation.rename': notImplemented('Conversations'),
    'conversation.delete': notImplemented('Conversations'),
    'conversation.fork': notImplemented('Conversations'),
    'chat.send': notImplemented('Chat'),
    'chat.interrupt': notImplemented('Chat'),
    'tool.respond': notImplemented('Tools'),
    'models.list': notImplemented('The model list'),
    'config.get': (context) => context.publicConfig(),
    'config.set': (context, input) => {
      if (input.scope === 'chat') return context.setChatConfig(input.values, input.unset);
      // The user layer is shared: every context recomputes through its settings listener.
      settings.update(input.values, input.unset);
      return context.publicConfig();
    },
    'workspace.open': (context, input) => context.openWorkspace(input.path),
    'workspace.pick': async (context): Promise<WorkspaceInfo> => {
      if (!hooks.pickWorkspace)
        throw new NamedError('Unsupported', 'This host cannot show a folder picker; type a path');
      const picked = await hooks.pickWorkspace(context);
      return picked === null ? context.workspaceInfo() : context.openWorkspace(picked);
    },
    'settings.get': () => settingsView(settings.layer()),
    'settings.set': (_context, input) => settingsView(settings.update(input.values, input.unset)),
    'window.new': async (_context, input) => {
      if (!hooks.openWindow) throw new NamedError('Unsupported', 'This host cannot open windows');
      return { opened: await hooks.openWindow(input) };
    },
  };
}
