import { describe, expect, it } from 'vitest';
import { DisposableStore, toDisposable } from './disposable';

describe('toDisposable', () => {
  it('runs its cleanup once, however often it is disposed', () => {
    let runs = 0;
    const disposable = toDisposable(() => runs++);
    expect(runs).toBe(0);
    disposable.dispose();
    disposable.dispose();
    expect(runs).toBe(1);
  });
});

describe('DisposableStore', () => {
  it('disposes everything it holds, newest first, once', () => {
    const order: string[] = [];
    const store = new DisposableStore();
    store.add(toDisposable(() => order.push('shell')));
    store.add(toDisposable(() => order.push('listener on the shell')));
    expect(store.size).toBe(2);
    expect(store.isDisposed).toBe(false);
    store.dispose();
    expect(order).toEqual(['listener on the shell', 'shell']);
    expect(store.isDisposed).toBe(true);
    expect(store.size).toBe(0);
    store.dispose();
    store[Symbol.dispose]();
    expect(order).toHaveLength(2);
  });

  it('releases at once what is registered after it was disposed, and keeps nothing', () => {
    const store = new DisposableStore();
    store.dispose();
    let released = false;
    const item = toDisposable(() => (released = true));
    expect(store.add(item)).toBe(item);
    expect(released).toBe(true);
    expect(store.size).toBe(0);
  });

  it('returns what it was given, so a resource is registered where it is made', () => {
    const store = new DisposableStore();
    const item = { dispose() {}, name: 'shell' };
    expect(store.add(item)).toBe(item);
  });

  it('disposes one item early and forgets it; an item it does not hold is left alone', () => {
    const store = new DisposableStore();
    let early = 0;
    let stranger = 0;
    const item = store.add(toDisposable(() => early++));
    store.delete(toDisposable(() => stranger++));
    expect(stranger).toBe(0);
    expect(store.size).toBe(1);
    store.delete(item);
    expect(early).toBe(1);
    expect(store.size).toBe(0);
    store.dispose();
    expect(early).toBe(1);
  });

  it('one failing cleanup does not stop the others; its error is rethrown as is', () => {
    const store = new DisposableStore();
    let released = 0;
    const failure = new Error('could not kill the shell');
    store.add(toDisposable(() => released++));
    store.add(
      toDisposable(() => {
        throw failure;
      }),
    );
    store.add(toDisposable(() => released++));
    expect(() => store.dispose()).toThrow(failure);
    expect(released).toBe(2);
    expect(store.size).toBe(0);
  });

  it('several failing cleanups are reported together, and every other cleanup still runs', () => {
    const store = new DisposableStore();
    let released = 0;
    const first = new Error('first');
    const second = new Error('second');
    store.add(
      toDisposable(() => {
        throw first;
      }),
    );
    store.add(toDisposable(() => released++));
    store.add(
      toDisposable(() => {
        throw second;
      }),
    );
    let thrown: unknown;
    try {
      store.dispose();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AggregateError);
    expect((thrown as AggregateError).errors).toEqual([second, first]);
    expect((thrown as AggregateError).message).toBe('Several disposables failed');
    expect(released).toBe(1);
  });

  it('disposes with `using`, at the end of a block', () => {
    let released = false;
    {
      using store = new DisposableStore();
      store.add(toDisposable(() => (released = true)));
    }
    expect(released).toBe(true);
  });
});
