import { useEffect, useId, useRef, useState } from 'react';
import type { ApprovalGrant } from '../../../shared/domain';
import { useWindow, useWindowState } from '../store/window-context';
import './GrantsControl.css';

/** "shell: always", "save: next 3", "every tool: always". */
export function grantLabel({ tool, grant }: ApprovalGrant): string {
  const who = tool === '*' ? 'every tool' : tool;
  return `${who}: ${grant === 'always' ? 'always' : `next ${grant}`}`;
}

/** The badge's text: it is shown in full, so past two tools it counts them (the list names them). */
export function grantsSummary(grants: readonly ApprovalGrant[]): string {
  const tools = grants.map((g) => (g.tool === '*' ? 'every tool' : g.tool));
  return `Allowed: ${tools.length > 2 ? `${tools.length} tools` : tools.join(', ')}`;
}

const MARGIN = 8;

/** Back to the composer when the list went away with the focus in it: never leave the keyboard on <body>. */
function refocus(panel: HTMLElement | null): void {
  requestAnimationFrame(() => {
    const active = document.activeElement;
    if (active && active !== document.body) return;
    const next = panel?.isConnected ? panel.querySelector<HTMLElement>('[data-testid=grant-revoke]') : null;
    (next ?? document.querySelector<HTMLElement>('[data-testid=composer]'))?.focus();
  });
}

/**
 * What runs without asking in this conversation, in the header, each with a way to take it back:
 * a grant the user cannot see is one they cannot judge (issue 10). Nothing shows when none is held.
 */
export function GrantsControl() {
  const grants = useWindowState((s) => s.grants);
  return grants.length === 0 ? null : <Grants grants={grants} />;
}

/**
 * The badge and its list. The list is a popover (the top layer, so nothing in the header clips it),
 * placed under the badge, or against the window's right edge when there is no room, and placed again
 * when the window is resized (the badge may have moved to another row).
 */
function Grants({ grants }: { grants: readonly ApprovalGrant[] }) {
  const { actions } = useWindow();
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const panelId = useId();
  const [open, setOpen] = useState(false);

  const place = () => {
    const rect = button.current?.getBoundingClientRect();
    const list = panel.current;
    if (!rect || !list) return;
    // Before it first opens the list has no size: a guess, corrected once it is shown.
    const width = list.offsetWidth || 260;
    list.style.top = `${rect.bottom + 6}px`;
    list.style.left = `${Math.max(MARGIN, Math.min(rect.left, window.innerWidth - width - MARGIN))}px`;
  };

  useEffect(() => {
    if (!open) return;
    place();
    // The header's size changes after the window's (the sidebar closes in a narrow window, rows
    // wrap): placing on `resize` alone would use where the badge was a moment before.
    const header = button.current?.closest('header') ?? document.body;
    const observer = new ResizeObserver(() => place());
    observer.observe(header);
    window.addEventListener('resize', place);
    return () => {
      observer.disconnect();
      window.removeEventListener('resize', place);
    };
  }, [open]);

  return (
    <span
      className="grants"
      data-testid="grants"
      onKeyDown={(e) => {
        // Esc closes the list, and only the list: the window's Esc would stop the running turn.
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
        className="grants-badge"
        popoverTarget={panelId}
        title="Tools that run without asking in this conversation: review or revoke"
      >
        {grantsSummary(grants)}
      </button>
      <div
        ref={panel}
        id={panelId}
        popover="auto"
        className="grants-panel"
        role="dialog"
        aria-label="Approval grants"
        onBeforeToggle={(e) => {
          if ((e as unknown as ToggleEvent).newState === 'open') place();
        }}
        onToggle={(e) => setOpen((e as unknown as ToggleEvent).newState === 'open')}
      >
        <p>Run without asking in this conversation:</p>
        <ul>
          {grants.map((grant) => (
            <li key={grant.tool}>
              <span>{grantLabel(grant)}</span>
              <button
                type="button"
                data-testid="grant-revoke"
                aria-label={`Revoke ${grantLabel(grant)}`}
                title="Ask again before each call of this tool"
                onClick={() => void actions.revokeGrant(grant.tool).then(() => refocus(panel.current))}
              >
                Revoke
              </button>
            </li>
          ))}
        </ul>
      </div>
    </span>
  );
}
