import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { LayerSource } from '../../../shared/config';
import type {
  ConfigValueSource,
  ContextCommandView,
  ContextView,
  PromptFile,
} from '../../../shared/context-view';
import { printable } from '../../../shared/printable';
import { createContextPanel, type ContextPanel, type ContextPanelState } from '../store/context-panel-store';
import { useWindow, useWindowState } from '../store/window-context';
import './ContextPanel.css';

/** Said in the header button's title; the key handler below is the one place it is decided. */
export const CONTEXT_PANEL_SHORTCUT = 'Ctrl/Cmd+I';

const PanelContext = createContext<ContextPanel | null>(null);

function usePanel(): ContextPanel {
  const panel = useContext(PanelContext);
  if (!panel) throw new Error('the context panel is used outside its provider');
  return panel;
}

function usePanelState<T>(selector: (state: ContextPanelState) => T): T {
  return useStore(usePanel().store, selector);
}

/** The window's panel: created once, fed while the window lives, toggled by its shortcut. */
export function ContextPanelProvider({ children }: { children: ReactNode }) {
  const { client, store } = useWindow();
  const [panel] = useState(() => createContextPanel(client, store));
  useEffect(() => panel.connect(), [panel]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || !(e.metaKey || e.ctrlKey) || e.shiftKey || e.altKey) return;
      if (e.key.toLowerCase() !== 'i') return;
      e.preventDefault();
      panel.toggle();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [panel]);
  return <PanelContext.Provider value={panel}>{children}</PanelContext.Provider>;
}

/** The header's button that opens (and closes) the panel. */
export function ContextPanelButton() {
  const panel = usePanel();
  const open = usePanelState((s) => s.open);
  return (
    <button
      type="button"
      className="context-open"
      data-testid="context-panel-open"
      aria-haspopup="dialog"
      aria-expanded={open}
      onClick={panel.toggle}
      title={`What the model sees: system prompt, files, context command, config (${CONTEXT_PANEL_SHORTCUT})`}
    >
      Context
    </button>
  );
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

const tokens = (n: number) => `≈ ${n.toLocaleString('en')} tokens`;

function When({ iso }: { iso: string }) {
  const date = new Date(iso);
  return (
    <time dateTime={iso} title={iso}>
      {date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' })}
    </time>
  );
}

const LAYER_LABELS: Readonly<Record<LayerSource, string>> = Object.freeze({
  defaults: 'default',
  environment: 'environment',
  user: 'user',
  project: 'project',
  chat: 'conversation',
});

const LAYER_HINTS: Readonly<Record<LayerSource, string>> = Object.freeze({
  defaults: 'Built into Deskmate',
  environment: 'From the environment Deskmate was started in',
  user: 'Your settings',
  project: "This folder's project file",
  chat: 'Chosen for this conversation',
});

function CopyButton({ text }: { text: string }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(null), 1500);
    return () => clearTimeout(timer);
  }, [copied]);
  return (
    <button
      type="button"
      data-testid="context-prompt-copy"
      title="Copy the system prompt exactly as it is"
      onClick={() => {
        // No clipboard outside a secure context (a tab on another machine's address): said, not silent.
        if (!navigator.clipboard) return setCopied('failed');
        void navigator.clipboard.writeText(text).then(
          () => setCopied('yes'),
          () => setCopied('failed'),
        );
      }}
    >
      {copied === 'yes' ? 'Copied' : copied === 'failed' ? 'Could not copy' : 'Copy'}
    </button>
  );
}

function PromptSection({ prompt }: { prompt: ContextView['prompt'] }) {
  return (
    <section className="context-section" aria-labelledby="context-prompt-title">
      <div className="context-section-head">
        <h3 id="context-prompt-title">System prompt</h3>
        <span className="context-muted">{tokens(prompt.tokens)}</span>
        <CopyButton text={prompt.text} />
      </div>
      <p
        className="context-muted context-prompt-when"
        data-testid="context-prompt-kind"
        data-kind={prompt.kind}
      >
        {prompt.kind === 'sent' && prompt.sentAt ? (
          <>
            As sent with this conversation’s last request, <When iso={prompt.sentAt} />
          </>
        ) : (
          'Nothing sent yet: what the next request would send, as things stand now'
        )}
      </p>
      {/* Shown with its hidden characters written out: a project file must not reorder what is read here. */}
      <pre className="context-prompt" data-testid="context-prompt" tabIndex={0}>
        {printable(prompt.text, { lines: true })}
      </pre>
    </section>
  );
}

