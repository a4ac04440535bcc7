import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { RpcClient } from './rpc-client';
import { createWindowStore, type WindowStore } from './window-store';

function WorkspaceHeader({ store, client }: { store: WindowStore; client: RpcClient }) {
  const workspace = useStore(store, (s) => s.workspace);
  const pick = () =>
    client.call('workspace.pick', {}).catch((error: Error) => store.setState({ error: error.message }));
  return (
    <header className="header">
      <div className="brand">Deskmate</div>
      <div className="workspace">
        <span className="label">Workspace</span>
        <span data-testid="workspace-path" className="path" title={workspace.workspace ?? ''}>
          {workspace.workspace ?? 'No folder open'}
        </span>
        {workspace.projectFiles.length > 0 && (
          <span className="project" title={workspace.projectFiles.join('\n')}>
            {workspace.projectFiles.map((f) => f.split(/[\\/]/).pop()).join(', ')}
          </span>
        )}
      </div>
      <button data-testid="workspace-open" onClick={() => void pick()}>
        Open Folder…
      </button>
    </header>
  );
}

function ConfigPanel({ store }: { store: WindowStore }) {
  const config = useStore(store, (s) => s.config);
  if (!config) return <p className="muted">Loading configuration…</p>;
  return (
    <section className="config">
      <h2>Effective configuration</h2>
      <dl>
        <dt>Model</dt>
        <dd>{config.effective.model}</dd>
        <dt>Provider</dt>
        <dd>{config.effective.provider.baseUrl}</dd>
        <dt>Tools</dt>
        <dd>{config.effective.tools.join(', ')}</dd>
      </dl>
      {config.warnings.length > 0 && (
        <ul className="warnings">
          {config.warnings.map((w, i) => (
            <li key={i}>
              {w.path ? <code>{w.path}</code> : null} {w.message}
            </li>
          ))}
        </ul>
      )}
      <h3>Layers, lowest first</h3>
      <ol className="layers">
        {config.layers.map((layer, i) => (
          <li key={i}>
            <strong>{layer.source}</strong> {layer.path ? <code>{layer.path}</code> : null}{' '}
            <span className="muted">{Object.keys(layer.values).join(', ') || 'nothing set'}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}

export function App({ client }: { client: RpcClient }) {
  const [{ store, dispose }] = useState(() => createWindowStore(client));
  useEffect(() => dispose, [dispose]);
  const error = useStore(store, (s) => s.error);
  return (
    <div className="app">
      <WorkspaceHeader store={store} client={client} />
      {error && (
        <div data-testid="error-banner" role="alert" className="error-banner">
          {error}
          <button onClick={() => store.setState({ error: null })}>Dismiss</button>
        </div>
      )}
      <main className="main">
        <ConfigPanel store={store} />
      </main>
    </div>
  );
}
