import type { ApprovalGrant } from '../../../shared/domain';
import { useWindow, useWindowState } from '../store/window-context';
import './GrantsControl.css';
import { useHeaderPopover } from './use-header-popover';

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
  const { buttonRef, panelRef, panelId, onKeyDown, panelProps } = useHeaderPopover({
    align: 'left',
    width: 260,
  });

  return (
    <span className="grants" data-testid="grants" onKeyDown={onKeyDown}>
      <button
        ref={buttonRef}
        type="button"
        className="grants-badge"
        popoverTarget={panelId}
        title="Tools that run without asking in this conversation: review or revoke"
      >
        {grantsSummary(grants)}
      </button>
      <div ref={panelRef} {...panelProps} className="grants-panel" role="dialog" aria-label="Approval grants">
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
                onClick={() => void actions.revokeGrant(grant.tool).then(() => refocus(panelRef.current))}
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
