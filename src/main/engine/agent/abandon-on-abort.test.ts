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
});
