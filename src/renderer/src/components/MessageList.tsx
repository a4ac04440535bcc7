import { observeElementRect, useVirtualizer, type Virtualizer } from '@tanstack/react-virtual';
import { useEffect } from 'react';
import { useWindow, useWindowState } from '../store/window-context';
import type { WindowState } from '../store/window-state';
import { MessageItem } from './MessageItem';
import './MessageList.css';
import { useFollowBottom } from './use-follow-bottom';

const FALLBACK_RECT = { width: 800, height: 900 };
/** Room left around an approval card brought into view. */
const REVEAL_MARGIN_PX = 12;
/** How long (frames) to keep an approval card in view while the list settles, at most… */
const REVEAL_FRAMES = 90;
/** …and how many frames it must hold still. */
const STILL_FRAMES = 4;

/** Scrolls by `delta` px when that is more than a rounding error; says whether it did. */
function scrollBy(el: HTMLElement, delta: number): boolean {
  if (Math.abs(delta) < 1) return false;
  const before = el.scrollTop;
  el.scrollTop = before + delta;
  return el.scrollTop !== before;
}

/**
 * Before layout (first paint, or a DOM without layout such as jsdom) the scroller measures 0×0
 * and nothing would render; assume a window-sized viewport until a real size arrives.
 */
function observeRect(
  instance: Virtualizer<HTMLDivElement, Element>,
  callback: (rect: { width: number; height: number }) => void,
) {
  const report = (rect: { width: number; height: number }) =>
    callback(rect.height > 0 ? rect : FALLBACK_RECT);
  if (typeof ResizeObserver === 'undefined') {
    report(FALLBACK_RECT);
    return () => undefined;
  }
  return observeElementRect(instance, report);
}

/** Calls that have just started waiting for the user's approval. */
function newlyPending(state: WindowState, previous: WindowState): string[] {
  if (state.toolCalls === previous.toolCalls) return [];
  return Object.values(state.toolCalls)
    .filter((call) => call.status === 'pending' && previous.toolCalls[call.callId]?.status !== 'pending')
    .map((call) => call.callId);
}

/** Virtualized: only the messages on screen are in the DOM, so long conversations stay smooth. */
export function MessageList() {
  const { store } = useWindow();
  const ids = useWindowState((s) => s.messageIds);
  const bottom = useFollowBottom();
  const { scroller, content, follow, stick } = bottom;
  // The virtualizer's functions change identity on purpose; this component is not compiler-memoized.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: ids.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => 120,
    overscan: 6,
    getItemKey: (index) => ids[index]!,
    initialRect: FALLBACK_RECT,
    observeElementRect: observeRect,
  });

  useEffect(() => {
    /**
     * An approval card must be seen, wherever the user had scrolled: the turn waits on it. Its
     * message may be outside the rendered range, so scroll there first and look again; and the
     * virtualizer may still correct its estimates after that, so keep looking until it holds still
     * for a few frames.
     */
    const reveal = (callId: string, frame = 0, still = 0) => {
      const el = scroller.current;
      const state = store.getState();
      const index = state.messageIds.findIndex((id) =>
        state.messages[id]?.tool_calls?.some((call) => call.id === callId),
      );
      if (!el || index < 0 || state.toolCalls[callId]?.status !== 'pending' || frame > REVEAL_FRAMES) return;
      const card = el.querySelector(`[data-index="${index}"] [data-testid=tool-call][data-status=pending]`);
      let moved = false;
      if (!card) {
        virtualizer.scrollToIndex(index, { align: 'end' });
        moved = true;
      } else {
        const view = el.getBoundingClientRect();
        const box = card.getBoundingClientRect();
        // Its buttons are at its foot: a card taller than the view shows its foot.
        if (box.bottom > view.bottom || box.height > view.height) {
          moved = scrollBy(el, box.bottom - view.bottom + REVEAL_MARGIN_PX);
        } else if (box.top < view.top) {
          moved = scrollBy(el, box.top - view.top - REVEAL_MARGIN_PX);
        }
      }
      const next = moved ? 0 : still + 1;
      if (next < STILL_FRAMES) requestAnimationFrame(() => reveal(callId, frame + 1, next));
    };
    return store.subscribe((state, previous) => {
      const last = state.messages[state.messageIds.at(-1) ?? ''];
      const sent = state.messageIds.length > previous.messageIds.length && last?.role === 'user';
      // A message the user sent, or another conversation shown: they want to see its end.
      if (sent || state.conversation?.id !== previous.conversation?.id) follow();
      // The newest message may be outside the rendered range, where its growth resizes nothing.
      else if (state.messages !== previous.messages) requestAnimationFrame(stick);
      for (const callId of newlyPending(state, previous)) requestAnimationFrame(() => reveal(callId));
    });
  }, [store, virtualizer, follow, stick, scroller]);

  if (ids.length === 0) return null;
  return (
    <div className="message-list-frame">
      <div
        ref={scroller}
        className="message-list"
        data-testid="message-list"
        role="region"
        aria-label="Messages"
        tabIndex={0}
        {...bottom.handlers}
      >
        <div
          ref={content}
          style={{ height: virtualizer.getTotalSize(), position: 'relative', width: '100%' }}
        >
          {virtualizer.getVirtualItems().map((item) => (
            <div
              key={item.key}
              data-index={item.index}
              ref={virtualizer.measureElement}
              style={{
                position: 'absolute',
                top: 0,
                left: 0,
                width: '100%',
                transform: `translateY(${item.start}px)`,
              }}
            >
              <MessageItem
                id={ids[item.index]!}
                previousId={ids[item.index - 1]}
                nextId={ids[item.index + 1]}
              />
            </div>
          ))}
        </div>
      </div>
      {bottom.away && (
        <button
          type="button"
          className="scroll-to-bottom"
          data-testid="scroll-to-bottom"
          onClick={() => {
            follow();
            scroller.current?.focus({ preventScroll: true });
          }}
        >
          <span aria-hidden="true">↓</span> {bottom.unseen ? 'New messages below' : 'Back to the latest'}
        </button>
      )}
    </div>
  );
}
