import { observeElementRect, useVirtualizer, type Virtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import { useWindow, useWindowState } from '../store/window-context';
import { MessageItem } from './MessageItem';

const NEAR_BOTTOM_PX = 80;
const FALLBACK_RECT = { width: 800, height: 900 };

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

/** Virtualized: only the messages on screen are in the DOM, so long conversations stay smooth. */
export function MessageList() {
  const { store } = useWindow();
  const ids = useWindowState((s) => s.messageIds);
  const scroller = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);
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

  // Follow the conversation while the user is at the bottom: new messages and streamed text.
  useEffect(() => {
    const follow = () => {
      if (pinned.current && ids.length > 0) virtualizer.scrollToIndex(ids.length - 1, { align: 'end' });
    };
    follow();
    return store.subscribe((state, previous) => {
      const last = state.messageIds.at(-1);
      if (last && state.messages[last] !== previous.messages[last]) requestAnimationFrame(follow);
    });
  }, [ids, store, virtualizer]);

  if (ids.length === 0) return null;
  return (
    <div
      ref={scroller}
      className="message-list"
      onScroll={(e) => {
        const el = e.currentTarget;
        pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM_PX;
      }}
    >
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative', width: '100%' }}>
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
            <MessageItem id={ids[item.index]!} />
          </div>
        ))}
      </div>
    </div>
  );
}
