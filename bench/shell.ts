import { spawn } from 'node:child_process';
import { BashSession } from '../src/main/engine/tools/shell-session';
import { progress } from './support/progress';
import type { Scope } from './support/scope';
import { ratio, round, summarize } from './support/stats';

const WARMUP = 100;
const BLOCKS = 20;
const PER_BLOCK = 100;
const MARK = '__BENCH_MARK__';

/** One bash on a pipe, as lean as a persistent shell gets: write `true; echo MARK`, wait for MARK. */
function rawBash(cwd: string, env: Record<string, string>) {
  const child = spawn('bash', ['--noprofile', '--norc'], { cwd, env, stdio: ['pipe', 'pipe', 'inherit'] });
  child.stdout.setEncoding('utf8');
  let buffer = '';
  let waiting: (() => void) | undefined;
  child.stdout.on('data', (text: string) => {
    buffer += text;
    if (waiting && buffer.includes(`${MARK}\n`)) {
      buffer = '';
      const done = waiting;
      waiting = undefined;
      done();
    }
  });
  return {
    child,
    run: () =>
      new Promise<void>((resolve) => {
        waiting = resolve;
        child.stdin.write(`true; echo ${MARK}\n`);
      }),
  };
}

export async function benchShell(scope: Scope) {
  const cwd = await scope.tempDir('shell');
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
  const session = new BashSession({ cwd, env });
  scope.defer(() => session.dispose());
  const raw = rawBash(cwd, env);
  scope.track(raw.child);
  const signal = new AbortController().signal;
  const options = { signal, timeoutMs: 10_000, onOutput: () => undefined };

  const engineRun = async () => {
    const result = await session.run('true', options);
    if (result.exitCode !== 0) throw new Error(`\`true\` exited with ${result.exitCode}`);
  };
  progress('shell', `warm-up, then ${BLOCKS * PER_BLOCK} runs each, in alternating blocks of ${PER_BLOCK}`);
  for (let i = 0; i < WARMUP; i++) {
    await engineRun();
    await raw.run();
  }
  const engineMs: number[] = [];
  const rawMs: number[] = [];
  const time = async (run: () => Promise<void>, into: number[]) => {
    for (let i = 0; i < PER_BLOCK; i++) {
      const start = performance.now();
      await run();
      into.push(performance.now() - start);
    }
  };
  for (let block = 0; block < BLOCKS; block++) {
    // Alternating blocks: drift from other load on the machine falls on both alike.
    if (block % 2 === 0) await time(engineRun, engineMs);
    await time(raw.run, rawMs);
    if (block % 2 === 1) await time(engineRun, engineMs);
  }
  const engine = summarize(engineMs);
  const baseline = summarize(rawMs);
  const limit = 2 * baseline.mean + 1;
  return {
    engine: {
      what: "BashSession.run('true'): eval, exit-code and cwd marker line, through the persistent bash",
      ...engine,
      unit: 'ms',
    },
    baseline: { what: 'one bash on a pipe: write `true; echo MARK`, wait for MARK', ...baseline, unit: 'ms' },
    ratio: ratio(engine.mean, baseline.mean),
    target: `engine mean <= 2 × raw mean + 1 ms (${round(limit, 3)} ms)`,
    pass: engine.mean <= limit,
  };
}
