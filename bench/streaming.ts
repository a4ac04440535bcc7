import { randomUUID } from 'node:crypto';
import OpenAI from 'openai';
import { startScriptedProvider } from '../test/support/scripted-provider';
import { countingSink, createBenchEngine, newTally, type BenchEngine } from './support/engine';
import { progress } from './support/progress';
import type { Scope } from './support/scope';
import { benchModel, replyText } from './support/sse-bodies';
import { startSseChild } from './support/sse-child';
import { median, ratio, round, since } from './support/stats';

const SINGLE = { label: 'one stream', tokens: 20_000, streams: 1, warmups: 3, rounds: 12 };
const CONCURRENT = { label: '50 streams', tokens: 2_000, streams: 50, warmups: 1, rounds: 8 };
const TARGET_RATIO = 0.8;
const PROMPT = 'Stream the benchmark reply, please.';

interface Round {
  ms: number;
  /** CPU time of this process (all threads) during the round: steadier than wall time on a busy machine. */
  cpuMs: number;
}

async function measure(run: () => Promise<void>): Promise<Round> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  await run();
  const ms = since(start);
  const used = process.cpuUsage(cpu);
  return { ms, cpuMs: (used.user + used.system) / 1000 };
}

/** The bare SDK, as an app with no engine would read the stream: create, iterate, count. */
async function sdkStream(client: OpenAI, model: string, signal?: AbortSignal): Promise<number> {
  const stream = await client.chat.completions.create(
    {
      model,
      messages: [{ role: 'user', content: PROMPT }],
      stream: true,
      stream_options: { include_usage: true },
    },
    signal ? { signal } : {},
  );
  let chars = 0;
  for await (const chunk of stream) chars += chunk.choices[0]?.delta?.content?.length ?? 0;
  return chars;
}

/** `streams` SDK streams at once. */
async function sdkRound(client: OpenAI, tokens: number, streams: number): Promise<Round> {
  const expected = replyText(tokens).length;
  let received: number[] = [];
  const round = await measure(async () => {
    received = await Promise.all(
      Array.from({ length: streams }, () => sdkStream(client, benchModel('text', tokens))),
    );
  });
  const wrong = received.find((chars) => chars !== expected);
  if (wrong !== undefined) throw new Error(`the SDK received ${wrong} characters, expected ${expected}`);
  return round;
}

/**
 * `streams` chat turns at once, each in its own context (created beforehand), from chat.send to the
 * turn's end, everything included: the conversation written to disk, the batcher, the sink.
 */
async function engineRound(
  engine: BenchEngine,
  tokens: number,
  streams: number,
): Promise<Round & { setupMs: number }> {
  const expected = replyText(tokens).length;
  const runs = Array.from({ length: streams }, () => {
    const tally = newTally();
    const context = engine.registry.create(`stream-${randomUUID()}`, countingSink(tally));
    context.setChatConfig({ model: benchModel('text', tokens) });
    return { tally, context };
  });
  let start = 0;
  let result: Round;
  try {
    start = performance.now();
    result = await measure(async () => {
      await Promise.all(
        runs.map(async ({ context }) => {
          const { done } = await context.chat.send(PROMPT);
          await done;
        }),
      );
    });
  } finally {
    for (const { context } of runs) context.dispose();
  }
  for (const { tally } of runs) {
    if (tally.turnsFailed) throw new Error(`an engine turn failed: ${tally.lastError}`);
    if (tally.deltaChars !== expected)
      throw new Error(`the sink received ${tally.deltaChars} characters, expected ${expected}`);
  }
  // From chat.send to the assistant message being announced (its request about to go out): the
  // fixed cost of a turn, mostly the conversation's files being created and the user message appended.
  const setupMs = median(runs.map(({ tally }) => (tally.assistantAddedAt ?? Number.NaN) - start));
  return { ...result, setupMs };
}

const r2 = (value: number) => round(value, 2);

async function compare(engine: BenchEngine, client: OpenAI, plan: typeof SINGLE) {
  const { label, tokens, streams, warmups, rounds } = plan;
  progress('streaming', `${label}: ${warmups} warm-up round(s)`);
  for (let i = 0; i < warmups; i++) {
    await sdkRound(client, tokens, streams);
    await engineRound(engine, tokens, streams);
  }
  const sdk: Round[] = [];
  const eng: Array<Round & { setupMs: number }> = [];
  for (let i = 0; i < rounds; i++) {
    // Alternate which goes first, so drift (GC, disk, other load) falls on both alike.
    if (i % 2 === 0) sdk.push(await sdkRound(client, tokens, streams));
    eng.push(await engineRound(engine, tokens, streams));
    if (i % 2 === 1) sdk.push(await sdkRound(client, tokens, streams));
    progress(
      'streaming',
      `${label}: round ${i + 1}/${rounds}: sdk ${r2(sdk.at(-1)!.ms)} ms, engine ${r2(eng.at(-1)!.ms)} ms`,
    );
  }
  const total = tokens * streams;
  const rate = (rs: Round[]) => Math.round(total / (median(rs.map((r) => r.ms)) / 1000));
  const cpuPerToken = (rs: Round[]) => r2((median(rs.map((r) => r.cpuMs)) * 1000) / total);
  // Each engine round against the SDK round run next to it: the machine's other load drifts, and a
  // pair shares it. The median of those pairs is the figure; the ratio of the medians is shown too.
  const paired = median(eng.map((e, i) => sdk[i]!.ms / e.ms));
  const r = round(paired, 3);
  return {
    streams,
    tokensPerStream: tokens,
    engine: {
      what: 'registry.create + chat.send, one turn per context, to a sink counting message.delta text',
      tokensPerSec: rate(eng),
      cpuMicrosPerToken: cpuPerToken(eng),
      medianMs: r2(median(eng.map((x) => x.ms))),
      medianSetupMs: r2(median(eng.map((x) => x.setupMs))),
      roundsMs: eng.map((x) => r2(x.ms)),
    },
    baseline: {
      what: 'openai SDK alone: chat.completions.create(stream: true), iterate the chunks',
      tokensPerSec: rate(sdk),
      cpuMicrosPerToken: cpuPerToken(sdk),
      medianMs: r2(median(sdk.map((x) => x.ms))),
      roundsMs: sdk.map((x) => r2(x.ms)),
    },
    ratio: r,
    ratioOfMedians: ratio(rate(eng), rate(sdk)),
    cpuRatio: ratio(cpuPerToken(sdk), cpuPerToken(eng)),
    target: `engine tokens/s >= ${TARGET_RATIO} × SDK alone (median of paired rounds)`,
    pass: r >= TARGET_RATIO,
  };
}

