import type { EventName } from '../src/shared/contract';
import { createBenchEngine } from './support/engine';
import { progress } from './support/progress';
import type { Scope } from './support/scope';
import { collectGarbage, median, sleep, summarize } from './support/stats';

const WARMUP = 100;
const ITERATIONS = 1_000;
const MEMORY_CONTEXTS = 200;

const noSink = <E extends EventName>(_name: E, _payload: unknown) => undefined;

const MEMORY_CYCLES = 3;

/**
 * The heap after a full gc, once it has stopped shrinking: what earlier sections left (sockets in
 * their keep-alive timeout, finalizers) is freed over a few ticks, and would otherwise show up as a
 * negative cost per context.
 */
async function settledHeap(): Promise<number> {
  let previous = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 30; i++) {
    collectGarbage();
    const used = process.memoryUsage().heapUsed;
    if (Math.abs(previous - used) < 16 * 1024) return used;
    previous = used;
    await sleep(100);
  }
  return previous;
}

export async function benchContexts(scope: Scope) {
  const engine = await createBenchEngine(scope);
  const { registry } = engine;

  progress('contexts', `create + dispose × ${ITERATIONS}`);
  const createUs: number[] = [];
  const disposeUs: number[] = [];
  for (let i = 0; i < WARMUP + ITERATIONS; i++) {
    const t0 = performance.now();
    const context = registry.create(`ctx-${i}`, noSink);
    const t1 = performance.now();
    context.dispose();
    const t2 = performance.now();
    if (i >= WARMUP) {
      createUs.push((t1 - t0) * 1000);
      disposeUs.push((t2 - t1) * 1000);
    }
  }
  if (registry.size !== 0) throw new Error(`${registry.size} contexts outlived their dispose`);

  progress('contexts', `memory: ${MEMORY_CONTEXTS} contexts, each with a workspace open`);
  const workspace = await scope.tempDir('ws');
  const openMany = async (label: string, into?: number[]) => {
    for (let i = 0; i < MEMORY_CONTEXTS; i++) {
      const context = registry.create(`${label}-${i}`, noSink);
      const t0 = performance.now();
      await context.openWorkspace(workspace);
      into?.push((performance.now() - t0) * 1000);
    }
  };
  // One cycle first, so code compiled and caches filled on first use are not counted as per-context.
  await openMany('warm');
  registry.dispose();
  const openUs: number[] = [];
  const perContext: number[] = [];
  const leftPerContext: number[] = [];
  for (let cycle = 0; cycle < MEMORY_CYCLES; cycle++) {
    const before = await settledHeap();
    await openMany(`mem${cycle}`, openUs);
    const loaded = await settledHeap();
    registry.dispose();
    const after = await settledHeap();
    perContext.push((loaded - before) / MEMORY_CONTEXTS);
    leftPerContext.push((after - before) / MEMORY_CONTEXTS);
  }
  if (registry.size !== 0) throw new Error(`${registry.size} contexts outlived their dispose`);
  if (engine.settings.listenerCount !== 0)
    throw new Error(`${engine.settings.listenerCount} settings listeners outlived their contexts`);

  return {
    create: { ...summarize(createUs, 1), unit: 'µs' },
    dispose: { ...summarize(disposeUs, 1), unit: 'µs' },
    openWorkspace: {
      ...summarize(openUs, 1),
      unit: 'µs',
      note: 'realpath, stat, project files, recent list',
    },
    memory: {
      contexts: MEMORY_CONTEXTS,
      heapBytesPerContext: Math.round(median(perContext)),
      cyclesBytesPerContext: perContext.map(Math.round),
      heapBytesLeftPerContextAfterDispose: Math.round(median(leftPerContext)),
      note: `median of ${MEMORY_CYCLES} cycles of heap deltas after a full gc; a shell starts only with the first command, so none is counted; a few hundred bytes either way is noise`,
    },
    baseline: null,
    baselineNote:
      'no natural floor to compare with; tracked for regressions (a leak shows in heapBytesLeftPerContextAfterDispose)',
  };
}
