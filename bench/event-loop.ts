import { monitorEventLoopDelay, type ELDHistogram } from 'node:perf_hooks';
import type { WindowContext } from '../src/main/engine/context/window-context';
import {
  countingSink,
  createBenchEngine,
  newTally,
  type BenchEngine,
  type EventTally,
} from './support/engine';
import { progress } from './support/progress';
import type { Scope } from './support/scope';
import { benchModel, replyText } from './support/sse-bodies';
import { startSseChild } from './support/sse-child';
import { ratio, round, sleep } from './support/stats';

const CONTEXTS = 50;
const REPLY_TOKENS = 500;
/** A fast model's pace per stream; 50 of them make 10,000 tokens/s for the process. */
const PACED_TOKENS_PER_SEC = 200;
const DURATION_MS = 10_000;
/** The histogram's timer interval: each sample is the time between two of its ticks. */
const RESOLUTION_MS = 1;
const TARGET_P99_MS = 20;

function histogramMs(histogram: ELDHistogram) {
  const ms = (ns: number) => round(ns / 1e6, 2);
  return {
    samples: histogram.count,
    p50Ms: ms(histogram.percentile(50)),
    p99Ms: ms(histogram.percentile(99)),
    maxMs: ms(histogram.max),
    meanMs: ms(histogram.mean),
  };
}

async function recordWhile(run: () => Promise<void>) {
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  try {
    // The histogram's first sample needs a tick: work started in the same tick would go unrecorded.
    await sleep(20);
    await run();
  } finally {
    histogram.disable();
  }
  return histogramMs(histogram);
}

type Counted = 'turnsCompleted' | 'turnsFailed' | 'toolsCompleted' | 'toolsFailed' | 'deltaChars';
const sum = (tallies: EventTally[], key: Counted) => tallies.reduce((total, tally) => total + tally[key], 0);

/** CONTEXTS contexts on one workspace, each turn auto-approved: shell `echo x`, then the reply. */
async function openContexts(engine: BenchEngine, workspace: string, label: string, model: string) {
  const tallies: EventTally[] = [];
  const contexts: WindowContext[] = [];
  for (let i = 0; i < CONTEXTS; i++) {
    const tally = newTally();
    const context = engine.registry.create(`${label}-${i}`, countingSink(tally));
    await context.openWorkspace(workspace);
    context.setChatConfig({ autoApprove: 'always', model });
    tallies.push(tally);
    contexts.push(context);
  }
  return { tallies, contexts };
}

async function turn(context: WindowContext): Promise<void> {
  const { done } = await context.chat.send('Run the command, then answer.');
  await done;
}

/** Every context runs turns back to back for DURATION_MS (the last ones finish after, unrecorded). */
async function underLoad(engine: BenchEngine, workspace: string, label: string, tokensPerSec?: number) {
  const { tallies, contexts } = await openContexts(
    engine,
    workspace,
    label,
    benchModel('tool', REPLY_TOKENS, tokensPerSec),
  );
  // The first turn of each starts its shell: measured apart, it is a burst of 50 spawns.
  const firstTurns = await recordWhile(async () => {
    await Promise.all(contexts.map(turn));
  });
  const before = { turns: sum(tallies, 'turnsCompleted'), chars: sum(tallies, 'deltaChars') };
  let stop = false;
  let running: Promise<unknown> = Promise.resolve();
  const load = await recordWhile(async () => {
    running = Promise.all(
      contexts.map(async (context) => {
        while (!stop) await turn(context);
      }),
    );
    await sleep(DURATION_MS);
    stop = true;
  });
  await running;
  for (const context of contexts) context.dispose();
  const failed = sum(tallies, 'turnsFailed');
  if (failed > 0) {
    const error = tallies.find((t) => t.lastError)?.lastError;
    throw new Error(`${failed} turns failed, the last with: ${error}`);
  }
  const replies = (sum(tallies, 'deltaChars') - before.chars) / replyText(REPLY_TOKENS).length;
  return {
    load: {
      ...load,
      durationMs: DURATION_MS,
      turns: sum(tallies, 'turnsCompleted') - before.turns,
      toolCalls: sum(tallies, 'toolsCompleted'),
      toolFailures: sum(tallies, 'toolsFailed'),
      streamedTokensPerSec: Math.round((replies * REPLY_TOKENS) / (DURATION_MS / 1000)),
    },
    firstTurns,
  };
}

export async function benchEventLoop(scope: Scope) {
  const server = await startSseChild(scope);
  const engine = await createBenchEngine(scope, {
    env: { OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'sk-bench' },
    settings: { requestTimeoutMs: 60_000, shellTimeoutMs: 60_000 },
  });
  const workspace = await scope.tempDir('ws');

  progress(
    'eventloop',
    `${CONTEXTS} contexts, replies paced at ${PACED_TOKENS_PER_SEC} tokens/s each, ${DURATION_MS / 1000} s`,
  );
  const paced = await underLoad(engine, workspace, 'paced', PACED_TOKENS_PER_SEC);
  progress('eventloop', `${CONTEXTS} contexts, replies at full speed, ${DURATION_MS / 1000} s`);
  const full = await underLoad(engine, workspace, 'full');
  progress('eventloop', `idle baseline for ${DURATION_MS / 1000} s`);
  await sleep(500);
  const idle = await recordWhile(() => sleep(DURATION_MS));

  const figure = (what: string, result: Awaited<ReturnType<typeof underLoad>>) => ({
    what,
    ...result.load,
    ratioP99: ratio(result.load.p99Ms, idle.p99Ms),
    target: `p99 < ${TARGET_P99_MS} ms`,
    pass: result.load.p99Ms < TARGET_P99_MS,
  });
  return {
    what: `${CONTEXTS} contexts in this process, each running turns back to back: shell \`echo x\` (auto-approved), then a ${REPLY_TOKENS}-token streamed reply`,
    histogram: `perf_hooks.monitorEventLoopDelay, resolution ${RESOLUTION_MS} ms; figures are the time between ticks, the ${RESOLUTION_MS} ms interval included`,
    paced: figure(
      `replies paced at ${PACED_TOKENS_PER_SEC} tokens/s per stream, as a fast provider sends them`,
      paced,
    ),
    fullSpeed: figure('replies written whole by the server: the process saturated', full),
    baseline: { what: 'the same process idle for the same duration', ...idle },
    firstTurns: {
      what: 'the first turn of the 50 contexts at once (each spawns its shell), before each run above',
      paced: paced.firstTurns,
      fullSpeed: full.firstTurns,
    },
  };
}
