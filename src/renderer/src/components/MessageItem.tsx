import { memo } from 'react';
import { useWindowState } from '../store/window-context';
import type { WindowState } from '../store/window-state';
import './MessageItem.css';
import { Icon } from './Icon';
import { BlockMarkdown } from './Markdown';
import { MessageActions, MessageTime } from './MessageActions';
import { SystemNote } from './SystemNote';
import { ToolCallCard } from './ToolCallCard';
import { TurnError } from './TurnError';

/** Both are the model's: steps of one turn (a reply that called tools, then the next step's reply). */
const sameTurn = (s: WindowState, a: string | undefined, b: string | undefined) =>
  a !== undefined &&
  b !== undefined &&
  s.messages[a]?.role === 'assistant' &&
  s.messages[b]?.role === 'assistant';

/**
 * Selects its own message by id: a streamed delta re-renders this item only. Its neighbours' ids
 * say whether it is a step of the same turn as the one above (no second "Deskmate", a small gap)
 * or below (a small gap beneath it).
 */
export const MessageItem = memo(function MessageItem({
  id,
  previousId,
  nextId,
}: {
  id: string;
  previousId?: string;
  nextId?: string;
}) {
  const message = useWindowState((s) => s.messages[id]);
  const continued = useWindowState((s) => sameTurn(s, previousId, id));
  const continues = useWindowState((s) => sameTurn(s, id, nextId));
  // Only the last message carries its turn's failure: anything after it means the turn went on.
  const failure = useWindowState((s) => (s.messageIds.at(-1) === id ? s.failure : null));
  if (!message) return null;
  if (message.role === 'system') return <SystemNote message={message} />;
  const empty = !message.content && !message.tool_calls?.length;
  return (
    <>
      <article
        className={`message role-${message.role}${continued ? ' continued' : ''}${continues ? ' continues' : ''}`}
        data-testid="message"
        data-role={message.role}
        data-streaming={message.streaming ? 'true' : undefined}
      >
        <div className="message-role" aria-hidden={continued || undefined}>
          {continued ? '' : message.role === 'user' ? 'You' : 'Deskmate'}
        </div>
        <div className="message-body">
          {message.role === 'user' ? (
            <div className="user-text">{message.content}</div>
          ) : empty && message.streaming ? (
            <div className="typing" aria-label="Thinking">
              <span />
              <span />
              <span />
            </div>
          ) : (
            <BlockMarkdown text={message.content} />
          )}
          {message.files?.length ? (
            <div className="attachments">
              {message.files.map((file) => (
                <span key={file} className="chip" title={file}>
                  <Icon name="paperclip" size={12} /> {file.split(/[\\/]/).pop()}
                </span>
              ))}
            </div>
          ) : null}
          {message.tool_calls?.map((call) => (
            <ToolCallCard key={call.id} callId={call.id} />
          ))}
          {message.metadata?.interrupted && <div className="note">Stopped.</div>}
          {message.metadata?.error && !failure && (
            <div className="note error">Reply cut short: {message.metadata.error}</div>
          )}
          {failure && message.role !== 'user' && (
            <TurnError failure={failure} cutShort={Boolean(message.content) && !message.tool_calls?.length} />
          )}
          {!message.streaming && (
            <div className="message-meta">
              <MessageTime timestamp={message.timestamp} />
              <MessageActions id={message.id} role={message.role} content={message.content} />
            </div>
          )}
        </div>
      </article>
      {failure && message.role === 'user' && (
        <article className="message role-assistant" data-role="failure">
          <div className="message-role">Deskmate</div>
          <div className="message-body">
            <TurnError failure={failure} cutShort={false} />
          </div>
        </article>
      )}
    </>
  );
});
