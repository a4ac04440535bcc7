import { useWindowState } from '../store/window-context';
import './EmptyState.css';

const mod = typeof navigator !== 'undefined' && /Mac/.test(navigator.platform) ? '⌘' : 'Ctrl+';

export function EmptyState() {
  const workspace = useWindowState((s) => s.workspace.workspace);
  // A browser keeps Ctrl+N for itself (a page cannot take it): offered only where it opens a window.
  const newWindow = useWindowState((s) => s.host?.openWindow === true);
  return (
    <div className="empty-state">
      <h2>What shall we work on?</h2>
      <p>
        {workspace ? (
          <>
            Deskmate works in <code>{workspace}</code>. It asks before it writes a file or runs a command.
          </>
        ) : (
          <>Open a folder (or drop one on this window) so Deskmate can read and change files there.</>
        )}
      </p>
      <ul className="shortcuts">
        <li>
          <kbd>Enter</kbd> send · <kbd>Shift+Enter</kbd> new line · <kbd>Esc</kbd> stop
        </li>
        <li>
          {newWindow && (
            <>
              <kbd>{mod}N</kbd> new window ·{' '}
            </>
          )}
          <kbd>{mod}O</kbd> open folder · <kbd>{mod}L</kbd> focus the input
        </li>
      </ul>
    </div>
  );
}
