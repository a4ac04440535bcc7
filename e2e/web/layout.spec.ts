import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import {
  startScriptedProvider,
  type RecordedRequest,
  type ScriptedProvider,
  type Step,
} from '../../test/support/scripted-provider';
import { startHost, type Host } from '../../test/support/headless-host';
import { lastUserText, send, tabOpener, tempWorkspace } from './tab';

// The window's layout: following new content, narrow windows, the sidebar, rename, keyboard.

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
  if (text.includes('allow me')) {
    const ran = request.body.messages?.some((m) => m.role === 'tool');
    if (ran) return { kind: 'stream', text: 'Allowed and ran.' };
    return { kind: 'stream', toolCalls: [{ name: 'shell', args: { command: 'echo allowed' } }] };
  }
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
const openTab = tabOpener(() => host);
const workspace = () => tempWorkspace('deskmate-layout-');

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

/**
 * The crowded header a tester met: a long path, a project file that asks (the trust badge), a broken
 * one (the config warnings badge), and "Always allow shell" clicked on a card (the grants badge).
 */
async function crowdedHeader(page: Page): Promise<string> {
  const folder = path.join(await workspace(), 'ws-with-a-rather-long-folder-name');
  await mkdir(folder);
  await writeFile(path.join(folder, 'gptme.toml'), '[env]\nLAYOUT_CHECK = "1"\n');
  await writeFile(path.join(folder, '.deskmate.toml'), 'model = "unterminated\n');
  await openTab(page, folder);
  await expect(page.getByTestId('config-warnings')).toBeVisible();
  await send(page, 'allow me to run a command');
  const card = page.locator('[data-testid=tool-call][data-tool=shell]');
  await card.getByRole('button', { name: 'Always allow shell in this conversation' }).click();
  await expect(page.getByText('Allowed and ran.')).toBeVisible();
  await expect(page.getByTestId('grants')).toBeVisible();
  return folder;
}

/** The header's controls (and the sidebar's toggle beside it), by name. */
function headerControls(page: Page): Record<string, Locator> {
  const header = page.locator('header.header');
  return {
    'project-files': page.getByTestId('project-files'),
    'trust-badge': page.getByTestId('trust-badge'),
    grants: page.getByTestId('grants').getByRole('button', { name: /^Allowed:/ }),
    'config-warnings': page.getByTestId('config-warnings'),
    'workspace-open': page.getByTestId('workspace-open'),
    'Path…': header.getByRole('button', { name: 'Path…' }),
    'Recent folders': header.getByRole('combobox', { name: 'Recent folders' }),
    'model-picker': page.getByTestId('model-picker'),
    'settings-open': page.getByTestId('settings-open'),
    'sidebar-toggle': page.getByTestId('sidebar-toggle'),
  };
}

interface Geometry {
  box: { left: number; top: number; right: number; bottom: number };
  /** Some of it is hidden by an ancestor that clips (overflow other than visible). */
  clipped: boolean;
  scrollWidth: number;
  clientWidth: number;
}

function geometry(control: Locator): Promise<Geometry> {
  return control.evaluate((el) => {
    const { left, top, right, bottom } = el.getBoundingClientRect();
    let clipped = false;
    for (let a = el.parentElement; a; a = a.parentElement) {
      const style = getComputedStyle(a);
      if (style.overflowX === 'visible' && style.overflowY === 'visible') continue;
      const r = a.getBoundingClientRect();
      if (left < r.left - 1 || right > r.right + 1 || top < r.top - 1 || bottom > r.bottom + 1)
        clipped = true;
    }
    return {
      box: { left, top, right, bottom },
      clipped,
      scrollWidth: el.scrollWidth,
      clientWidth: el.clientWidth,
    };
  });
}

const overlap = (a: Geometry['box'], b: Geometry['box']) =>
  a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;

/**
 * Every header control visible, whole (not clipped, its full text shown), inside the window, clickable,
 * and clear of the others; the path gives way instead, losing its start, down to a readable width.
 */
