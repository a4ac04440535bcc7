import { useEffect, useRef, useState } from 'react';
import type { ImportProgress, ImportSummary } from '../../../shared/import-summary';
import { useWindow, useWindowState } from '../store/window-context';
import './ImportDialog.css';

type Phase =
  | { step: 'ask' }
  | { step: 'importing'; progress: ImportProgress | null }
  | { step: 'done'; summary: ImportSummary }
  | { step: 'failed'; message: string };

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function Summary({ summary }: { summary: ImportSummary }) {
  const noted = summary.imported.filter((item) => item.notes.length > 0);
  return (
    <>
      <dl className="import-counts" data-testid="import-summary">
        <div>
          <dt>Imported</dt>
          <dd data-testid="import-imported">{summary.imported.length}</dd>
        </div>
        <div>
          <dt>Already here</dt>
          <dd data-testid="import-present">{summary.alreadyPresent.length}</dd>
        </div>
        <div className={summary.unreadable.length ? 'bad' : undefined}>
          <dt>Unreadable</dt>
          <dd data-testid="import-unreadable">{summary.unreadable.length}</dd>
        </div>
      </dl>
      {(noted.length > 0 || summary.unreadable.length > 0) && (
        <ul className="import-details" aria-label="Details">
          {summary.unreadable.map((item) => (
            <li key={`u-${item.folder}`} className="bad">
              <span className="folder">{item.folder}</span>
              <span className="note">{item.reason}</span>
            </li>
          ))}
          {noted.map((item) => (
            <li key={`n-${item.folder}`}>
              <span className="folder">{item.folder}</span>
              {item.notes.map((note) => (
                <span key={note} className="note">
                  {note}
                </span>
              ))}
            </li>
          ))}
        </ul>
      )}
      <p className="import-source">From {summary.source}</p>
    </>
  );
}

/**
 * "Import from gptme…": the button at the foot of the sidebar, and the dialog it opens (the
 * Electron menu's item opens it too, through `window.command`). The import copies gptme's log
 * folder on the machine the engine runs on; the list refreshes through conversations.changed.
 */
export function ImportFromGptme({ showButton }: { showButton: boolean }) {
  const { client } = useWindow();
  const view = useWindowState((s) => s.host?.view ?? 'tab');
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLElement | null>(null);
  const [open, setOpen] = useState(false);
  const [phase, setPhase] = useState<Phase>({ step: 'ask' });

  const show = () => {
    opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setPhase({ step: 'ask' });
    setOpen(true);
  };
  useEffect(
    () => client.on('window.command', ({ command }) => command === 'import-gptme' && show()),
    [client],
  );
  useEffect(
    () =>
      client.on('import.progress', (progress) =>
        setPhase((p) => (p.step === 'importing' ? { ...p, progress } : p)),
      ),
    [client],
  );
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);
  // Each step's own button has the focus: Import to start, then Hide, then Close.
  useEffect(() => {
    if (open) dialog.current?.querySelector<HTMLElement>('[data-autofocus]')?.focus();
  }, [open, phase.step]);

  const close = () => {
    setOpen(false);
    // Back where the user was: the sidebar's button, or the conversation.
    requestAnimationFrame(() => opener.current?.focus());
  };
  const start = async () => {
    setPhase({ step: 'importing', progress: null });
    try {
      setPhase({ step: 'done', summary: await client.call('conversation.import', {}) });
    } catch (error) {
      setPhase({ step: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
  };

  return (
    <>
      {showButton && (
        <button type="button" className="import-gptme" data-testid="import-gptme" onClick={show}>
          Import from gptme…
        </button>
      )}
      <dialog
        ref={dialog}
        className="import-dialog"
        data-testid="import-dialog"
        aria-labelledby="import-dialog-title"
        // Esc closes it (the import, if running, finishes on its own) and nothing else: not the
        // running turn, not the sidebar, which the window's own Esc would.
        onKeyDown={(e) => {
          if (e.key !== 'Escape') return;
          e.preventDefault();
          e.stopPropagation();
          close();
        }}
        onCancel={(e) => {
          e.preventDefault();
          close();
        }}
        onClose={() => setOpen(false)}
      >
        {open && (
          <div className="import-body">
            <h2 id="import-dialog-title">Import from gptme</h2>
            {phase.step === 'ask' && (
              <p>
                Copies the conversations in gptme’s log folder
                {view === 'tab' ? ' on the machine Deskmate runs on' : ''} into Deskmate. gptme’s own files
                stay as they are, and a conversation imported before is not copied again.
              </p>
            )}
            {phase.step === 'importing' && (
              <p role="status" className="import-status">
                <span className="import-spinner" aria-hidden="true" />
                {phase.progress
                  ? `Importing… ${phase.progress.done} of ${plural(phase.progress.total, 'conversation')}`
                  : 'Importing…'}
              </p>
            )}
            {phase.step === 'done' && <Summary summary={phase.summary} />}
            {phase.step === 'failed' && (
              <p role="alert" className="import-error" data-testid="import-error">
                {phase.message}
              </p>
            )}
            <div className="import-actions">
              {phase.step === 'ask' ? (
                <>
                  <button type="button" onClick={close}>
                    Cancel
                  </button>
                  <button
                    type="button"
                    className="primary"
                    data-testid="import-start"
                    data-autofocus
                    onClick={() => void start()}
                  >
                    Import
                  </button>
                </>
              ) : (
                <button
                  type="button"
                  className={phase.step === 'importing' ? undefined : 'primary'}
                  data-testid="import-close"
                  data-autofocus
                  onClick={close}
                >
                  {phase.step === 'importing' ? 'Hide' : 'Close'}
                </button>
              )}
            </div>
          </div>
        )}
      </dialog>
    </>
  );
}
