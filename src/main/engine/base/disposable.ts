export interface Disposable {
  dispose(): void;
}

/** Wraps a cleanup function; calling dispose twice runs it once. */
export function toDisposable(cleanup: () => void): Disposable {
  let done = false;
  return {
    dispose() {
      if (done) return;
      done = true;
      cleanup();
    },
  };
}

/**
 * Owns a set of disposables and disposes them together, newest first, so a resource registered
 * after another (a listener on a shell, say) goes before the thing it depends on.
 */
export class DisposableStore implements Disposable {
  readonly #items = new Set<Disposable>();
  #disposed = false;

  get size(): number {
    return this.#items.size;
  }

  get isDisposed(): boolean {
    return this.#disposed;
  }

  add<T extends Disposable>(item: T): T {
    if (this.#disposed) {
      // Registering on a dead owner would leak: release it at once instead.
      item.dispose();
      return item;
    }
    this.#items.add(item);
    return item;
  }

  /** Disposes one item early and forgets it. */
  delete(item: Disposable): void {
    if (this.#items.delete(item)) item.dispose();
  }

  dispose(): void {
    // Stryker disable next-line ConditionalExpression: a second pass finds the set already empty
    if (this.#disposed) return;
    this.#disposed = true;
    const errors: unknown[] = [];
    for (const item of [...this.#items].reverse()) {
      try {
        item.dispose();
      } catch (error) {
        errors.push(error);
      }
    }
    this.#items.clear();
    if (errors.length === 1) throw errors[0];
    // Stryker disable next-line EqualityOperator: a single error was thrown as is on the line above
    if (errors.length > 1) throw new AggregateError(errors, 'Several disposables failed');
  }

  [Symbol.dispose](): void {
    this.dispose();
  }
}