async function expectHeaderWhole(page: Page, folder: string): Promise<void> {
  const viewport = page.viewportSize()!;
  const at = `at ${viewport.width} px`;
  const boxes: [string, Geometry['box']][] = [];
  for (const [name, control] of Object.entries(headerControls(page))) {
    if (name === 'Recent folders' && (await control.count()) === 0) continue;
    await expect.soft(control, `${name} ${at}`).toBeVisible();
    if (!(await control.isVisible())) continue;
    const shape = await geometry(control);
    const { box } = shape;
    expect.soft(shape.clipped, `${name} ${at} cut by the header`).toBe(false);
    expect
      .soft(shape.scrollWidth, `${name} ${at} shows its full text`)
      .toBeLessThanOrEqual(shape.clientWidth);
    expect.soft(box.left, `${name} ${at} left edge`).toBeGreaterThanOrEqual(0);
    expect.soft(box.right, `${name} ${at} right edge`).toBeLessThanOrEqual(viewport.width);
    expect.soft(box.bottom, `${name} ${at} bottom edge`).toBeLessThanOrEqual(viewport.height);
    await expect
      .soft(async () => control.click({ trial: true, timeout: 1_000 }), `${name} ${at} clickable`)
      .toPass({ timeout: 2_000 });
    boxes.push([name, box]);
  }
  const pathField = page.getByTestId('workspace-path');
  await expect(pathField).toHaveText(folder);
  await expect(pathField).toHaveAttribute('title', folder);
  const shape = await geometry(pathField);
  boxes.push(['workspace-path', shape.box]);
  expect.soft(shape.clipped, `the path ${at} cut by the header`).toBe(false);
  expect
    .soft(shape.box.right - shape.box.left, `the path ${at} keeps a readable width`)
    .toBeGreaterThanOrEqual(Math.min(150, shape.scrollWidth));
  const cut = await pathField.evaluate((el) => {
    const style = getComputedStyle(el);
    const text = el.textContent!;
    const range = document.createRange();
    const node = el.querySelector('bdi')!.firstChild!;
    range.setStart(node, text.length - 'folder-name'.length);
    range.setEnd(node, text.length);
    const end = range.getBoundingClientRect();
    const box = el.getBoundingClientRect();
    return {
      ellipsis: style.textOverflow === 'ellipsis',
      endShown: end.left >= box.left - 1 && end.right <= box.right + 1,
    };
  });
  expect
    .soft(cut, `the path ${at} loses its start, with an ellipsis`)
    .toEqual({ ellipsis: true, endShown: true });
  for (const [i, [name, box]] of boxes.entries())
    for (const [other, second] of boxes.slice(i + 1))
      expect.soft(overlap(box, second), `${name} overlaps ${other} ${at}`).toBe(false);
  expect(test.info().errors.length, `problems in the header ${at} (listed above)`).toBe(0);
}

test('a crowded header at 1200, 700 and 600 px: badges and buttons whole, the path gives way', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1200, height: 760 });
  const folder = await crowdedHeader(page);
  await expect(page.getByTestId('conversation-list')).toBeVisible();
  for (const [width, scheme] of [
    [1200, 'light'],
    [700, 'light'],
    [600, 'light'],
    [600, 'dark'],
    [700, 'dark'],
    [1200, 'dark'],
  ] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width, height: 760 });
    if (width === 1200) await expect(page.getByTestId('conversation-list')).toBeVisible();
    await expectHeaderWhole(page, folder);
    await page.screenshot({ path: test.info().outputPath(`header-${width}-${scheme}.png`) });
  }
});

test('the grants list stays inside the window when the window narrows under it', async ({ page }) => {
  await page.setViewportSize({ width: 1200, height: 760 });
  await crowdedHeader(page);
  const badge = page.getByTestId('grants').getByRole('button', { name: 'Allowed: shell' });
  await badge.click();
  const list = page.getByRole('dialog', { name: 'Approval grants' });
  await expect(list).toBeVisible();
  for (const width of [600, 700, 1200]) {
    await page.setViewportSize({ width, height: 760 });
    const revoke = list.getByRole('button', { name: 'Revoke shell: always' });
    await expect(revoke).toBeVisible();
    await expect(revoke).toBeInViewport({ ratio: 1 });
    // Inside the window, and still under its badge (which may have moved to another row).
    await expect
      .poll(async () => {
        const box = (await list.boundingBox())!;
        const under = (await badge.boundingBox())!;
        return {
          inside: box.x >= 0 && box.x + box.width <= width,
          underBadge: box.y >= under.y + under.height && box.y <= under.y + under.height + 16,
          besideBadge: box.x <= under.x + 1 && box.x + box.width >= under.x + under.width,
        };
      }, `the list at ${width} px`)
      .toEqual({ inside: true, underBadge: true, besideBadge: true });
    await page.screenshot({ path: test.info().outputPath(`grants-list-${width}.png`) });
  }
});

