import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';

/** Within this distance of the end, the user is "at the bottom" and the view follows. */
const AT_BOTTOM_PX = 32;
/** A scroll this soon after the user's own input (wheel, key, touch, scrollbar) is theirs. */
const USER_INPUT_MS = 600;
const UP_KEYS = new Set(['ArrowUp', 'PageUp', 'Home']);

function scrollToEnd(el: HTMLElement): void {
  el.scrollTop = el.scrollHeight;
}

export interface FollowBottom {
  /** For the scrolling element and the element inside it that holds the content. */
  scroller: React.RefObject<HTMLDivElement | null>;
  content: React.RefObject<HTMLDivElement | null>;
  /** The user scrolled away from the end: the view no longer follows. */
  away: boolean;
  /** Something arrived below while the user was away. */
  unseen: boolean;
  /** Back to the end, following again (the button; a message the user sent). */
  follow(): void;
  /** Back to the end if still following (content changed). */
  stick(): void;
  handlers: {
    onScroll(): void;
    onWheel(e: { deltaY: number }): void;
    onKeyDown(e: { key: string; shiftKey: boolean; target: EventTarget }): void;
    onTouchMove(): void;
    onPointerDown(e: { target: EventTarget; currentTarget: EventTarget }): void;
  };
}

/**
 * Keeps a scroller at its end while the user is there, however its content grows (new messages,
 * streamed text, code and tables measured after render), and leaves it alone once the user
 * scrolls up. Only the user's own input stops the following: the virtualizer corrects scrollTop
 * when it measures items above, and those programmatic scrolls must not count as "scrolled up".
 */
export function useFollowBottom(): FollowBottom {
  const scroller = useRef<HTMLDivElement>(null);
  const content = useRef<HTMLDivElement>(null);
  const following = useRef(true);
  const userInputAt = useRef(-Infinity);
  const dragging = useRef(false);
  const [away, setAway] = useState(false);
  const [unseen, setUnseen] = useState(false);

  const setFollowing = useCallback((follow: boolean) => {
    following.current = follow;
    setAway(!follow);
    if (follow) setUnseen(false);
  }, []);

  const stick = useCallback(() => {
    const el = scroller.current;
    if (el && following.current) scrollToEnd(el);
  }, []);

  // Every render (a message added, the list's size changed) ends at the bottom before it is painted.
  useLayoutEffect(stick);

  useEffect(() => {
    const el = scroller.current;
    const inner = content.current;
    if (!el || !inner || typeof ResizeObserver === 'undefined') return;
    let lastHeight = inner.getBoundingClientRect().height;
    const observer = new ResizeObserver(() => {
      const height = inner.getBoundingClientRect().height;
      if (!following.current && height > lastHeight) setUnseen(true);
      lastHeight = height;
      stick();
    });
    // The content grows (streaming, late measurements); the viewport shrinks (composer, status line).
    observer.observe(inner);
    observer.observe(el);
    const release = () => (dragging.current = false);
    window.addEventListener('pointerup', release);
    return () => {
      observer.disconnect();
      window.removeEventListener('pointerup', release);
    };
  }, [stick]);

  const userMoved = () => (userInputAt.current = performance.now());

  return {
    scroller,
    content,
    stick,
    away,
    unseen,
    follow: () => {
      setFollowing(true);
      stick();
    },
    handlers: {
      onScroll: () => {
        const el = scroller.current;
        if (!el) return;
        const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight <= AT_BOTTOM_PX;
        const byUser = dragging.current || performance.now() - userInputAt.current < USER_INPUT_MS;
        if (atBottom) {
          if (!following.current) setFollowing(true);
        } else if (following.current) {
          // Not the user: the virtualizer correcting its estimates. Back to the end.
          if (byUser) setFollowing(false);
          else stick();
        }
      },
      onWheel: (e) => {
        userMoved();
        // Decided now, not on the scroll event: a resize in the same frame would pull the view back.
        if (e.deltaY < 0 && following.current) setFollowing(false);
      },
      onKeyDown: (e) => {
        // Keys typed into a field inside a message (editing a tool call) move its caret, not the view.
        if (e.target instanceof HTMLElement && e.target.closest('input, textarea, select')) return;
        userMoved();
        if ((UP_KEYS.has(e.key) || (e.key === ' ' && e.shiftKey)) && following.current) setFollowing(false);
      },
      onTouchMove: userMoved,
      onPointerDown: (e) => {
        // On the scroller itself rather than a message: its scrollbar.
        if (e.target === e.currentTarget) {
          dragging.current = true;
          userMoved();
        }
      },
    },
  };
}
