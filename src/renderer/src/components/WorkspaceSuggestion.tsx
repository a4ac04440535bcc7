import { useState } from 'react';
import { useWindow, useWindowState } from '../store/window-context';
import './ConversationNotice.css';
import './ErrorBanner.css';

/**
 * The open conversation was recorded in a folder the user has never opened in Deskmate (an
 * imported one, say): the window stays where it is and offers the folder. Only the click opens
 * it, through workspace.open like any folder; `read` runs unasked only inside the workspace.
 */
export function WorkspaceSuggestion() {
  const { actions } = useWindow();
  const suggested = useWindowState((s) =>
    s.workspace.suggested?.conversationId === s.conversation?.id ? s.workspace.suggested?.folder : undefined,
  );
  const [dismissed, setDismissed] = useState<string | null>(null);
  if (!suggested || dismissed === suggested) return null;
  return (
    <div className="conversation-notice" role="status" data-testid="workspace-suggestion">
      <span>
        This conversation was recorded in <code>{suggested}</code>, a folder you have not opened in Deskmate.
        It stays closed until you open it.
      </span>
      <span className="banner-actions">
        <button
          type="button"
          className="primary"
          data-testid="workspace-suggestion-open"
          onClick={() => void actions.openPath(suggested)}
        >
          Open {suggested.split(/[\\/]/).filter(Boolean).at(-1) ?? suggested}
        </button>
        <button type="button" onClick={() => setDismissed(suggested)}>
          Not now
        </button>
      </span>
    </div>
  );
}