test('revoking the last grant with the keyboard leaves the focus in the composer', async ({ page }) => {
  await page.setViewportSize({ width: 700, height: 760 });
  await crowdedHeader(page);
  const badge = page.getByTestId('grants').getByRole('button', { name: 'Allowed: shell' });
  await badge.focus();
  await page.keyboard.press('Enter');
  const revoke = page.getByRole('button', { name: 'Revoke shell: always' });
  await expect(revoke).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(revoke).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('grants')).toHaveCount(0);
  await expect(page.getByTestId('composer')).toBeFocused();
});

const item = (page: Page, name: string) =>
  page.getByTestId('conversation-item').filter({ has: page.getByText(name, { exact: true }) });

async function converse(page: Page, text: string, marker: string): Promise<void> {
  await send(page, text);
  await expect(page.getByText(marker)).toBeAttached();
  await expect(page.getByTestId('send')).toBeVisible();
}

test('rename: leaving the field keeps the new name, Esc keeps the old, and the next rename starts from the current name', async ({
  page,
}) => {
  await openTab(page);
  await converse(page, 'Show me turn 1', 'End of turn 1.');
  const first = page.getByTestId('conversation-item').first();
  await first.hover();
  await first.getByRole('button', { name: /^Rename/ }).click();
  const field = page.getByLabel('Conversation name');
  await field.fill('Release notes');
  // Leaving the field (a click elsewhere) keeps what was typed.
  await page.getByTestId('composer').click();
  await expect(field).toHaveCount(0);
  await expect(item(page, 'Release notes')).toBeVisible();
  await expect(page).toHaveTitle('Release notes — Deskmate');

  // Esc throws the draft away, and the next rename does not bring it back.
  await item(page, 'Release notes').hover();
  await item(page, 'Release notes')
    .getByRole('button', { name: /^Rename/ })
    .click();
  await expect(field).toHaveValue('Release notes');
  await field.fill('Discarded draft');
  await field.press('Escape');
  await expect(field).toHaveCount(0);
  await expect(item(page, 'Release notes')).toBeVisible();
  await item(page, 'Release notes').hover();
  await item(page, 'Release notes')
    .getByRole('button', { name: /^Rename/ })
    .click();
  await expect(field).toHaveValue('Release notes');
  await field.press('Escape');

  await page.reload();
  await expect(item(page, 'Release notes')).toBeVisible();
});

test('delete offers Undo: nothing is lost until the offer runs out', async ({ page }) => {
  await openTab(page);
  await converse(page, 'Show me turn 1', 'End of turn 1.');
  await page.getByTestId('new-conversation').click();
  await converse(page, 'Show me turn 2', 'End of turn 2.');
  const conversations = page.getByTestId('conversation-item');
  await expect(conversations).toHaveCount(2);
  /** The names of the conversations on disk (each folder's chat.json). */
  const onDisk = async () => {
    const root = path.join(host.dataDir, 'conversations');
    const entries = await readdir(root, { withFileTypes: true });
    const names = await Promise.all(
      entries
        .filter((e) => e.isDirectory())
        .map(
          async (e) =>
            (JSON.parse(await readFile(path.join(root, e.name, 'chat.json'), 'utf8')) as { name: string })
              .name,
        ),
    );
    return names.sort();
  };
  const [older, current] = [conversations.nth(1), conversations.nth(0)];
  const olderName = (await older.locator('.name').textContent())!;
  const currentName = (await current.locator('.name').textContent())!;

  // Delete, then Undo: it comes back, on disk all along.
  await older.hover();
  await older.getByRole('button', { name: /^Delete/ }).click();
  await expect(item(page, olderName)).toHaveCount(0);
  const toast = page.getByTestId('undo-toast');
  await expect(toast).toContainText(`Deleted ${olderName}`);
  await toast.getByRole('button', { name: 'Undo' }).click();
  await expect(item(page, olderName)).toBeVisible();
  await expect(toast).toHaveCount(0);
  expect(await onDisk()).toContain(olderName);

  // The one on screen: it leaves the screen, and Undo brings it back there.
  await item(page, currentName).hover();
  await item(page, currentName)
    .getByRole('button', { name: /^Delete/ })
    .click();
  await expect(item(page, currentName)).toHaveCount(0);
  await expect(page.getByText('End of turn 2.')).toHaveCount(0);
  await page.getByTestId('undo-delete').click();
  await expect(page.getByText('End of turn 2.')).toBeVisible();
  await expect(item(page, currentName)).toBeVisible();

  // Delete and let the offer run out: then it is gone, from disk too.
  await item(page, olderName).hover();
  await item(page, olderName)
    .getByRole('button', { name: /^Delete/ })
    .click();
  await expect(toast).toBeVisible();
  await expect(toast).toHaveCount(0, { timeout: 15_000 });
  await expect.poll(onDisk).not.toContain(olderName);
  expect(await onDisk()).toContain(currentName);
  await page.reload();
  await expect(item(page, currentName)).toBeVisible();
  await expect(item(page, olderName)).toHaveCount(0);
});

