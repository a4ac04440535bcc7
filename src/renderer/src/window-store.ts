import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ConfigSnapshot } from '../../shared/config';
import type { WorkspaceInfo } from '../../shared/contract';
import type { RpcClient } from './rpc-client';

export interface WindowState {
  config: ConfigSnapshot | null;
  workspace: WorkspaceInfo;
  error: string | null;
}

export type WindowStore = StoreApi<WindowState>;

/**
 * One store per window, fed only by this window's events (the preload delivers nothing else).
 * Events update it with setState outside React; components read it with selectors.
 */
export function createWindowStore(client: RpcClient): { store: WindowStore; dispose: () => void } {
  const store = createStore<WindowState>(() => ({
    config: null,
    workspace: { workspace: null, projectFiles: [] },
    error: null,
  }));
  const offs = [
    client.on('config.changed', (config) => store.setState({ config })),
    client.on('workspace.changed', (workspace) => store.setState({ workspace })),
  ];
  void client.call('config.get', {}).then(
    (config) =>
      store.setState({
        config,
        workspace: {
          workspace: config.workspace,
          projectFiles: config.layers.flatMap((l) => (l.source === 'project' && l.path ? [l.path] : [])),
        },
      }),
    (error: Error) => store.setState({ error: error.message }),
  );
  return { store, dispose: () => offs.forEach((off) => off()) };
}
