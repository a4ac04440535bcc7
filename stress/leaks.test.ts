// Create / use / dispose cycles against one long-lived engine, as a host sees windows come and go:
// afterwards no process, handle, listener, claim or context may be left, and the heap is back
// near where it started. Run with --expose-gc (the vitest project sets it).
import { realpath } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { createChatEngine, groupAlive } from '../test/support/engine';
import { processesInside } from '../test/support/process-scan';
import { startScriptedProvider } from '../test/support/scripted-provider';
import { tempDir } from '../test/support/temp-dir';
import { leakModel, modeOf, runCycle, type CycleResult } from './leak-cycle';
import { stressOptions } from './stress-options';
import { sleep } from './timing';

const { cycles } = stressOptions();
/** Cycles in flight at once: windows opening while others close, and a shorter run. */
const CONCURRENCY = 4;
/** Cycles run before the baseline is taken, so lazy one-time setup is not counted as a leak. */
const WARM_UP = 20;
const HEAP_BOUND_MB = 20;
/**
 * Idle keep-alive connections to the scripted server (both ends of each) may be open at either
 * measurement: fetch pools them per origin and closes them after a few idle seconds. Their number
 * depends on how many requests overlapped, not on how many cycles ran; a leak per cycle would
 * show as hundreds of handles.
 */
const HANDLE_TOLERANCE = 2 * CONCURRENCY;

async function runAll(count: number, first: number, run: (cycle: number) => Promise<CycleResult>) {
  const results: CycleResult[] = [];
  let next = first;
  const worker = async () => {
    while (next < first + count) results.push(await run(next++));
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return results;
}

/** Resources by type, e.g. { TCPSocketWrap: 2, Timeout: 1 }: what to look at when a count differs. */
function resources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

/** heapUsed after full collections. */
async function settledHeapMB(gc: () => void): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc();
    await sleep(20);
  }
  return process.memoryUsage().heapUsed / 2 ** 20;
}

it(
  `${cycles} create / use / dispose cycles leave no process, handle or listener behind`,
  { timeout: 60_000 + cycles * 100 },
  async () => {
    const gc = globalThis.gc;
    if (!gc) throw new Error('run with --expose-gc: the stress project of vitest.config.ts sets it');
    const provider = await startScriptedProvider({ respond: leakModel });
    try {
      const engine = await createChatEngine(provider, { requestTimeoutMs: 10_000 });
      const root = await realpath(await tempDir('deskmate-leak-'));
      const run = (cycle: number) => runCycle(engine, root, cycle);

      // The scripted server keeps every request it got (for tests that inspect them): that is the
      // fake's memory, not the engine's, so it is emptied before each heap measurement.
      const forgetRequests = () => provider.requests.splice(0);

      await runAll(WARM_UP, 0, run);
      await sleep(100);
      forgetRequests();
      const handlesStart = process.getActiveResourcesInfo().length;
      const resourcesStart = resources();
      const heapStart = await settledHeapMB(gc);

      const started = performance.now();
      const results = await runAll(cycles, WARM_UP, run);
      const ms = Math.round(performance.now() - started);

      await sleep(200); // SIGKILL is delivered asynchronously
      const pids = results.flatMap((result) => (result.shellPid ? [result.shellPid] : []));
      const liveGroups = pids.filter((pid) => groupAlive(pid));
      const liveInWorkspaces = processesInside(root);
      const handlesEnd = process.getActiveResourcesInfo().length;
      const resourcesEnd = resources();
      forgetRequests();
      const heapEnd = await settledHeapMB(gc);
      const outcomes: Record<string, number> = {};
      for (const { outcome } of results) outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      const figures = {
        cycles: results.length,
        ms,
        shells: pids.length,
        outcomes,
        handlesStart,
        handlesEnd,
        heapStartMB: Number(heapStart.toFixed(1)),
        heapEndMB: Number(heapEnd.toFixed(1)),
        contexts: engine.registry.size,
        conversationOwners: engine.services.owners.size,
        settingsListeners: engine.settings.listenerCount,
      };
      console.log(JSON.stringify(figures));
      if (handlesEnd !== handlesStart) console.log('resources', { start: resourcesStart, end: resourcesEnd });

      // Each cycle ended the way its mode says, and all but those closed while the call waited
      // for approval started a shell.
      const modes = Array.from({ length: cycles }, (_, i) => modeOf(WARM_UP + i));
      const count = (mode: string) => modes.filter((m) => m === mode).length;
      expect(outcomes).toEqual({
        stop: count('approve'),
        interrupted: count('interrupt'),
        closed: count('close-waiting') + count('close-running'),
      });
      expect(pids.length).toBe(cycles - count('close-waiting'));
      expect(liveGroups).toEqual([]);
      expect(liveInWorkspaces).toEqual([]);
      expect(handlesEnd).toBeLessThanOrEqual(handlesStart + HANDLE_TOLERANCE);
      expect(heapEnd - heapStart).toBeLessThan(HEAP_BOUND_MB);
      expect(engine.registry.size).toBe(0);
      expect(engine.services.owners.size).toBe(0);
      expect(engine.settings.listenerCount).toBe(0);
    } finally {
      await provider.close();
    }
  },
);
