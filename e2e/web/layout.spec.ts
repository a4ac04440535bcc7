import { mkdtemp, realpath } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import {
  startScriptedProvider,
  type RecordedRequest,
  type ScriptedProvider,
  type Step,
} from '../../test/support/scripted-provider';
import { startHost, type Host } from './headless-host';

// The window's layout: following new content, narrow windows, the sidebar, rename, keyboard.

function lastUserText(request: RecordedRequest): string {
  return String([...(request.body.messages ?? [])].reverse().find((m) => m.role === 'user')?.content ?? '');
}

/** A reply that grows after it is rendered: a table and a highlighted code block, `size` times over. */
function richReply(turn: number, size: number): string {
  const rows = Array.from({ length: 4 * size }, (_, i) => `| row ${i} | value ${i * turn} | note ${i} |`);
  const code = Array.from({ length: 6 * size }, (_, i) => `  const line${i} = compute(${i}, "${turn}");`);
  return [
    `## Turn ${turn}`,
    '',
    'Here is what I found:',
    '',
    '| name | value | note |',
    '| --- | --- | --- |',
    ...rows,
    '',
    '```ts',
    'function example() {',
    ...code,
    '}',
    '```',
    '',
    `End of turn ${turn}.`,
  ].join('\n');
}

function script(request: RecordedRequest): Step {
  const text = lastUserText(request);
  const turn = Number(/turn (\d+)/.exec(text)?.[1] ?? 0);
  if (text.includes('approval')) {
    const results = request.body.messages?.filter((m) => m.role === 'tool').length ?? 0;
    if (results > 0) return { kind: 'stream', text: 'Done with the command.', delayMs: 5 };
    return {
      kind: 'stream',
      text: richReply(turn, 3),
      chunkSize: 24,
      delayMs: text.includes('slow') ? 25 : 5,
      toolCalls: [{ name: 'shell', args: { command: 'echo approved' } }],
    };
  }
  if (text.includes('slow')) return { kind: 'stream', text: richReply(turn, 4), chunkSize: 16, delayMs: 30 };
  return { kind: 'stream', text: richReply(turn, turn), chunkSize: 32, delayMs: 5 };
}

let provider: ScriptedProvider;
let host: Host;

test.beforeEach(async () => {
  provider = await startScriptedProvider({ respond: script });
  host = await startHost({
    OPENAI_BASE_URL: provider.url,
    OPENAI_API_KEY: 'sk-e2e',
    DESKMATE_MODEL: 'scripted',
  });
});

test.afterEach(async () => {
  await host?.stop();
  await provider?.close();
});

async function workspace(): Promise<string> {
  return realpath(await mkdtemp(path.join(tmpdir(), 'deskmate-layout-')));
}

async function openTab(page: Page, folder?: string): Promise<void> {
  await page.goto(folder ? `${host.url}&workspace=${encodeURIComponent(folder)}` : host.url);
  await expect(page.getByTestId('composer')).toBeVisible();
}

async function send(page: Page, text: string): Promise<void> {
  await page.getByTestId('composer').fill(text);
  await page.getByTestId('composer').press('Enter');
}

/**
 * How far the bottom of the message holding `marker` sits below the conversation's visible area
 * (negative: inside it; Infinity: not even rendered, virtualized away; -Infinity: above it).
 */
function bottomBelowView(page: Page, marker: string) {
  return page.evaluate((text) => {
    const list = document.querySelector<HTMLElement>('[data-testid=message-list]');
    const message = [...(list?.querySelectorAll('[data-testid=message]') ?? [])].find((m) =>
      m.textContent?.includes(text),
    );
    if (!list || !message) return Infinity;
    const box = message.getBoundingClientRect();
    const view = list.getBoundingClientRect();
    if (box.bottom < view.top) return -Infinity;
    return Math.round(box.bottom - view.bottom);
  }, marker);
}

