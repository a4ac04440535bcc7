import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { KeyedQueue } from './keyed-queue';

describe('KeyedQueue', () => {
  it('runs the tasks of one key in order, one at a time', async () => {
    const queue = new KeyedQueue();
    const events: string[] = [];
    const task = (n: number, ms: number) => async () => {
      events.push(`start ${n}`);
      await sleep(ms);
      events.push(`end ${n}`);
      return n;
    };
    const results = await Promise.all([queue.run('a', task(1, 20)), queue.run('a', task(2, 1))]);
    expect(results).toEqual([1, 2]);
    expect(events).toEqual(['start 1', 'end 1', 'start 2', 'end 2']);
  });

  it('lets different keys run at the same time', async () => {
    const queue = new KeyedQueue();
    let inFlight = 0;
    let most = 0;
    const task = async () => {
      inFlight++;
      most = Math.max(most, inFlight);
      await sleep(10);
      inFlight--;
    };
    await Promise.all([queue.run('a', task), queue.run('b', task)]);
    expect(most).toBe(2);
  });

  it('goes on after a failed task and forgets idle keys', async () => {
    const queue = new KeyedQueue();
    const failed = queue.run('a', () => Promise.reject(new Error('boom')));
    const next = queue.run('a', async () => 'ok');
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ok');
    await sleep(0);
    expect(queue.size).toBe(0);
  });
});

describe('KeyedQueue, while busy', () => {
  it('counts a key while its work runs, and keeps order for work queued after an earlier task ended', async () => {
    const queue = new KeyedQueue();
    const events: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const first = queue.run('a', async () => void events.push('first'));
    const second = queue.run('a', async () => {
      events.push('second starts');
      await held;
      events.push('second ends');
    });
    expect(queue.size).toBe(1);
    await first;
    await sleep(0);
    // The first task's end must not forget the key while the second still runs.
    const third = queue.run('a', async () => void events.push('third'));
    await sleep(0);
    expect(events).toEqual(['first', 'second starts']);
    release();
    await Promise.all([second, third]);
    expect(events).toEqual(['first', 'second starts', 'second ends', 'third']);
    await sleep(0);
    expect(queue.size).toBe(0);
  });
});
