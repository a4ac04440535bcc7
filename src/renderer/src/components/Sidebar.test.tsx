// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ConversationSummary } from '../../../shared/domain';
import { App } from '../App';
import { UNDO_DELETE_MS } from '../store/actions';
import { createRendererClient } from '../testing/renderer-client';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

/** Lets the client's answers (promises) and React's updates land; fake timers make findBy* wait forever. */
const settle = () => act(() => vi.advanceTimersByTimeAsync(10));

const NOW = new Date(2026, 10, 26, 15, 0);
const summary = (id: string, name: string, updatedAt: Date, messageCount = 2): ConversationSummary => ({
  id,
  name,
  messageCount,
  shownCount: messageCount,
  updatedAt: updatedAt.toISOString(),
  workspace: null,
});

function setup() {
  let items = [
    summary('a', 'Morning notes', new Date(2026, 10, 26, 9, 0), 1),
    summary('b', 'Late fix', new Date(2026, 10, 25, 23, 0)),
    summary('c', 'Plan', new Date(2026, 10, 21, 12, 0)),
    summary('d', 'Ancient', new Date(2026, 8, 1, 12, 0), 0),
  ];
  const rc = createRendererClient({
    'conversation.list': () => ({ items, total: items.length }),
    'conversation.delete': ({ id }) => {
      items = items.filter((c) => c.id !== id);
      return { deleted: true };
    },
    'conversation.rename': ({ id, name }) => {
      items = items.map((c) => (c.id === id ? { ...c, name } : c));
      return items.find((c) => c.id === id)!;
    },
  });
  render(<App client={rc.client} />);
  return rc;
}

describe('the sidebar', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: NOW, toFake: ['Date', 'setTimeout', 'clearTimeout'] });
  });

  it('groups conversations by local date and counts "1 message", not "1 messages"', async () => {
    setup();
    await settle();
    const list = screen.getByTestId('conversation-list');
    const groups = within(list)
      .getAllByRole('heading')
      .map((h) => [h.textContent, within(h.parentElement!).getAllByTestId('conversation-item').length]);
    expect(groups).toEqual([
      ['Today', 1],
      ['Yesterday', 1],
      ['Last 7 days', 1],
      ['Older', 1],
    ]);
    expect(within(list).getByText(/^1 message ·/)).toBeTruthy();
    expect(within(list).getByText(/^0 messages ·/)).toBeTruthy();
    expect(within(list).getAllByText(/^2 messages ·/)).toHaveLength(2);
  });

  it('deletes only when the Undo offer runs out, and Undo keeps it', async () => {
    const rc = setup();
    await settle();
    fireEvent.click(screen.getByRole('button', { name: 'Delete Plan' }));
    await act(() => vi.advanceTimersByTimeAsync(0));
    const list = screen.getByTestId('conversation-list');
    expect(within(list).queryByText('Plan')).toBeNull();
    expect(screen.getByTestId('undo-toast').textContent).toContain('Deleted Plan');
    fireEvent.click(screen.getByTestId('undo-delete'));
    await act(() => vi.advanceTimersByTimeAsync(UNDO_DELETE_MS * 2));
    expect(rc.callsOf('conversation.delete')).toEqual([]);
    expect(within(list).getByText('Plan')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Delete Plan' }));
    await act(() => vi.advanceTimersByTimeAsync(UNDO_DELETE_MS - 100));
    expect(rc.callsOf('conversation.delete')).toEqual([]);
    await act(() => vi.advanceTimersByTimeAsync(200));
    expect(rc.callsOf('conversation.delete')).toEqual([{ id: 'c' }]);
    expect(screen.queryByTestId('undo-toast')).toBeNull();
    expect(within(screen.getByTestId('conversation-list')).queryByText('Plan')).toBeNull();
  });

  it('rename keeps the typed name on blur, drops it on Esc, and starts again from the current name', async () => {
    const rc = setup();
    await settle();
    fireEvent.click(screen.getByRole('button', { name: 'Rename Plan' }));
    fireEvent.change(screen.getByLabelText('Conversation name'), {
      target: { value: 'Draft I meant to keep' },
    });
    fireEvent.blur(screen.getByLabelText('Conversation name'));
    await act(() => vi.advanceTimersByTimeAsync(0));
    expect(rc.callsOf('conversation.rename')).toEqual([{ id: 'c', name: 'Draft I meant to keep' }]);

    fireEvent.click(screen.getByRole('button', { name: 'Rename Draft I meant to keep' }));
    const field = screen.getByLabelText<HTMLInputElement>('Conversation name');
    fireEvent.change(field, { target: { value: 'thrown away' } });
    fireEvent.keyDown(field, { key: 'Escape' });
    expect(screen.queryByLabelText('Conversation name')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Rename Draft I meant to keep' }));
    expect(screen.getByLabelText<HTMLInputElement>('Conversation name').value).toBe('Draft I meant to keep');
    expect(rc.callsOf('conversation.rename')).toHaveLength(1);
  });
});