/**
 * What a turn costs apart from its tokens: 50 one-token turns at once against 50 one-token SDK
 * requests. The engine's share is the conversation written to disk (create, append user, append
 * reply), the system prompt, the tool schemas and a client per turn.
 */
async function fixedCost(engine: BenchEngine, client: OpenAI) {
  const streams = CONCURRENT.streams;
  await sdkRound(client, 1, streams);
  await engineRound(engine, 1, streams);
  const sdk: Round[] = [];
  const eng: Round[] = [];
  for (let i = 0; i < 5; i++) {
    sdk.push(await sdkRound(client, 1, streams));
    eng.push(await engineRound(engine, 1, streams));
  }
  const perTurn = (rs: Round[]) => ({
    wallMs: r2(median(rs.map((r) => r.ms))),
    cpuMsPerTurn: r2(median(rs.map((r) => r.cpuMs)) / streams),
  });
  return { what: `${streams} one-token turns at once`, engine: perTurn(eng), baseline: perTurn(sdk) };
}

/**
 * The price of being cancellable: the SDK given an AbortSignal composes it with its own and reads
 * `aborted` on the composite several times per chunk. The engine passes the turn's signal (turn,
 * window and idle timeout combined); this is the bare SDK with one plain signal, against none.
 */
async function signalCost(client: OpenAI) {
  const model = benchModel('text', SINGLE.tokens);
  const once = async (signal?: AbortSignal) =>
    (await measure(async () => void (await sdkStream(client, model, signal)))).ms;
  await once();
  await once(new AbortController().signal);
  const pairs: number[] = [];
  for (let i = 0; i < 8; i++) {
    const plain = await once();
    const signalled = await once(new AbortController().signal);
    pairs.push(plain / signalled);
  }
  return {
    what: 'the bare SDK with a plain AbortSignal, against the bare SDK without one (tokens/s ratio, median of pairs)',
    ratio: round(median(pairs), 3),
  };
}

/** Why the bench has its own server: the scripted test server, read by the bare SDK. */
async function scriptedServerRate(): Promise<number> {
  const scripted = await startScriptedProvider();
  try {
    const client = new OpenAI({ baseURL: scripted.url, apiKey: 'sk-bench', maxRetries: 0 });
    const text = replyText(SINGLE.tokens);
    const step = { kind: 'stream' as const, text, chunkSize: 4 };
    const rounds: number[] = [];
    for (let i = 0; i < 3; i++) {
      scripted.enqueue(step);
      const start = performance.now();
      await sdkStream(client, 'scripted');
      rounds.push(since(start));
    }
    // It cuts fixed 4-character pieces; count those as the tokens.
    return Math.round(Math.ceil(text.length / 4) / (median(rounds.slice(1)) / 1000));
  } finally {
    await scripted.close();
  }
}

export async function benchStreaming(scope: Scope) {
  const server = await startSseChild(scope);
  const engine = await createBenchEngine(scope, {
    env: { OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'sk-bench' },
    settings: { requestTimeoutMs: 120_000 },
  });
  const client = new OpenAI({ baseURL: server.url, apiKey: 'sk-bench', maxRetries: 0, timeout: 120_000 });
  const single = await compare(engine, client, SINGLE);
  const concurrent = await compare(engine, client, CONCURRENT);
  progress('streaming', 'fixed cost of a turn: 50 one-token turns');
  const perTurn = await fixedCost(engine, client);
  progress('streaming', 'reference: the bare SDK against the scripted test server');
  const scripted = await scriptedServerRate();
  progress('streaming', 'reference: the bare SDK with and without an AbortSignal');
  const withSignal = await signalCost(client);
  return {
    server:
      'bench/support/sse-server.ts in a child process: pre-rendered SSE bodies written whole; 1 chunk = 1 token of 4-6 characters',
    single,
    concurrent,
    fixedCostPerTurn: perTurn,
    reference: {
      sdkWithAbortSignal: withSignal,
      sdkAgainstScriptedTestServerTokensPerSec: scripted,
      note: 'test/support/scripted-provider.ts writes chunk by chunk in the measuring process, so it, not the client, sets the pace',
    },
  };
}
