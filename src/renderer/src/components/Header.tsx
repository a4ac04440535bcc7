import { useState } from 'react';
import { useWindow, useWindowState } from '../store/window-context';
import { ConfigWarnings } from './ConfigWarnings';
import { ContextPanelButton } from './ContextPanel';
import { ExportMenu } from './ExportMenu';
import { GrantsControl } from './GrantsControl';
import './Header.css';
import { TrustBadge } from './TrustPrompt';
import './ModelPicker.css';

function ModelPicker() {
  const model = useWindowState((s) => s.config?.effective.model ?? '');
  // Keyed by the model: a change from elsewhere (project file, another request) resets the draft.
  return <ModelInput key={model} model={model} />;
}

function ModelInput({ model }: { model: string }) {
  const { actions } = useWindow();
  const models = useWindowState((s) => s.models);
  const [draft, setDraft] = useState(model);
  const commit = () => {
    const next = draft.trim();
    if (next && next !== model) void actions.setModel(next);
    else setDraft(model);
  };
  // Never blocks (a provider may serve models it does not list), but a typo should not go unseen.
  const typed = draft.trim();
  const unlisted =
    models !== null && models.length > 0 && typed !== '' && !models.some((m) => m.id === typed);
  return (
    <label className="model-picker" title="Model for this conversation">
      <span className="label">Model</span>
      <input
        data-testid="model-picker"
        list="deskmate-models"
        value={draft}
        spellCheck={false}
        aria-invalid={unlisted}
        aria-describedby={unlisted ? 'model-unlisted' : undefined}
        onFocus={() => {
          if (models === null) void actions.loadModels();
        }}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') (e.target as HTMLInputElement).blur();
          if (e.key === 'Escape') setDraft(model);
        }}
      />
      {unlisted && (
        <span
          id="model-unlisted"
          className="model-unlisted"
          data-testid="model-unlisted"
          title={`The provider does not list “${typed}”: check the spelling`}
        >
          not listed by the provider
        </span>
      )}
      <datalist id="deskmate-models">
        {(models ?? []).map((m) => (
          <option key={m.id} value={m.id} />
        ))}
      </datalist>
    </label>
  );
}

/** The path field's input: Open Folder and Ctrl+O focus it in a host without a folder dialog. */
export const FOLDER_PATH_INPUT = 'folder-path-input';

function PathField({ onDone }: { onDone(): void }) {
  const { actions } = useWindow();
  const recent = useWindowState((s) => s.recent);
  const [path, setPath] = useState('');
  return (
    <form
      className="path-field"
      onSubmit={(e) => {
        e.preventDefault();
        if (path.trim()) void actions.openPath(path.trim()).then(onDone);
      }}
    >
      <input
        autoFocus
        id={FOLDER_PATH_INPUT}
        list="deskmate-recent"
        aria-label="Folder path"
        placeholder="/absolute/path/to/folder"
        value={path}
        onChange={(e) => setPath(e.target.value)}
        onKeyDown={(e) => e.key === 'Escape' && onDone()}
      />
      <datalist id="deskmate-recent">
        {recent.map((r) => (
          <option key={r} value={r} />
        ))}
      </datalist>
      <button type="submit">Open</button>
    </form>
  );
}

export function Header({
  typingPath,
  setTypingPath,
}: {
  typingPath: boolean;
  setTypingPath(v: boolean): void;
}) {
  const { actions } = useWindow();
  const workspace = useWindowState((s) => s.workspace);
  const recent = useWindowState((s) => s.recent);
  return (
    <header className="header">
      <div className="workspace">
        {typingPath ? (
          <PathField onDone={() => setTypingPath(false)} />
        ) : (
          <>
            <span data-testid="workspace-path" className="path" title={workspace.workspace ?? ''}>
              {/* Laid out right to left so a long path loses its start, not the folder's own name. */}
              <bdi>{workspace.workspace ?? 'No folder open'}</bdi>
            </span>
            {workspace.projectFiles.length > 0 && (
              <span className="project" data-testid="project-files" title={workspace.projectFiles.join('\n')}>
                {workspace.projectFiles.map((f) => f.split(/[\\/]/).pop()).join(' + ')}
              </span>
            )}
            <TrustBadge />
            <GrantsControl />
            <ConfigWarnings />
            <ContextPanelButton />
          </>
        )}
      </div>
      <div className="header-actions">
        <button
          type="button"
          data-testid="workspace-open"
          onClick={() => void actions.openFolder()}
          title="Open Folder (Ctrl/Cmd+O)"
        >
          Open Folder…
        </button>
        <button type="button" onClick={() => setTypingPath(!typingPath)} title="Type a folder path">
          Path…
        </button>
        {recent.length > 0 && (
          <select
            aria-label="Recent folders"
            value=""
            onChange={(e) => {
              if (e.target.value) void actions.openPath(e.target.value);
            }}
          >
            <option value="">Recent…</option>
            {recent.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        )}
        <ModelPicker />
        <ExportMenu />
        <button
          type="button"
          data-testid="settings-open"
          onClick={() => actions.showSettings(true)}
          title="Settings"
        >
          Settings
        </button>
      </div>
    </header>
  );
}