/** The message holding `marker` ends inside the conversation's visible area. */
async function expectEndInView(page: Page, marker: string): Promise<void> {
  await expect
    .poll(() => bottomBelowView(page, marker), {
      timeout: 5_000,
      message: `px below the view of the message ending "${marker}"`,
    })
    .toBeLessThanOrEqual(1);
  expect(await bottomBelowView(page, marker)).toBeGreaterThan(-Infinity);
}

const scrollTop = (page: Page) => page.getByTestId('message-list').evaluate((el) => Math.round(el.scrollTop));

test.describe('following new content', () => {
  test('the newest reply ends in view after each of three turns with tables and code', async ({ page }) => {
    await openTab(page);
    for (const turn of [1, 2, 3]) {
      await send(page, `Show me turn ${turn}`);
      await expect(page.getByText(`End of turn ${turn}.`)).toBeAttached();
      await expect(page.getByTestId('send')).toBeVisible();
      await expectEndInView(page, `End of turn ${turn}.`);
      await expect(page.getByTestId('scroll-to-bottom')).toHaveCount(0);
    }
  });

  test('scrolled up, new content does not move the view; the button brings it back', async ({ page }) => {
    await openTab(page);
    await send(page, 'Show me turn 2');
    await expect(page.getByText('End of turn 2.')).toBeAttached();
    await expect(page.getByTestId('send')).toBeVisible();
    await expectEndInView(page, 'End of turn 2.');

    await send(page, 'Show me slow turn 3');
    await expect(page.locator('[data-testid=message][data-role=assistant]').last()).toContainText('Turn 3');
    const list = page.getByTestId('message-list');
    await list.hover();
    await page.mouse.wheel(0, -700);
    await expect(page.getByTestId('scroll-to-bottom')).toBeVisible();
    const held = await scrollTop(page);
    // The rest of the reply streams in below; the part the user is reading stays where it is.
    await expect(page.getByText('End of turn 3.')).toBeAttached({ timeout: 15_000 });
    await expect(page.getByTestId('send')).toBeVisible();
    expect(Math.abs((await scrollTop(page)) - held)).toBeLessThanOrEqual(1);
    await expect(page.getByTestId('scroll-to-bottom')).toBeVisible();
    expect(await bottomBelowView(page, 'End of turn 3.')).toBeGreaterThan(100);

    await page.getByTestId('scroll-to-bottom').click();
    await expectEndInView(page, 'End of turn 3.');
    await expect(page.getByTestId('scroll-to-bottom')).toHaveCount(0);
  });

  test('a pending approval card after a long reply is in view', async ({ page }) => {
    await openTab(page, await workspace());
    await send(page, 'Show me turn 4 then ask approval');
    const card = page.locator('[data-testid=tool-call][data-status=pending]');
    await expect(card).toBeAttached();
    await expect(page.getByRole('status')).toContainText('Waiting for your approval');
    // The whole card, its buttons included, not a sliver of it.
    await expect(card).toBeInViewport({ ratio: 1 });
    await card.getByTestId('tool-approve').click();
    await expect(page.getByText('Done with the command.')).toBeAttached();
    await expectEndInView(page, 'Done with the command.');
  });

  test('a pending approval card comes into view even when the user had scrolled up', async ({ page }) => {
    await openTab(page, await workspace());
    await send(page, 'Show me turn 2');
    await expect(page.getByText('End of turn 2.')).toBeAttached();
    await expect(page.getByTestId('send')).toBeVisible();
    await send(page, 'Show me slow turn 5 then ask approval');
    await expect(page.locator('[data-testid=message][data-role=assistant]').last()).toContainText('Turn 5');
    await page.getByTestId('message-list').hover();
    await page.mouse.wheel(0, -900);
    await expect(page.getByTestId('scroll-to-bottom')).toBeVisible();
    const card = page.locator('[data-testid=tool-call][data-status=pending]');
    await expect(card).toBeAttached({ timeout: 15_000 });
    await expect(card.getByTestId('tool-approve')).toBeInViewport();
  });
});
