import type { Disposable } from './disposable';

export interface Throttle extends Disposable {
  /** Runs the action now if it has not run in the last `ms`, else once when they are up. */
  schedule(): void;
}

/**
 * At most one run per `ms`, the first at once and the last never lost: a burst (a streaming turn
 * recording message after message) becomes one run now and one at its end. Disposing drops a
 * run still waiting, so a closed window keeps no timer.
 */
export function throttle(action: () => void, ms: number): Throttle {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pending = false;
  let disposed = false;
  const open = () => {
    timer = undefined;
    if (!pending || disposed) return;
    pending = false;
    action();
    timer = setTimeout(open, ms);
  };
  return {
    schedule() {
      if (disposed) return;
      if (timer) {
        pending = true;
        return;
      }
      action();
      timer = setTimeout(open, ms);
    },
    dispose() {
      disposed = true;
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