function FileRow({ file }: { file: PromptFile }) {
  const path = printable(file.path);
  if ('error' in file)
    return (
      <li className="context-file context-file-missing" data-testid="context-file">
        <code className="context-file-path" title={path}>
          {path}
        </code>
        <span className="context-file-error">not included: {printable(file.error)}</span>
      </li>
    );
  return (
    <li className="context-file" data-testid="context-file">
      <code className="context-file-path" title={path}>
        {path}
      </code>
      <span className="context-file-size" data-testid="context-file-size">
        {formatBytes(file.bytes)}
      </span>
      <span className="context-file-tokens">{tokens(file.tokens)}</span>
      {file.cut && (
        <span
          className="context-badge context-badge-cut"
          title={`Only its first ${file.chars.toLocaleString('en')} characters are in the prompt`}
        >
          cut
        </span>
      )}
    </li>
  );
}

function FilesSection({ files }: { files: PromptFile[] }) {
  return (
    <section className="context-section" aria-labelledby="context-files-title">
      <div className="context-section-head">
        <h3 id="context-files-title">Files</h3>
        <span className="context-muted">{files.length}</span>
      </div>
      {files.length === 0 ? (
        <p className="context-muted">No project file is in the prompt.</p>
      ) : (
        <ul className="context-files">
          {/* A files list may name one file twice: each is a row, as each is in the prompt. */}
          {files.map((file, at) => (
            <FileRow key={`${at}:${file.path}`} file={file} />
          ))}
        </ul>
      )}
    </section>
  );
}

function CommandBody({
  command,
  hasConversation,
}: {
  command: ContextCommandView;
  hasConversation: boolean;
}) {
  const panel = usePanel();
  const running = usePanelState((s) => s.running);
  const runError = usePanelState((s) => s.runError);
  if (command.state === 'none')
    return <p className="context-muted">This folder’s project files set no context_cmd.</p>;
  const text = command.state === 'ran' ? command.run.command : command.command;
  const canRun = command.state === 'ran' || (command.state === 'pending' && hasConversation);
  return (
    <>
      <div className="context-command-line">
        <code data-testid="context-command">{printable(text)}</code>
        {canRun && (
          <button
            type="button"
            data-testid="context-run-again"
            disabled={running}
            onClick={() => void panel.runAgain()}
            title="Run the command now; the conversation's next request sends its new output"
          >
            {running ? 'Running…' : command.state === 'ran' ? 'Run again' : 'Run now'}
          </button>
        )}
      </div>
      {command.state === 'untrusted' && (
        <p className="context-note" data-testid="context-command-untrusted">
          Runs once you trust this folder.
        </p>
      )}
      {command.state === 'pending' && (
        <p className="context-muted">Not run yet: the conversation’s first request runs it.</p>
      )}
      {command.state === 'ran' && (
        <>
          <p className="context-muted" data-testid="context-command-ran-at">
            Ran <When iso={command.run.ranAt} />
            {command.run.exitCode !== null &&
              command.run.exitCode !== 0 &&
              ` · exit code ${command.run.exitCode}`}
            {command.run.timedOut && ' · stopped: it ran out of time'}
            {command.run.cut && ' · output cut'}
          </p>
          <pre className="context-output" data-testid="context-command-output" tabIndex={0}>
            {command.run.output ? printable(command.run.output, { lines: true }) : '(no output)'}
          </pre>
          {command.run.stderr.trim() && (
            <pre className="context-output context-stderr">
              {printable(command.run.stderr, { lines: true })}
            </pre>
          )}
        </>
      )}
      {runError && (
        <p className="context-error" role="alert">
          Could not run it: {runError}
        </p>
      )}
    </>
  );
}

