import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { mapConcurrent } from './map-concurrent';

describe('mapConcurrent', () => {
  it('keeps results in input order with at most `limit` calls in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const items = Array.from({ length: 40 }, (_, i) => i);
    const results = await mapConcurrent(items, 5, async (n) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await sleep(n % 3);
      inFlight--;
      return n * 2;
    });
    expect(results).toEqual(items.map((n) => n * 2));
    expect(most).toBe(5);
  });

  it('handles an empty list', async () => {
    expect(await mapConcurrent([], 8, async () => 1)).toEqual([]);
  });
});
