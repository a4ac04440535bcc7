import { useEffect, useRef, useState } from 'react';
import type { ConversationSummary } from '../../../shared/domain';
import { useWindow, useWindowState } from '../store/window-context';
import { groupByDate } from './date-groups';
import { Icon } from './Icon';
import { ImportFromGptme } from './ImportDialog';
import './Sidebar.css';

/** How often "just now", "5 min ago" and the date groups are worked out again. */
const RELATIVE_TIME_MS = 30_000;

/** The time now, again every `ms`: what a relative time is relative to. */
function useNow(ms: number): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

function relative(iso: string, now: Date): string {
  const seconds = (now.getTime() - Date.parse(iso)) / 1000;
  if (seconds < 60) return 'just now';
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  return new Date(iso).toLocaleDateString();
}

/** Given the count of messages the conversation shows (not the tool results in its cards). */
function messageCount(n: number): string {
  return `${n} message${n === 1 ? '' : 's'}`;
}

/**
 * Mounted afresh for each rename, so it always starts from the current name. Enter or leaving
 * the field keeps the new name; Esc keeps the old one.
 */
function RenameField({
  item,
  onDone,
}: {
  item: ConversationSummary;
  /** `byKey`: Enter or Esc, so focus goes back where it was; a click elsewhere keeps its focus. */
  onDone(byKey: boolean): void;
}) {
  const { actions } = useWindow();
  const [name, setName] = useState(item.name);
  const finished = useRef(false);
  const finish = (keep: boolean, byKey: boolean) => {
    if (finished.current) return;
    finished.current = true;
    const next = name.trim();
    if (keep && next && next !== item.name) void actions.renameConversation(item.id, next);
    onDone(byKey);
  };
  return (
    <li className="conversation-item editing">
      <input
        autoFocus
        aria-label="Conversation name"
        data-testid="conversation-rename"
        value={name}
        onFocus={(e) => e.currentTarget.select()}
        onChange={(e) => setName(e.target.value)}
        onBlur={() => finish(true, false)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            finish(true, true);
          } else if (e.key === 'Escape') {
            // Esc here cancels the rename; it must not also stop a running turn.
            e.preventDefault();
            e.stopPropagation();
            finish(false, true);
          }
        }}
      />
    </li>
  );
}

function Item({
  item,
  active,
  now,
  onOpened,
}: {
  item: ConversationSummary;
  active: boolean;
  now: Date;
  onOpened(): void;
}) {
  const { actions } = useWindow();
  const [renaming, setRenaming] = useState(false);
  const renameButton = useRef<HTMLButtonElement>(null);
  if (renaming) {
    return (
      <RenameField
        item={item}
        onDone={(byKey) => {
          setRenaming(false);
          if (byKey) requestAnimationFrame(() => renameButton.current?.focus());
        }}
      />
    );
  }
  return (
    <li className={`conversation-item${active ? ' active' : ''}`} data-testid="conversation-item">
      <button
        type="button"
        className="conversation-open"
        aria-current={active ? 'page' : undefined}
        onClick={() => {
          void actions.openConversation(item.id);
          onOpened();
        }}
        title={item.name}
      >
        <span className="name">{item.name}</span>
        <span className="meta">
          {messageCount(item.shownCount)} · {relative(item.updatedAt, now)}
        </span>
      </button>
      <span className="item-actions">
        <button
          type="button"
          title="Open in a new window"
          aria-label="Open in a new window"
          onClick={() => void actions.openInNewWindow(item.id)}
        >
          <Icon name="window" />
        </button>
        <button
          ref={renameButton}
          type="button"
          title="Rename"
          aria-label={`Rename ${item.name}`}
          data-testid="conversation-rename-open"
          onClick={() => setRenaming(true)}
        >
          <Icon name="pencil" />
        </button>
        <button
          type="button"
          title="Delete"
          aria-label={`Delete ${item.name}`}
          data-testid="conversation-delete"
          onClick={() => void actions.deleteWithUndo(item)}
        >
          <Icon name="trash" />
        </button>
      </span>
    </li>
  );
}

export function Sidebar({
  open,
  overlay,
  onToggle,
  onClose,
}: {
  open: boolean;
  /** Lying over the conversation (a narrow window): opening a conversation closes it. */
  overlay: boolean;
  onToggle(): void;
  onClose(): void;
}) {
  const { actions } = useWindow();
  const conversations = useWindowState((s) => s.conversations);
  const deleting = useWindowState((s) => s.deleting);
  const current = useWindowState((s) => s.conversation?.id);
  const query = useWindowState((s) => s.conversationQuery);
  const now = useNow(RELATIVE_TIME_MS);
  const shown = conversations.filter((c) => !deleting.some((d) => d.id === c.id));
  const groups = groupByDate(shown, now);
  const opened = () => {
    if (overlay) onClose();
  };
  return (
    <aside
      id="sidebar"
      className={`sidebar${open ? '' : ' collapsed'}${overlay ? ' overlay' : ''}`}
      aria-label="Conversations"
    >
      <div className="sidebar-top">
        <button
          type="button"
          className="sidebar-toggle"
          data-testid="sidebar-toggle"
          aria-expanded={open}
          aria-controls="sidebar-content"
          aria-label={open ? 'Hide conversations' : 'Show conversations'}
          title={open ? 'Hide conversations' : 'Show conversations'}
          onClick={onToggle}
        >
          <Icon name="sidebar" size={17} />
        </button>
        {open && <span className="brand">Deskmate</span>}
        <button
          type="button"
          data-testid="new-conversation"
          className="primary new-conversation"
          aria-label="New conversation"
          title="New conversation"
          onClick={() => {
            void actions.newConversation();
            opened();
          }}
        >
          {open ? 'New' : <Icon name="plus" size={17} />}
        </button>
      </div>
      {open && (
        <div id="sidebar-content" className="sidebar-content">
          <input
            className="search"
            type="search"
            placeholder="Search conversations"
            aria-label="Search conversations"
            value={query}
            onChange={(e) => void actions.searchConversations(e.target.value)}
          />
          <ul className="conversation-list" data-testid="conversation-list">
            {groups.map((group) => (
              <li key={group.label} className="conversation-group">
                <h2 className="group-label">{group.label}</h2>
                <ul aria-label={group.label}>
                  {group.items.map((item) => (
                    <Item
                      key={item.id}
                      item={item}
                      active={item.id === current}
                      now={now}
                      onOpened={opened}
                    />
                  ))}
                </ul>
              </li>
            ))}
            {shown.length === 0 && <li className="empty">{query ? 'No match' : 'No conversations yet'}</li>}
          </ul>
        </div>
      )}
      {/* Outside the content: the menu's item opens the dialog with the sidebar collapsed too. */}
      <ImportFromGptme showButton={open} />
    </aside>
  );
}
