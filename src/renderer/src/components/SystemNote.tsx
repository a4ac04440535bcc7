import type { MessageView } from '../store/window-state';
import { BlockMarkdown } from './Markdown';
import { MessageTime } from './MessageActions';
import './SystemNote.css';

// Past this, the note opens folded: a command's whole output should not push the reply off screen.
const FOLD_LINES = 8;

/**
 * A system message the user is meant to see: a gptme conversation's command output (its markdown
 * tool format), a warning it gave the model, or a tool result whose call is missing from the log.
 * Muted and foldable, so it reads as context beside the exchange rather than as a reply.
 */
export function SystemNote({ message }: { message: MessageView }) {
  const lines = message.content.split('\n');
  const first = lines.find((line) => line.trim()) ?? '';
  const body = <BlockMarkdown text={message.content} />;
  return (
    <article className="message role-system" data-testid="message" data-role="system">
      <div className="message-role">System</div>
      <div className="message-body">
        {lines.length > FOLD_LINES ? (
          <details className="system-fold">
            <summary>
              <span className="system-first-line">{first}</span>
              <span className="system-more">{lines.length} lines</span>
            </summary>
            {body}
          </details>
        ) : (
          <div className="system-text">{body}</div>
        )}
        <div className="message-meta">
          <MessageTime timestamp={message.timestamp} />
        </div>
      </div>
    </article>
  );
}
