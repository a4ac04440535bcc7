import { useId, useRef } from 'react';
import type { ApprovalGrant } from '../../../shared/domain';
import { useWindow, useWindowState } from '../store/window-context';
import './GrantsControl.css';

/** "shell: always", "save: next 3", "every tool: always". */
export function grantLabel({ tool, grant }: ApprovalGrant): string {
  const who = tool === '*' ? 'every tool' : tool;
  return `${who}: ${grant === 'always' ? 'always' : `next ${grant}`}`;
}

/**
 * What runs without asking in this conversation, in the header, each with a way to take it back:
 * a grant the user cannot see is one they cannot judge (issue 10). Nothing shows when none is held.
 * The list is a popover (the top layer), so the header's clipping of crowded badges cannot hide it.
 */
export function GrantsControl() {
  const { actions } = useWindow();
  const grants = useWindowState((s) => s.grants);
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const panelId = useId();
  if (grants.length === 0) return null;
  const tools = grants.map((g) => (g.tool === '*' ? 'every tool' : g.tool)).join(', ');
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
        Allowed: {tools}
      </button>
      <div
        ref={panel}
        id={panelId}
        popover="auto"
        className="grants-panel"
        role="dialog"
        aria-label="Approval grants"
        onBeforeToggle={(e) => {
          // Placed under its badge: a popover sits in the top layer, outside the header's layout.
          const rect = button.current?.getBoundingClientRect();
          if (!rect || (e as unknown as ToggleEvent).newState !== 'open') return;
          const panel = e.currentTarget;
          panel.style.top = `${rect.bottom + 6}px`;
          panel.style.left = `${Math.max(8, Math.min(rect.left, window.innerWidth - 260))}px`;
        }}
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
                onClick={() => void actions.revokeGrant(grant.tool)}
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
