import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { throttle } from './throttle';

describe('throttle', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs the first call at once and a burst after it once, when the interval is up', () => {
    const action = vi.fn();
    const t = throttle(action, 1000);
    t.schedule();
    expect(action).toHaveBeenCalledTimes(1);
    for (let i = 0; i < 50; i++) t.schedule();
    expect(action).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1000);
    expect(action).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(5000);
    expect(action).toHaveBeenCalledTimes(2);
    t.schedule();
    expect(action).toHaveBeenCalledTimes(3);
  });

  it('a single call runs once: nothing is left to run when the interval is up', () => {
    const action = vi.fn();
    const t = throttle(action, 1000);
    t.schedule();
    vi.advanceTimersByTime(5000);
    expect(action).toHaveBeenCalledTimes(1);
  });

  it('drops a waiting run and keeps no timer once disposed', () => {
    const action = vi.fn();
    const t = throttle(action, 1000);
    t.schedule();
    t.schedule();
    t.dispose();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(5000);
    t.schedule();
    expect(action).toHaveBeenCalledTimes(1);
  });
});
