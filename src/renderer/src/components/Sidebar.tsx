import { useState } from 'react';
import type { ConversationSummary } from '../../../shared/domain';
import { useWindow, useWindowState } from '../store/window-context';
import { Icon } from './Icon';

function relative(iso: string): string {
  const seconds = (Date.now() - Date.parse(iso)) / 1000;
  if (seconds < 60) return 'just now';
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  return new Date(iso).toLocaleDateString();
}

function Item({ item, active }: { item: ConversationSummary; active: boolean }) {
  const { actions } = useWindow();
  const [renaming, setRenaming] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [name, setName] = useState(item.name);
  if (renaming) {
    return (
      <li className="conversation-item editing">
        <input
          autoFocus
          aria-label="Conversation name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          onBlur={() => setRenaming(false)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && name.trim()) {
              void actions.renameConversation(item.id, name.trim());
              setRenaming(false);
            }
            if (e.key === 'Escape') setRenaming(false);
          }}
        />
      </li>
    );
  }
  return (
    <li className={`conversation-item${active ? ' active' : ''}`} data-testid="conversation-item">
      <button
        type="button"
        className="conversation-open"
        onClick={() => void actions.openConversation(item.id)}
        title={item.name}
      >
        <span className="name">{item.name}</span>
        <span className="meta">
          {item.messageCount} messages · {relative(item.updatedAt)}
        </span>
      </button>
      {confirming ? (
        <span className="confirm">
          Delete?
          <button type="button" className="danger" onClick={() => void actions.deleteConversation(item.id)}>
            Delete
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            Keep
          </button>
        </span>
      ) : (
        <span className="item-actions">
          <button
            type="button"
            title="Open in a new window"
            aria-label="Open in a new window"
            onClick={() => void actions.openInNewWindow(item.id)}
          >
            <Icon name="window" />
          </button>
          <button type="button" title="Rename" aria-label="Rename" onClick={() => setRenaming(true)}>
            <Icon name="pencil" />
          </button>
          <button type="button" title="Delete" aria-label="Delete" onClick={() => setConfirming(true)}>
            <Icon name="trash" />
          </button>
        </span>
      )}
    </li>
  );
}

export function Sidebar() {
  const { actions } = useWindow();
  const conversations = useWindowState((s) => s.conversations);
  const current = useWindowState((s) => s.conversation?.id);
  const [query, setQuery] = useState('');
  return (
    <aside className="sidebar">
      <div className="sidebar-top">
        <span className="brand">Deskmate</span>
        <button
          type="button"
          data-testid="new-conversation"
          className="primary"
          onClick={() => void actions.newConversation()}
        >
          New
        </button>
      </div>
      <input
        className="search"
        type="search"
        placeholder="Search conversations"
        aria-label="Search conversations"
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          void actions.searchConversations(e.target.value);
        }}
      />
      <ul className="conversation-list" data-testid="conversation-list">
        {conversations.map((item) => (
          <Item key={item.id} item={item} active={item.id === current} />
        ))}
        {conversations.length === 0 && (
          <li className="empty">{query ? 'No match' : 'No conversations yet'}</li>
        )}
      </ul>
    </aside>
  );
}
