import { useWindow, useWindowState } from '../store/window-context';
import './ConversationNotice.css';
import './ErrorBanner.css';

/**
 * Where a conversation is, when it is not here: open in another window (take it over, or in a
 * desktop host show that window), or taken over by another one (this window starts a new chat).
 */
export function ConversationNotice() {
  const { actions } = useWindow();
  const notice = useWindowState((s) => s.notice);
  const host = useWindowState((s) => s.host);
  const listed = useWindowState((s) =>
    s.notice?.kind === 'open-elsewhere'
      ? s.conversations.find((c) => c.id === (s.notice as { conversationId: string }).conversationId)?.name
      : undefined,
  );
  if (!notice) return null;
  const elsewhere = host?.view === 'window' ? 'another window' : 'another tab';
  const name = `“${listed ?? notice.name}”`;
  if (notice.kind === 'unreadable') {
    const lines = notice.lines === 1 ? 'One line' : `${notice.lines} lines`;
    return (
      <div className="conversation-notice" role="status" data-testid="unreadable-lines-notice">
        <span>
          {lines} of {name}’s log could not be read and {notice.lines === 1 ? 'is' : 'are'} not shown. Nothing
          was deleted: the file still holds {notice.lines === 1 ? 'it' : 'them'} as{' '}
          {notice.lines === 1 ? 'it was' : 'they were'}.
        </span>
        <span className="banner-actions">
          <button type="button" onClick={actions.dismissNotice}>
            OK
          </button>
        </span>
      </div>
    );
  }
  if (notice.kind === 'taken') {
    return (
      <div className="conversation-notice" role="status" data-testid="taken-notice">
        <span>
          {name} was taken over in {elsewhere}. This {host?.view ?? 'tab'} starts a new conversation.
        </span>
        <span className="banner-actions">
          <button type="button" onClick={actions.dismissNotice}>
            OK
          </button>
        </span>
      </div>
    );
  }
  const id = notice.conversationId;
  return (
    <div className="conversation-notice" role="alert" data-testid="open-elsewhere">
      <span>
        {name} is open in {elsewhere}. Take it over to continue it here:{' '}
        {elsewhere === 'another tab' ? 'that tab' : 'that window'} stops what it is doing and starts a new
        conversation.
      </span>
      <span className="banner-actions">
        {host?.focusWindow && (
          <button type="button" onClick={() => void actions.openInNewWindow(id)}>
            Show that window
          </button>
        )}
        <button
          type="button"
          className="primary"
          data-testid="take-over"
          onClick={() => void actions.takeOver(id)}
        >
          Take over
        </button>
        <button type="button" onClick={actions.dismissNotice}>
          Cancel
        </button>
      </span>
    </div>
  );
}
