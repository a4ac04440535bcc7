import { screen, type Rectangle } from 'electron';
import type { SettingsBackend } from '../engine/config/user-settings';

const DEFAULT = { width: 1100, height: 780 };
const KEY_LAST = 'bounds.last';
const keyFor = (conversation: string) => `bounds.byConversation.${conversation}`;

function isRect(value: unknown): value is Rectangle {
  const r = value as Partial<Rectangle> | undefined;
  return [r?.x, r?.y, r?.width, r?.height].every((n) => typeof n === 'number' && Number.isFinite(n));
}

/** Keeps a saved position only if it is still on a connected display. */
function visible(rect: Rectangle): boolean {
  return screen
    .getAllDisplays()
    .some(
      ({ workArea: a }) =>
        rect.x < a.x + a.width &&
        rect.x + rect.width > a.x &&
        rect.y < a.y + a.height &&
        rect.y + rect.height > a.y,
    );
}

/**
 * A window reopens where its conversation's window was; a new window takes the last closed
 * window's size, offset so it does not sit exactly on top of an open one.
 */
export function restoreBounds(
  state: SettingsBackend,
  conversation: string | undefined,
  open: number,
): Partial<Rectangle> & { width: number; height: number } {
  const saved = (conversation && state.get(keyFor(conversation))) || state.get(KEY_LAST);
  if (!isRect(saved) || !visible(saved)) return DEFAULT;
  const offset = conversation ? 0 : open * 24;
  return { ...saved, x: saved.x + offset, y: saved.y + offset };
}

export function saveBounds(state: SettingsBackend, conversation: string | null, bounds: Rectangle): void {
  state.set(KEY_LAST, bounds);
  if (conversation) state.set(keyFor(conversation), bounds);
}
