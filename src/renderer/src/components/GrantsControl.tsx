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
 */
export function GrantsControl() {
  const { actions } = useWindow();
  const grants = useWindowState((s) => s.grants);
  if (grants.length === 0) return null;
  const tools = grants.map((g) => (g.tool === '*' ? 'every tool' : g.tool)).join(', ');
  return (
    <details className="grants" data-testid="grants">
      <summary title="Tools that run without asking in this conversation">Auto-approved: {tools}</summary>
      <div className="grants-panel">
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
    </details>
  );
}
