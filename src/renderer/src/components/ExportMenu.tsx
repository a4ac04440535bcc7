import { useState } from 'react';
import {
  EXPORT_FORMATS,
  EXPORT_LABELS,
  EXPORT_MEDIA_TYPES,
  type ExportFormat,
} from '../../../shared/export-format';
import { useWindow, useWindowState } from '../store/window-context';
import './ExportMenu.css';
import { saveTextFile } from './save-file';
import { useHeaderPopover } from './use-header-popover';

const HINTS: Readonly<Record<ExportFormat, string>> = Object.freeze({
  md: 'Text with headings; opens anywhere',
  html: 'One page that opens offline, code highlighted',
  jsonl: 'The log itself, as gptme reads it',
});

/**
 * Export in the header: a button that opens a small menu of formats (a popover, so the header does
 * not clip it and Esc or a click elsewhere closes it). Shown once the window has a conversation.
 */
export function ExportMenu() {
  const conversation = useWindowState((s) => s.conversation);
  return conversation ? <Menu id={conversation.id} /> : null;
}

function Menu({ id }: { id: string }) {
  const { client, actions } = useWindow();
  const { buttonRef, panelRef, panelId, close, onKeyDown, panelProps } = useHeaderPopover({
    align: 'right',
    width: 280,
    // Opened from the keyboard or the mouse, the first format takes the focus.
    onOpen: (panel) => panel.querySelector<HTMLButtonElement>('button')?.focus(),
  });
  const [busy, setBusy] = useState<ExportFormat | null>(null);

  const save = async (format: ExportFormat) => {
    setBusy(format);
    try {
      const { fileName, text } = await client.call('conversation.export', { id, format });
      saveTextFile(fileName, text, EXPORT_MEDIA_TYPES[format]);
      close();
    } catch (error) {
      actions.reportError(`Could not export: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      setBusy(null);
    }
  };

  return (
    <span className="export-menu" onKeyDown={onKeyDown}>
      <button
        ref={buttonRef}
        type="button"
        data-testid="conversation-export"
        popoverTarget={panelId}
        aria-haspopup="menu"
        title="Save this conversation as a file"
      >
        Export…
      </button>
      <div
        ref={panelRef}
        {...panelProps}
        className="export-panel"
        role="menu"
        aria-label="Export conversation as"
        onKeyDown={(e) => {
          if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
          e.preventDefault();
          const items = [...(panelRef.current?.querySelectorAll<HTMLButtonElement>('button') ?? [])];
          const at = items.indexOf(document.activeElement as HTMLButtonElement);
          const next = (at + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length;
          items[next]?.focus();
        }}
      >
        {EXPORT_FORMATS.map((format) => (
          <button
            key={format}
            type="button"
            role="menuitem"
            data-testid={`conversation-export-${format}`}
            disabled={busy !== null}
            onClick={() => void save(format)}
          >
            <span className="export-format">{busy === format ? 'Exporting…' : EXPORT_LABELS[format]}</span>
            <span className="export-hint">
              {HINTS[format]} · .{format}
            </span>
          </button>
        ))}
      </div>
    </span>
  );
}
