import { useState } from 'react';
import type { Role } from '../../../shared/domain';
import { useWindow, useWindowState } from '../store/window-context';
import './MessageItem.css';

const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const full = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'medium' });

/** When a message was written, in local time: the hour on hover, the whole date in its tooltip. */
export function MessageTime({ timestamp }: { timestamp: string }) {
  const date = new Date(timestamp);
  if (Number.isNaN(date.getTime())) return null;
  return (
    <time className="message-time" dateTime={timestamp} title={full.format(date)} data-testid="message-time">
      {clock.format(date)}
    </time>
  );
}

/**
 * Copy, regenerate (the last reply) and delete, shown on hover and on keyboard focus. Delete asks
 * first, and is not offered while a turn runs: the engine refuses it then too.
 */
export function MessageActions({ id, role, content }: { id: string; role: Role; content: string }) {
  const { actions } = useWindow();
  const busy = useWindowState((s) => s.turn !== null);
  const last = useWindowState((s) => s.messageIds.at(-1) === id && s.failure === null);
  const [copied, setCopied] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const what = role === 'user' ? 'message' : 'reply';

  if (confirming)
    return (
      <div className="message-actions confirming" role="group" aria-label={`Delete this ${what}?`}>
        <span>{role === 'user' ? 'Delete this message and the replies to it?' : 'Delete this reply?'}</span>
        <button
          type="button"
          className="danger"
          data-testid="message-delete-confirm"
          autoFocus
          onClick={() => {
            setConfirming(false);
            void actions.deleteMessage(id);
          }}
        >
          Delete
        </button>
        <button type="button" onClick={() => setConfirming(false)}>
          Cancel
        </button>
      </div>
    );
  return (
    <div className="message-actions" role="group" aria-label={`Actions on this ${what}`}>
      {content && (
        <button
          type="button"
          data-testid="message-copy"
          aria-label={`Copy this ${what}`}
          onClick={() => {
            void navigator.clipboard?.writeText(content).then(
              () => {
                setCopied(true);
                setTimeout(() => setCopied(false), 1200);
              },
              () => actions.reportError('The browser did not allow copying to the clipboard.'),
            );
          }}
        >
          {copied ? 'Copied' : 'Copy'}
        </button>
      )}
      {role === 'assistant' && last && (
        <button
          type="button"
          data-testid="message-regenerate"
          aria-label="Write this reply again"
          disabled={busy}
          onClick={() => void actions.retry()}
        >
          Regenerate
        </button>
      )}
      <button
        type="button"
        data-testid="message-delete"
        aria-label={`Delete this ${what}`}
        disabled={busy}
        title={busy ? 'Stop the running turn to delete messages' : undefined}
        onClick={() => setConfirming(true)}
      >
        Delete
      </button>
    </div>
  );
}
