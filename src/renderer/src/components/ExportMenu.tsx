import { useId, useRef, useState } from 'react';
import {
  EXPORT_FORMATS,
  EXPORT_LABELS,
  EXPORT_MEDIA_TYPES,
  type ExportFormat,
} from '../../../shared/export-format';
import { useWindow, useWindowState } from '../store/window-context';
import './ExportMenu.css';
import { saveTextFile } from './save-file';

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
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const panelId = useId();
  const [busy, setBusy] = useState<ExportFormat | null>(null);

  const place = () => {
    const rect = button.current?.getBoundingClientRect();
    const list = panel.current;
    if (!rect || !list) return;
    const width = list.offsetWidth || 280;
    list.style.top = `${rect.bottom + 6}px`;
    list.style.left = `${Math.max(8, Math.min(rect.right - width, window.innerWidth - width - 8))}px`;
  };

  const save = async (format: ExportFormat) => {
    setBusy(format);
    try {
      const { fileName, text } = await client.call('conversation.export', { id, format });
      saveTextFile(fileName, text, EXPORT_MEDIA_TYPES[format]);
      panel.current?.hidePopover();
      button.current?.focus();
    } catch (error) {
      actions.reportError(`Could not export: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      setBusy(null);
    }
  };

  return (
    <span
      className="export-menu"
      onKeyDown={(e) => {
        // Esc closes the menu, and only the menu: the window's Esc would stop the running turn.
        if (e.key !== 'Escape' || !panel.current?.matches(':popover-open')) return;
        e.stopPropagation();
        e.preventDefault();
        panel.current.hidePopover();
        button.current?.focus();
      }}
    >
      <button
        ref={button}
        type="button"
        data-testid="conversation-export"
        popoverTarget={panelId}
        aria-haspopup="menu"
        title="Save this conversation as a file"
      >
        Export…
      </button>
      <div
        ref={panel}
        id={panelId}
        popover="auto"
        className="export-panel"
        role="menu"
        aria-label="Export conversation as"
        onBeforeToggle={(e) => {
          if ((e as unknown as ToggleEvent).newState === 'open') place();
        }}
        onToggle={(e) => {
          // Opened from the keyboard or the mouse, the first format takes the focus.
          if ((e as unknown as ToggleEvent).newState === 'open')
            panel.current?.querySelector<HTMLButtonElement>('button')?.focus();
        }}
        onKeyDown={(e) => {
          if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
          e.preventDefault();
          const items = [...(panel.current?.querySelectorAll<HTMLButtonElement>('button') ?? [])];
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
