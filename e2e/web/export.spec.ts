import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import {
  startScriptedProvider,
  type RecordedRequest,
  type ScriptedProvider,
  type Step,
} from '../../test/support/scripted-provider';
import { startHost, type Host } from '../../test/support/headless-host';
import { send, tabOpener, tempWorkspace } from './tab';

// Export as a user meets it: a conversation with code and a tool call saved from the window as one
// HTML page, which then opens in a browser with no network at all, code highlighted, tools folded.

let provider: ScriptedProvider;
let host: Host;
/** Anything the exported page asks for, should it ask: an image, a sheet, a frame. */
let beacon: Server;
let beaconHits: string[];

const resultsThisTurn = (request: RecordedRequest) => {
  const messages = request.body.messages ?? [];
  return messages.slice(messages.map((m) => m.role).lastIndexOf('user')).filter((m) => m.role === 'tool')
    .length;
};

function script(beaconUrl: string) {
  return (request: RecordedRequest): Step => {
    if (resultsThisTurn(request) === 0)
      return {
        kind: 'stream',
        text: 'Let me check.',
        toolCalls: [{ name: 'shell', args: { command: 'echo folded-output' } }],
      };
    return {
      kind: 'stream',
      text: [
        'The fix:',
        '```ts\nexport const answer: number = 42;\n```',
        `<img src="${beaconUrl}/pixel.png" onerror="document.title='pwned'">`,
        `![tracker](${beaconUrl}/tracker.png) <iframe src="${beaconUrl}/frame"></iframe>`,
      ].join('\n\n'),
    };
  };
}

test.beforeEach(async () => {
  beaconHits = [];
  beacon = createServer((req, res) => {
    beaconHits.push(req.url ?? '');
    res.end();
  });
  await new Promise<void>((resolve) => beacon.listen(0, '127.0.0.1', resolve));
  const beaconUrl = `http://127.0.0.1:${(beacon.address() as AddressInfo).port}`;
  provider = await startScriptedProvider({ respond: script(beaconUrl) });
  host = await startHost({
    OPENAI_BASE_URL: provider.url,
    OPENAI_API_KEY: 'sk-e2e',
    DESKMATE_MODEL: 'scripted',
  });
});

test.afterEach(async () => {
  await host?.stop();
  await provider?.close();
  await new Promise((resolve) => beacon?.close(resolve));
});

/** A conversation with a tool call that ran and a reply with code. */
async function converse(page: Page): Promise<void> {
  await tabOpener(() => host)(page, await tempWorkspace('deskmate-export-'));
  await send(page, 'show me the fix');
  await page.getByTestId('tool-approve').click();
  await expect(page.getByText('The fix:')).toBeVisible();
}

test('a conversation saved as HTML from the window opens offline: no request, code highlighted, tools folded', async ({
  page,
  context,
}) => {
  await converse(page);
  // By keyboard: the button, the menu's first format, down to HTML, Enter.
  const exportButton = page.getByTestId('conversation-export');
  await exportButton.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('conversation-export-md')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('conversation-export-html')).toBeFocused();
  const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
  expect(download.suggestedFilename()).toMatch(/^show_me_the_fix.*\.html$/);
  // The menu closes and the focus goes back to its button.
  await expect(page.getByTestId('conversation-export-html')).toBeHidden();
  await expect(exportButton).toBeFocused();

  const file = path.join(await mkdtemp(path.join(tmpdir(), 'deskmate-export-file-')), 'chat.html');
  await download.saveAs(file);
  const fileUrl = pathToFileURL(file).href;

  beaconHits = [];
  const viewer = await context.newPage();
  const requests: string[] = [];
  viewer.on('request', (request) => requests.push(request.url()));
  await viewer.goto(fileUrl);
  await viewer.waitForLoadState('load');
  // Time for anything late (a lazy image, a frame) to ask.
  await viewer.waitForTimeout(500);
  expect(requests).toEqual([fileUrl]);
  expect(beaconHits).toEqual([]);
  expect(await viewer.title()).not.toBe('pwned');

  // The hostile markup is on the page as text.
  await expect(viewer.locator('.markdown').last()).toContainText('onerror="document.title=\'pwned\'"');
  // Highlighted when exported: coloured spans, in a colour of their own.
  const keyword = viewer.locator('.markdown pre code .hljs-keyword').first();
  await expect(keyword).toHaveText('export');
  const colours = await keyword.evaluate((el) => [
    getComputedStyle(el).color,
    getComputedStyle(el.closest('pre')!).color,
  ]);
  expect(colours[0]).not.toBe(colours[1]);
  // The tool call is folded under what ran; its output opens on a click.
  const tool = viewer.locator('details.tool');
  await expect(tool).toHaveCount(1);
  await expect(tool.locator('summary')).toContainText('shell');
  await expect(tool.locator('summary')).toContainText('echo folded-output');
  await expect(tool.locator('.tool-output')).toBeHidden();
  await tool.locator('summary').click();
  await expect(tool.locator('.tool-output')).toHaveText(/^folded-output/);
  expect(requests).toEqual([fileUrl]);
});

test('Markdown and the gptme log download too; Esc closes the menu without stopping anything', async ({
  page,
}) => {
  await converse(page);
  await page.getByTestId('conversation-export').click();
  const [md] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('conversation-export-md').click(),
  ]);
  expect(md.suggestedFilename()).toMatch(/\.md$/);
  await page.getByTestId('conversation-export').click();
  const [jsonl] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('conversation-export-jsonl').click(),
  ]);
  const lines = (await (await jsonl.createReadStream()).toArray()).join('').split('\n').filter(Boolean);
  expect(lines.map((line) => (JSON.parse(line) as { role: string }).role)).toEqual([
    'user',
    'assistant',
    expect.any(String),
    'assistant',
  ]);
  await page.getByTestId('conversation-export').click();
  await expect(page.getByTestId('conversation-export-md')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('conversation-export-md')).toBeHidden();
  await expect(page.getByTestId('conversation-export')).toBeFocused();
});

test('the header with Export and the page it saves, light and dark, wide and narrow', async ({
  page,
  context,
}) => {
  test.skip(!process.env.DESKMATE_SCREENSHOTS, 'screenshots on request: DESKMATE_SCREENSHOTS=folder');
  await converse(page);
  for (const colorScheme of ['light', 'dark'] as const) {
    for (const width of [1200, 700]) {
      await page.emulateMedia({ colorScheme });
      await page.setViewportSize({ width, height: 700 });
      await page.getByTestId('conversation-export').click();
      await expect(page.getByTestId('conversation-export-md')).toBeFocused();
      await page.screenshot({
        path: path.join(process.env.DESKMATE_SCREENSHOTS!, `export-${colorScheme}-${width}.png`),
      });
      await page.keyboard.press('Escape');
    }
  }
  await page.getByTestId('conversation-export').click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('conversation-export-html').click(),
  ]);
  const file = path.join(process.env.DESKMATE_SCREENSHOTS!, 'exported.html');
  await download.saveAs(file);
  const viewer = await context.newPage();
  await viewer.goto(pathToFileURL(file).href);
  await viewer.locator('details.tool summary').click();
  for (const colorScheme of ['light', 'dark'] as const) {
    for (const width of [1200, 700]) {
      await viewer.emulateMedia({ colorScheme });
      await viewer.setViewportSize({ width, height: 700 });
      await viewer.screenshot({
        path: path.join(process.env.DESKMATE_SCREENSHOTS!, `page-${colorScheme}-${width}.png`),
      });
    }
  }
});
