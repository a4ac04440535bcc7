// `npm run bench [-- SECTION...]`: measurements, never tests. One JSON document on stdout (progress on
// stderr); every figure next to a baseline measured in the same run on the same machine.
import os from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { benchContexts } from './contexts';
import { benchEventLoop } from './event-loop';
import { benchList } from './list';
import { benchRenderer } from './renderer';
import { benchShell } from './shell';
import { benchStreaming } from './streaming';
import { progress } from './support/progress';
import { Scope } from './support/scope';

const SECTIONS = {
  streaming: benchStreaming,
  eventloop: benchEventLoop,
  contexts: benchContexts,
  shell: benchShell,
  list: benchList,
  renderer: benchRenderer,
} satisfies Record<string, (scope: Scope) => Promise<object>>;

type SectionName = keyof typeof SECTIONS;

interface TargetLine {
  figure: string;
  target: string;
  pass: boolean;
}

/** Every `{ target, pass }` in the results, with where it sits, for the summary at the end. */
function collectTargets(value: unknown, at: string, into: TargetLine[]): TargetLine[] {
  if (typeof value !== 'object' || value === null) return into;
  const record = value as Record<string, unknown>;
  if (typeof record.target === 'string' && typeof record.pass === 'boolean') {
    into.push({ figure: at, target: record.target, pass: record.pass });
  }
  for (const [key, child] of Object.entries(record)) collectTargets(child, at ? `${at}.${key}` : key, into);
  return into;
}

function ensureGc(): void {
  if ((globalThis as { gc?: unknown }).gc) return;
  // Started without --expose-gc (not through npm run bench): turn it on late, as V8 allows.
  setFlagsFromString('--expose-gc');
  (globalThis as { gc?: unknown }).gc = runInNewContext('gc');
}

async function main(): Promise<void> {
  const asked = process.argv.slice(2).map((name) => name.toLowerCase().replace(/[^a-z]/g, ''));
  const unknown = asked.filter((name) => !(name in SECTIONS));
  if (unknown.length > 0) {
    process.stderr.write(
      `bench: unknown section(s) ${unknown.join(', ')}; known: ${Object.keys(SECTIONS).join(', ')}\n`,
    );
    process.exitCode = 2;
    return;
  }
  const names = (asked.length ? asked : Object.keys(SECTIONS)) as SectionName[];
  ensureGc();

  const live = new Set<Scope>();
  const interrupt = (signal: NodeJS.Signals) => {
    progress('bench', `${signal}: cleaning up`);
    void Promise.all([...live].map((scope) => scope.close())).finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);

  const startedAt = new Date().toISOString();
  const loadAtStart = Math.round(os.loadavg()[0]! * 100) / 100;
  const results: Record<string, unknown> = {};
  let failed = false;
  for (const name of names) {
    const scope = new Scope();
    live.add(scope);
    const start = performance.now();
    progress(name, 'start');
    try {
      results[name] = await SECTIONS[name](scope);
    } catch (error) {
      failed = true;
      const message = error instanceof Error ? error.message : String(error);
      progress(name, `failed: ${error instanceof Error ? (error.stack ?? message) : message}`);
      results[name] = { error: message };
    } finally {
      await scope.close();
      live.delete(scope);
    }
    progress(name, `done in ${((performance.now() - start) / 1000).toFixed(1)} s`);
  }

  const targets = collectTargets(results, '', []);
  const cpus = os.cpus();
  const report = {
    bench: 'deskmate',
    startedAt,
    machine: {
      node: process.version,
      platform: `${os.platform()} ${os.release()} ${os.arch()}`,
      cpus: cpus.length,
      cpuModel: cpus[0]?.model ?? 'unknown',
      memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
      // Other work on the machine shows in every figure: the 1-minute load average, before and after.
      loadAverage: { atStart: loadAtStart, atEnd: Math.round(os.loadavg()[0]! * 100) / 100 },
    },
    sections: results,
    summary: {
      targets,
      passed: targets.filter((t) => t.pass).length,
      missed: targets.filter((t) => !t.pass).length,
      errors: Object.entries(results)
        .filter(([, result]) => typeof result === 'object' && result !== null && 'error' in result)
        .map(([name]) => name),
    },
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  // A missed target is a finding, not a failure; a section that could not run is.
  if (failed) process.exitCode = 1;
}

await main();