test('keyboard: the composer has focus on load, a skip link leads past the sidebar, the sidebar toggles and stays as left', async ({
  page,
}) => {
  await openTab(page);
  await expect(page.getByTestId('composer')).toBeFocused();
  await converse(page, 'Show me turn 1', 'End of turn 1.');

  // The first stop of the page, before the sidebar: visible once focused, Enter lands in the conversation.
  await page.getByTestId('sidebar-toggle').focus();
  await page.keyboard.press('Shift+Tab');
  const skip = page.getByRole('link', { name: 'Skip to conversation' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('message-list')).toBeFocused();

  // The sidebar toggle, by keyboard; a wide window remembers the choice across a reload.
  const toggle = page.getByTestId('sidebar-toggle');
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await toggle.focus();
  await page.keyboard.press('Enter');
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(page.getByTestId('conversation-list')).toBeHidden();
  await expectUsable(page, 'new-conversation');
  await page.reload();
  await expect(page.getByTestId('composer')).toBeFocused();
  await expect(page.getByTestId('sidebar-toggle')).toHaveAttribute('aria-expanded', 'false');
  await page.getByTestId('sidebar-toggle').focus();
  await page.keyboard.press('Space');
  await expect(page.getByTestId('conversation-list')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Today' })).toBeVisible();

  // Settings and back with Esc.
  await page.keyboard.press('Control+,');
  await expect(page.getByTestId('composer')).toHaveCount(0);
  await expect(page).toHaveTitle('Settings — Deskmate');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('composer')).toBeFocused();
});

test('a narrow window opens the sidebar over the conversation and Esc or a choice closes it', async ({
  page,
}) => {
  await page.setViewportSize({ width: 700, height: 720 });
  await openTab(page);
  await converse(page, 'Show me turn 1', 'End of turn 1.');
  await page.getByTestId('new-conversation').click();
  await expect(page.getByText('End of turn 1.')).toHaveCount(0);
  const toggle = page.getByTestId('sidebar-toggle');
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await toggle.click();
  await expect(page.getByTestId('conversation-list')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('conversation-list')).toBeHidden();
  await toggle.click();
  await page
    .getByTestId('conversation-item')
    .filter({ hasText: /2 messages/ })
    .getByRole('button')
    .first()
    .click();
  await expect(page.getByTestId('conversation-list')).toBeHidden();
  await expect(page.getByText('End of turn 1.')).toBeVisible();
});

test('the tab is titled after the conversation and shows the favicon, within the page policy', async ({
  page,
}) => {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  await openTab(page);
  await expect(page).toHaveTitle('Deskmate');
  await converse(page, 'Show me turn 1', 'End of turn 1.');
  // The list hears of the new name up to a second after the window does: read it once it has.
  const name = page.getByTestId('conversation-item').first().locator('.name');
  await expect(name).not.toHaveText('New conversation');
  await expect(page).toHaveTitle(`${await name.textContent()} — Deskmate`);

  const href = await page.locator('link[rel=icon]').evaluate((link) => (link as HTMLLinkElement).href);
  const icon = await page.request.get(href);
  expect(icon.status()).toBe(200);
  expect(icon.headers()['content-type']).toBe('image/svg+xml');
  expect(await icon.text()).toContain('<svg');
  expect(violations).toEqual([]);
});
