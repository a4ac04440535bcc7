import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Page } from '@playwright/test';
import playwrightConfig from '../playwright.config';
import { startHost } from './support/host';
import { REPO_ROOT } from './support/paths';
import { progress } from './support/progress';
import type { Scope } from './support/scope';
import { benchModel, replyText } from './support/sse-bodies';
import { startSseChild } from './support/sse-child';
import { ratio, round } from './support/stats';

const REPLY_TOKENS = 20_000;
const TARGET_P95_MS = 20;
const RENDERER = path.join(REPO_ROOT, 'out/renderer/index.html');

/**
 * Installed in the page before the prompt is sent: a requestAnimationFrame loop recording the time
 * between frames, and a PerformanceObserver for long tasks (main-thread work over 50 ms).
 */
const RECORDER = `(() => {
  const state = { frames: [], longTasks: [], running: true, startedAt: performance.now() };
  let last = performance.now();
  const tick = (now) => {
    state.frames.push(now - last);
    last = now;
    if (state.running) requestAnimationFrame(tick);
  };
  requestAnimationFrame((now) => { last = now; requestAnimationFrame(tick); });
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) state.longTasks.push(entry.duration);
  });
  observer.observe({ type: 'longtask' });
  window.__benchRecorder = {
    stop() {
      state.running = false;
      observer.disconnect();
      return { frames: state.frames, longTasks: state.longTasks, ms: performance.now() - state.startedAt };
    },
  };
})()`;

interface Recording {
  frames: number[];
  longTasks: number[];
  ms: number;
}

function frameStats(recording: Recording) {
  const sorted = [...recording.frames].sort((a, b) => a - b);
  const at = (p: number) =>
    round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN, 2);
  return {
    durationMs: round(recording.ms, 0),
    frames: sorted.length,
    fps: round(sorted.length / (recording.ms / 1000), 1),
    frameP50Ms: at(50),
    frameP95Ms: at(95),
    frameMaxMs: round(sorted.at(-1) ?? NaN, 2),
    longTasks: recording.longTasks.length,
    longTaskTotalMs: round(
      recording.longTasks.reduce((sum, d) => sum + d, 0),
      0,
    ),
    longTaskMaxMs: round(Math.max(0, ...recording.longTasks), 0),
  };
}

async function record(page: Page, during: () => Promise<void>) {
  await page.evaluate(RECORDER);
  await during();
  return frameStats((await page.evaluate('window.__benchRecorder.stop()')) as Recording);
}

async function ensureRendererBuilt(): Promise<boolean> {
  if (existsSync(RENDERER)) return false;
  progress('renderer', `no ${RENDERER}: running npm run build`);
  await new Promise<void>((resolve, reject) => {
    const child = spawn('npm', ['run', 'build'], {
      cwd: REPO_ROOT,
      stdio: ['ignore', process.stderr, process.stderr],
    });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`npm run build exited with ${code}`)),
    );
  });
  return true;
}

/** The launch options of the e2e `web` project: Debian's Chromium and its flags, kept in one place. */
function launchOptions() {
  const web = playwrightConfig.projects?.find((project) => project.name === 'web');
  const options = web?.use?.launchOptions ?? {};
  return { ...options, executablePath: options.executablePath ?? '/usr/bin/chromium', headless: true };
}

export async function benchRenderer(scope: Scope) {
  const built = await ensureRendererBuilt();
  const server = await startSseChild(scope);
  const host = await startHost(scope, {
    OPENAI_BASE_URL: server.url,
    OPENAI_API_KEY: 'sk-bench',
    DESKMATE_MODEL: benchModel('text', REPLY_TOKENS),
  });
  const browser = await chromium.launch(launchOptions());
  scope.defer(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  await page.goto(host.url);
  await page.getByTestId('composer').waitFor();

  progress('renderer', `streaming a ${REPLY_TOKENS}-token reply into the window`);
  const expected = replyText(REPLY_TOKENS);
  const expectedChars = expected.replace(/\s+/g, '').length;
  const streaming = await record(page, async () => {
    await page.getByTestId('composer').fill('Write the long benchmark reply, please.');
    await page.keyboard.press('Enter');
    await page
      .getByTestId('stop')
      .waitFor({ timeout: 10_000 })
      .catch(() => undefined);
    await page
      .locator('[data-testid=message][data-role=assistant]:not([data-streaming])')
      .waitFor({ timeout: 120_000 });
    await page.getByTestId('send').waitFor({ timeout: 120_000 });
    // The window renders markdown in React's interruptible lane, so it may finish after the turn:
    // frames are measured until the whole reply is on screen.
    const reply = page.locator('[data-testid=message][data-role=assistant] .markdown');
    const deadline = Date.now() + 120_000;
    while (((await reply.textContent()) ?? '').replace(/\s+/g, '').length < expectedChars) {
      if (Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
  const shown = await page.locator('[data-testid=message][data-role=assistant] .markdown').innerText();
  const shownChars = shown.replace(/\s+/g, '').length;
  if (shownChars !== expectedChars)
    throw new Error(`the window shows ${shownChars} characters, expected ${expectedChars}`);

  progress('renderer', `idle baseline for ${Math.round(streaming.durationMs)} ms`);
  const idle = await record(page, () => new Promise((resolve) => setTimeout(resolve, streaming.durationMs)));
  return {
    what: `one window (headless host + Chromium) receiving a ${REPLY_TOKENS}-token reply at full speed, from sending the prompt until the whole reply is on screen`,
    rendererBuiltByBench: built,
    streaming,
    baseline: { what: 'the same page idle for the same duration', ...idle },
    ratioP95: ratio(streaming.frameP95Ms, idle.frameP95Ms),
    target: `frame p95 <= ${TARGET_P95_MS} ms while streaming`,
    pass: streaming.frameP95Ms <= TARGET_P95_MS,
  };
}
