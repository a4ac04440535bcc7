/**
 * Holds a window's events while it draws itself from a snapshot (a load, a reload), then lets them
 * through in the order they came. Without it, an event that arrives while the snapshot is on its
 * way is applied to the old view and wiped by the snapshot: text streamed in that gap is lost.
 */
export class EventGate {
  #holds = 0;
  #queue: Array<() => void> = [];

  deliver(apply: () => void): void {
    if (this.#holds > 0) this.#queue.push(apply);
    else apply();
  }

  /** Holds events until the returned function is called (once; later calls do nothing). */
  hold(): () => void {
    this.#holds++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (--this.#holds > 0) return;
      const queued = this.#queue;
      this.#queue = [];
      for (const apply of queued) apply();
    };
  }
}