function ConfigSection({ rows }: { rows: ConfigValueSource[] }) {
  return (
    <section className="context-section" aria-labelledby="context-config-title">
      <div className="context-section-head">
        <h3 id="context-config-title">Effective config</h3>
      </div>
      <table className="context-config">
        <thead>
          <tr>
            <th scope="col">Key</th>
            <th scope="col">Value</th>
            <th scope="col">From</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key} data-testid="context-config-row" data-key={row.key} data-layer={row.source}>
              <th scope="row">
                <code>{printable(row.key)}</code>
              </th>
              <td className="context-config-value">{printable(row.value)}</td>
              <td>
                <div className="context-config-source">
                  <span
                    className={`context-badge context-layer-${row.source}`}
                    title={LAYER_HINTS[row.source]}
                  >
                    {LAYER_LABELS[row.source]}
                  </span>
                  {row.path && (
                    <code className="context-config-file" title={printable(row.path)}>
                      {printable(row.path.split(/[\\/]/).pop() ?? row.path)}
                    </code>
                  )}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Body() {
  const view = usePanelState((s) => s.view);
  const error = usePanelState((s) => s.error);
  const hasConversation = useWindowState((s) => s.conversation !== null);
  if (!view)
    return error ? (
      <p className="context-error" role="alert">
        Could not read what the model sees: {error}
      </p>
    ) : (
      <p className="context-muted">Loading…</p>
    );
  return (
    <>
      {error && (
        <p className="context-error" role="alert">
          Could not refresh: {error}
        </p>
      )}
      <PromptSection prompt={view.prompt} />
      <FilesSection files={view.prompt.files} />
      <section className="context-section" aria-labelledby="context-command-title">
        <div className="context-section-head">
          <h3 id="context-command-title">Context command</h3>
        </div>
        <CommandBody command={view.contextCmd} hasConversation={hasConversation} />
      </section>
      <ConfigSection rows={view.config} />
    </>
  );
}

/**
 * "What the model sees": a modal side panel (the focus stays in it while it is open and goes back
 * where it was when it closes). Esc closes it, and only it: the window's Esc would stop the turn.
 */
export function ContextPanelDialog() {
  const panel = usePanel();
  const open = usePanelState((s) => s.open);
  const dialog = useRef<HTMLDialogElement>(null);
  const close = useRef<HTMLButtonElement>(null);
  const returnTo = useRef<HTMLElement | null>(null);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) {
      returnTo.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      // jsdom has no modal dialogs; every browser Deskmate runs in has.
      if (typeof element.showModal === 'function') element.showModal();
      else element.setAttribute('open', '');
      close.current?.focus();
    } else if (!open && element.open) {
      if (typeof element.close === 'function') element.close();
      else element.removeAttribute('open');
      const back = returnTo.current;
      (back?.isConnected ? back : document.querySelector<HTMLElement>('[data-testid=composer]'))?.focus();
    }
  }, [open]);

  return (
    <dialog
      ref={dialog}
      className="context-panel"
      data-testid="context-panel"
      aria-labelledby="context-panel-title"
      onKeyDown={(e) => {
        if (e.key !== 'Escape') return;
        e.preventDefault();
        e.stopPropagation();
        panel.hide();
      }}
      // Closed some other way (the browser's own Esc handling): the store follows.
      onCancel={(e) => {
        e.preventDefault();
        panel.hide();
      }}
      onClick={(e) => {
        // A click on the backdrop (the dialog itself, outside its content) closes it.
        if (e.target === e.currentTarget) panel.hide();
      }}
    >
      {open && (
        <div className="context-panel-content">
          <header className="context-panel-head">
            <h2 id="context-panel-title">What the model sees</h2>
            <button
              ref={close}
              type="button"
              className="context-panel-close"
              data-testid="context-panel-close"
              aria-label="Close"
              title="Close (Esc)"
              onClick={panel.hide}
            >
              ×
            </button>
          </header>
          <div className="context-panel-body">
            <Body />
          </div>
        </div>
      )}
    </dialog>
  );
}
