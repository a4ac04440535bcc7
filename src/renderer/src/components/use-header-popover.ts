import { useEffect, useId, useRef, useState, type KeyboardEvent, type SyntheticEvent } from 'react';

const MARGIN = 8;

interface Placement {
  /** Which edge of the button the panel lines up with. */
  align: 'left' | 'right';
  /** The panel's width before it was first shown (it has none until then). */
  width: number;
}

/** Under the button, lined up with one of its edges, and inside the window. */
function placePanel(button: HTMLElement | null, panel: HTMLElement | null, { align, width }: Placement) {
  const rect = button?.getBoundingClientRect();
  if (!rect || !panel) return;
  const actual = panel.offsetWidth || width;
  const wanted = align === 'left' ? rect.left : rect.right - actual;
  panel.style.top = `${rect.bottom + 6}px`;
  panel.style.left = `${Math.max(MARGIN, Math.min(wanted, window.innerWidth - actual - MARGIN))}px`;
}

/**
 * A header button and the popover it opens (the top layer, so nothing in the header clips it):
 * placed under the button, kept inside the window, placed again while open when the header changes
 * size (the sidebar closes in a narrow window, rows wrap), and closed by Esc with the focus back on
 * the button. One copy for every such control, so they all behave alike.
 */
export function useHeaderPopover({
  align,
  width,
  onOpen,
}: Placement & {
  /** Once open, e.g. to move the focus into the panel. */
  onOpen?: (panel: HTMLDivElement) => void;
}) {
  const buttonRef = useRef<HTMLButtonElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const panelId = useId();
  const [open, setOpen] = useState(false);

  useEffect(() => {
    if (!open) return;
    const place = () => placePanel(buttonRef.current, panelRef.current, { align, width });
    place();
    // The header's size changes after the window's: placing on `resize` alone would use where the
    // button was a moment before.
    const header = buttonRef.current?.closest('header') ?? document.body;
    const observer = new ResizeObserver(place);
    observer.observe(header);
    window.addEventListener('resize', place);
    return () => {
      observer.disconnect();
      window.removeEventListener('resize', place);
    };
  }, [open, align, width]);

  const close = () => {
    panelRef.current?.hidePopover();
    buttonRef.current?.focus();
  };
  /** On the element holding both: Esc closes the panel, and only the panel (the window's Esc stops the turn). */
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'Escape' || !panelRef.current?.matches(':popover-open')) return;
    e.stopPropagation();
    e.preventDefault();
    close();
  };
  const onBeforeToggle = (e: SyntheticEvent) => {
    if ((e as unknown as ToggleEvent).newState === 'open')
      placePanel(buttonRef.current, panelRef.current, { align, width });
  };
  const onToggle = (e: SyntheticEvent) => {
    const opened = (e as unknown as ToggleEvent).newState === 'open';
    setOpen(opened);
    if (opened && panelRef.current) onOpen?.(panelRef.current);
  };
  return {
    buttonRef,
    panelRef,
    panelId,
    close,
    onKeyDown,
    /** Spread on the panel, beside `ref={panelRef}`. */
    panelProps: { id: panelId, popover: 'auto' as const, onBeforeToggle, onToggle },
  };
}
