import { expect, test, type Locator, type Page } from '@playwright/test';
import {
  startScriptedProvider,
  type RecordedRequest,
  type ScriptedProvider,
  type Step,
} from '../../test/support/scripted-provider';
import { startHost, type Host } from '../../test/support/headless-host';
import { lastUserText, send, tabOpener, tempWorkspace } from './tab';

// The sidebar as a user sees it across tabs: what it lists, how it counts, where it keeps things.

function script(request: RecordedRequest): Step {
  const asked = lastUserText(request);
  const results = request.body.messages?.filter((m) => m.role === 'tool').length ?? 0;
  if (asked.includes('list the files') && results === 0) {
    return {
      kind: 'stream',
      text: 'Looking.',
      toolCalls: [{ name: 'shell', args: { command: 'echo one-file' } }],
    };
  }
  if (asked.includes('long answer')) {
    const paragraphs = Array.from({ length: 12 }, (_, i) => `Paragraph ${i + 1} of the answer.`);
    return { kind: 'stream', text: `${paragraphs.join('\n\n')}\n\nThe very last line.` };
  }
  return { kind: 'stream', text: `Noted: ${asked}` };
}

let provider: ScriptedProvider;
let host: Host;
const openTab = tabOpener(() => host);

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

const items = (page: Page) => page.getByTestId('conversation-item');
const item = (page: Page, name: string | RegExp) => items(page).filter({ hasText: name });

async function rename(page: Page, from: string, to: string): Promise<void> {
  await item(page, from).hover();
  await page.getByRole('button', { name: `Rename ${from}` }).click();
  await page.getByTestId('conversation-rename').fill(to);
  await page.getByTestId('conversation-rename').press('Enter');
  await expect(item(page, to)).toBeVisible();
}

/** A conversation with a user message and its reply, named after the message. */
async function talk(page: Page, text: string, listed = true): Promise<void> {
  await send(page, text);
  await expect(page.locator('[data-testid=message][data-role=assistant]').last()).toContainText(
    text.includes('long answer') ? 'The very last line.' : `Noted: ${text}`,
  );
  if (listed) await expect(item(page, text)).toBeVisible();
}

test('another tab lists what this one creates, renames and counts, without a reload', async ({ browser }) => {
  const a = await (await browser.newContext()).newPage();
  const b = await (await browser.newContext()).newPage();
  await openTab(a, await tempWorkspace('deskmate-sidebar-'));
  await openTab(b);
  await expect(b.getByTestId('conversation-list')).toContainText('No conversations yet');

  // A turn with a tool call: user, reply with the call, its result, the answer. Four lines in the
  // log, three messages on screen.
  await send(a, 'please list the files');
  const card = a.locator('[data-testid=tool-call][data-tool=shell]');
  await card.getByTestId('tool-approve').click();
  await expect(card).toHaveAttribute('data-status', 'completed');
  await expect(a.locator('[data-testid=message][data-role=assistant]').last()).toContainText('Noted');
  await expect(a.locator('[data-testid=message]')).toHaveCount(3);

  await expect(item(b, 'please list the files')).toContainText('3 messages');
  await expect(item(a, 'please list the files')).toContainText('3 messages');

  await rename(a, 'please list the files', 'File listing');
  await expect(item(b, 'File listing')).toBeVisible();
  await expect(item(b, 'please list the files')).toHaveCount(0);

  await a.getByTestId('new-conversation').click();
  await talk(a, 'a second topic');
  await expect(items(b)).toHaveCount(2);
  await expect(items(b).first()).toContainText('a second topic');
});

test('a renamed conversation keeps its place in the list', async ({ page }) => {
  await openTab(page);
  await talk(page, 'the older topic');
  await page.getByTestId('new-conversation').click();
  await talk(page, 'the newer topic');
  await expect(items(page)).toHaveText([/the newer topic/, /the older topic/]);

  await rename(page, 'the older topic', 'Older, renamed');
  await expect(items(page)).toHaveText([/the newer topic/, /Older, renamed/]);
  await page.reload();
  await expect(items(page)).toHaveText([/the newer topic/, /Older, renamed/]);
});

test('"just now" grows old while the tab stays open', async ({ page }) => {
  await page.clock.install();
  await openTab(page);
  await talk(page, 'a quick note');
  await expect(item(page, 'a quick note')).toContainText('just now');
  await page.clock.fastForward('06:00');
  await expect(item(page, 'a quick note')).toContainText('6 min ago');
});

function overlaps(a: { x: number; y: number; width: number; height: number }, b: typeof a): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

async function box(locator: Locator) {
  const found = await locator.boundingBox();
  expect(found).not.toBeNull();
  return found!;
}

for (const width of [1200, 600]) {
  test(`the Undo offer hides none of the conversation at ${width} px`, async ({ page }) => {
    await page.setViewportSize({ width, height: 700 });
    await openTab(page);
    // Narrow, the sidebar lies over the conversation and is opened to act in it.
    const narrow = width < 700;
    await talk(page, 'something to delete', !narrow);
    await page.getByTestId('new-conversation').click();
    await talk(page, 'a long answer please', !narrow);

    if (narrow) await page.getByTestId('sidebar-toggle').click();
    await item(page, 'something to delete').hover();
    await page.getByRole('button', { name: 'Delete something to delete' }).click();
    const toast = page.getByTestId('undo-toast');
    await expect(toast).toContainText('Deleted something to delete');
    if (narrow) {
      // Readable, its Undo on top, while the sidebar still lies over the conversation.
      const undo = await box(page.getByTestId('undo-delete'));
      const top = await page.evaluate(
        ({ x, y }) => document.elementFromPoint(x, y)?.closest('[data-testid=undo-delete]') !== null,
        { x: undo.x + undo.width / 2, y: undo.y + undo.height / 2 },
      );
      expect(top).toBe(true);
      await page.getByTestId('sidebar-toggle').click();
    }

    const toastBox = await box(toast);
    const list = await box(page.getByTestId('message-list'));
    const last = await box(page.locator('[data-testid=message][data-role=assistant]').last());
    expect(toastBox.x).toBeGreaterThanOrEqual(0);
    expect(toastBox.x + toastBox.width).toBeLessThanOrEqual(width);
    expect(overlaps(toastBox, list)).toBe(false);
    // The end of the last reply is still in view, above the offer.
    expect(last.y + last.height).toBeLessThanOrEqual(list.y + list.height + 1);
    await expect(page.getByText('The very last line.')).toBeInViewport();
    await expect(page.getByTestId('composer')).toBeInViewport();
  });
}
