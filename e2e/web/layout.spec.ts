import { mkdir, mkdtemp, realpath, writeFile } from 'node:fs/promises';
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

/** A folder with a long path and a project file that asks for something, so the trust badge shows. */
async function deepWorkspace(): Promise<string> {
  const root = await workspace();
  const folder = path.join(root, 'clients-and-side-projects', 'a-rather-long-folder-name', 'deskmate-app');
  await mkdir(folder, { recursive: true });
  await writeFile(path.join(folder, '.deskmate.toml'), '[env]\nLAYOUT_CHECK = "1"\n');
  return folder;
}

/** Visible, inside the window, and clickable by a user (Playwright's actionability checks, hit test included). */
async function expectUsable(page: Page, testId: string): Promise<void> {
  const control = page.getByTestId(testId);
  await expect(control, testId).toBeVisible();
  const box = (await control.boundingBox())!;
  const viewport = page.viewportSize()!;
  expect(box.x, `${testId} left edge`).toBeGreaterThanOrEqual(0);
  expect(box.y, `${testId} top edge`).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width, `${testId} right edge`).toBeLessThanOrEqual(viewport.width);
  expect(box.y + box.height, `${testId} bottom edge`).toBeLessThanOrEqual(viewport.height);
  expect(box.width, `${testId} width`).toBeGreaterThan(16);
  await control.click({ trial: true, timeout: 2_000 });
}

for (const width of [700, 600]) {
  test(`at ${width} px every header control is usable, the path and the placeholder readable`, async ({
    page,
  }) => {
    await page.setViewportSize({ width, height: 720 });
    const folder = await deepWorkspace();
    await openTab(page, folder);
    await expect(page.getByTestId('trust-badge')).toBeVisible();
    for (const id of [
      'workspace-path',
      'workspace-open',
      'trust-badge',
      'model-picker',
      'settings-open',
      'new-conversation',
      'sidebar-toggle',
    ])
      await expectUsable(page, id);

    // The path: the whole of it in the title, its end (the folder's own name) on screen.
    const pathField = page.getByTestId('workspace-path');
    await expect(pathField).toHaveText(folder);
    await expect(pathField).toHaveAttribute('title', folder);
    const shown = await pathField.evaluate((el) => {
      const text = [...el.childNodes].flatMap((n) => (n.nodeType === 3 ? [n] : [...n.childNodes]))[0]!;
      const range = document.createRange();
      const length = text.textContent!.length;
      range.setStart(text, length - 'deskmate-app'.length);
      range.setEnd(text, length);
      const end = range.getBoundingClientRect();
      const box = el.getBoundingClientRect();
      return { width: box.width, endInside: end.left >= box.left - 1 && end.right <= box.right + 1 };
    });
    expect(shown.width).toBeGreaterThan(120);
    expect(shown.endInside).toBe(true);

    // The composer's placeholder fits on its line.
    const placeholder = await page.getByTestId('composer').evaluate((el) => {
      const area = el as HTMLTextAreaElement;
      const style = getComputedStyle(area);
      const context = document.createElement('canvas').getContext('2d')!;
      context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
      const room = area.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      return { text: area.placeholder, needs: context.measureText(area.placeholder).width, room };
    });
    expect(placeholder.text.length).toBeGreaterThan(0);
    expect(placeholder.needs, `"${placeholder.text}" in ${placeholder.room} px`).toBeLessThanOrEqual(
      placeholder.room,
    );

    // The controls work: Settings opens and Esc leaves it; the sidebar opens from its toggle.
    await page.getByTestId('settings-open').click();
    await expect(page.getByTestId('composer')).toHaveCount(0);
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('composer')).toBeVisible();
    await expect(page.getByTestId('conversation-list')).toBeHidden();
    await page.getByTestId('sidebar-toggle').click();
    await expect(page.getByTestId('conversation-list')).toBeVisible();
    await expectUsable(page, 'sidebar-toggle');
    await expectUsable(page, 'new-conversation');
  });
}
