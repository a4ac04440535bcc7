import { forwardRef, useState } from 'react';
import { useWindow, useWindowState } from '../store/window-context';
import { AttachButton } from './AttachButton';
import './Composer.css';
import { Icon } from './Icon';

export const Composer = forwardRef<HTMLTextAreaElement>(function Composer(_props, ref) {
  const { actions } = useWindow();
  const running = useWindowState((s) => s.turn !== null);
  const attachments = useWindowState((s) => s.attachments);
  const providerReady = useWindowState((s) => s.providerReady);
  const [text, setText] = useState('');
  const canSend = providerReady && !running && text.trim().length > 0;

  const send = async () => {
    if (!canSend) return;
    const draft = text;
    setText('');
    // On failure the draft comes back: nothing the user typed is lost.
    if (!(await actions.send(draft))) setText((current) => current || draft);
  };

  return (
    <form
      className="composer"
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      {attachments.length > 0 && (
        <div className="attachments">
          {attachments.map((path) => (
            <span key={path} className="chip" title={path}>
              <Icon name="paperclip" size={12} /> {path.split(/[\\/]/).pop()}
              <button
                type="button"
                aria-label={`Remove ${path}`}
                onClick={() => actions.removeAttachment(path)}
              >
                ×
              </button>
            </span>
          ))}
        </div>
      )}
      <div className="composer-row">
        <AttachButton />
        <textarea
          ref={ref}
          data-testid="composer"
          aria-label="Message"
          placeholder={
            // Short enough for a 600 px window: the empty conversation lists the keys.
            providerReady ? 'Ask Deskmate…' : 'Set up a provider in Settings first'
          }
          value={text}
          rows={Math.min(10, Math.max(1, text.split('\n').length))}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
              e.preventDefault();
              void send();
            }
          }}
        />
        {running ? (
          <button
            type="button"
            className="stop"
            data-testid="stop"
            onClick={() => void actions.stop()}
            title="Stop (Esc)"
          >
            Stop
          </button>
        ) : (
          <button
            type="submit"
            className="primary"
            data-testid="send"
            disabled={!canSend}
            title="Send (Enter)"
          >
            Send
          </button>
        )}
      </div>
    </form>
  );
});
