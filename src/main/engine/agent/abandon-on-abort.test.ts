import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { bounded } from '../../../../test/support/bounded';
import { abandonOnAbort } from './abandon-on-abort';

const abandoned = () => new Error('abandoned');
const never = () => new Promise<string>(() => undefined);

describe('abandonOnAbort', () => {
  it('settles like the work while the signal is live', async () => {
    const signal = new AbortController().signal;
    await expect(abandonOnAbort(Promise.resolve('done'), signal, { graceMs: 10, abandoned })).resolves.toBe(
      'done',
    );
    await expect(
      abandonOnAbort(Promise.reject(new Error('failed')), signal, { graceMs: 10, abandoned }),
    ).rejects.toThrow('failed');
  });

  it('never gives up on slow work while the signal is live', async () => {
    const slow = new Promise<string>((resolve) => setTimeout(() => resolve('slow but done'), 50));
    await expect(abandonOnAbort(slow, new AbortController().signal, { graceMs: 1, abandoned })).resolves.toBe(
      'slow but done',
    );
  });

  it('lets work that stops on the signal answer for itself within the grace period', async () => {
    const controller = new AbortController();
    const work = new Promise<string>((resolve) =>
      controller.signal.addEventListener('abort', () => setTimeout(() => resolve('partial output'), 20)),
    );
    const raced = abandonOnAbort(work, controller.signal, { graceMs: 1_000, abandoned });
    controller.abort();
    await expect(raced).resolves.toBe('partial output');
  });

  it('gives up on work that never settles once the signal is aborted', async () => {
    const controller = new AbortController();
    const raced = abandonOnAbort(never(), controller.signal, { graceMs: 10, abandoned });
    controller.abort();
    await expect(bounded(raced, 5_000, 'abandoning stuck work')).rejects.toThrow('abandoned');
  });

  it('gives up as well when the signal was aborted before the work started', async () => {
    const controller = new AbortController();
    controller.abort();
    const raced = abandonOnAbort(never(), controller.signal, { graceMs: 10, abandoned });
    await expect(bounded(raced, 5_000, 'abandoning stuck work')).rejects.toThrow('abandoned');
  });

  it('lets go of the signal once the work settles: a turn runs many tools on one signal', async () => {
    const signal = new AbortController().signal;
    for (const work of [Promise.resolve('ok'), Promise.reject(new Error('failed'))]) {
      const raced = abandonOnAbort(work, signal, { graceMs: 10, abandoned });
      expect(getEventListeners(signal, 'abort')).toHaveLength(1);
      await raced.catch(() => undefined);
      expect(getEventListeners(signal, 'abort')).toHaveLength(0);
    }
  });
});
