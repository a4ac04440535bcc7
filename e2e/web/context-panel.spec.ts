import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startScriptedProvider, type ScriptedProvider } from '../../test/support/scripted-provider';
import { startHost, type Host } from '../../test/support/headless-host';
import { send, tabOpener, tempWorkspace } from './tab';

// "What the model sees" as a user meets it: a gptme project (AGENTS.md, a gptme.toml with a prompt
// and a context_cmd) trusted in a tab, a message sent, then the panel opened from the keyboard.
const SHOTS = 'test-results/screenshots';
const KEY = 'sk-e2e-context-panel-Q7ZX';
const AGENTS = 'Always run `npm test` before you say a change is done.';
const TOML = [
  'prompt = "Answer in plain English."',
  'context_cmd = "touch ran.txt; echo branch: main; echo 2 files changed"',
  '',
].join('\n');

let provider: ScriptedProvider;
let host: Host;

test.beforeEach(async () => {
  await mkdir(SHOTS, { recursive: true });
  provider = await startScriptedProvider({ respond: () => ({ kind: 'stream', text: 'Noted.' }) });
  host = await startHost({ OPENAI_BASE_URL: provider.url, OPENAI_API_KEY: KEY, DESKMATE_MODEL: 'scripted' });
});

test.afterEach(async () => {
  await host?.stop();
  await provider?.close();
});

async function project(): Promise<string> {
  const folder = await tempWorkspace('deskmate-context-');
  await writeFile(path.join(folder, 'AGENTS.md'), AGENTS);
  await writeFile(path.join(folder, 'gptme.toml'), TOML);
  return folder;
}

async function trustAndSend(page: Page, folder: string): Promise<void> {
  await tabOpener(() => host)(page, folder);
  await page.getByTestId('trust-accept').click();
  await expect(page.getByTestId('trust-badge')).toHaveText('Trusted');
  await send(page, 'hello');
  await expect(page.getByText('Noted.')).toBeVisible();
  await expect(page.getByTestId('send')).toBeVisible();
}

test('the panel shows the prompt as sent, its files, the context command and where each value came from', async ({
  page,
}) => {
  const folder = await project();
  await trustAndSend(page, folder);
  await page.getByTestId('composer').focus();
  await page.keyboard.press('ControlOrMeta+i');
  const panel = page.getByTestId('context-panel');
  await expect(panel).toBeVisible();
  await expect(panel.getByTestId('context-panel-close')).toBeFocused();

  const sent = String(provider.requests[0]!.body.messages?.[0]?.content);
  await expect(panel.getByTestId('context-prompt-kind')).toHaveAttribute('data-kind', 'sent');
  await expect(panel.getByTestId('context-prompt')).toContainText(AGENTS);
  expect(await panel.getByTestId('context-prompt').textContent()).toBe(sent);

  const agents = panel.getByTestId('context-file').filter({ hasText: 'AGENTS.md' });
  await expect(agents.getByTestId('context-file-size')).toHaveText(`${Buffer.byteLength(AGENTS)} B`);
  await expect(agents).toContainText('≈ 14 tokens');

  await expect(panel.getByTestId('context-command')).toHaveText('touch ran.txt; echo branch: main; echo 2 files changed');
  await expect(panel.getByTestId('context-command-output')).toHaveText('branch: main\n2 files changed\n');
  const ranAt = await panel.getByTestId('context-command-ran-at').locator('time').getAttribute('datetime');
  expect(Date.now() - Date.parse(ranAt!)).toBeLessThan(60_000);

  const prompt = panel.locator('[data-testid=context-config-row][data-key=prompt]');
  await expect(prompt).toHaveAttribute('data-layer', 'project');
  await expect(prompt).toContainText('gptme.toml');
  // The key is set, and nothing of it is on the page.
  await expect(panel.locator('[data-testid=context-config-row][data-key="provider.apiKey"]')).toContainText(
    'set (hidden)',
  );
  expect(await page.content()).not.toContain(KEY.slice(-4));

  // Run again: a new run, shown with its own time.
  await panel.getByTestId('context-run-again').click();
  await expect
    .poll(async () => panel.getByTestId('context-command-ran-at').locator('time').getAttribute('datetime'))
    .not.toBe(ranAt);

  await page.keyboard.press('Escape');
  await expect(panel).toBeHidden();
  await expect(page.getByTestId('composer')).toBeFocused();
  // Esc closed the panel and did nothing else: the conversation is still there.
  await expect(page.getByText('Noted.')).toBeVisible();
});

test('an untrusted folder: the command is named, never run, with no output and no time', async ({ page }) => {
  const folder = await project();
  await tabOpener(() => host)(page, folder);
  await page.getByTestId('trust-decline').click();
  await page.getByTestId('context-panel-open').click();
  const panel = page.getByTestId('context-panel');
  await expect(panel.getByTestId('context-prompt-kind')).toHaveAttribute('data-kind', 'next');
  await expect(panel.getByTestId('context-prompt')).toContainText(AGENTS);
  await expect(panel.getByTestId('context-command-untrusted')).toHaveText('Runs once you trust this folder.');
  await expect(panel.getByTestId('context-command-output')).toHaveCount(0);
  await expect(panel.getByTestId('context-command-ran-at')).toHaveCount(0);
  await expect(panel.locator('[data-testid=context-config-row][data-key=context_cmd]')).toHaveCount(0);
  expect(existsSync(path.join(folder, 'ran.txt'))).toBe(false);
  await page.screenshot({ path: `${SHOTS}/context-panel-untrusted-1200-light.png` });
});

const VARIANTS = [
  { width: 1200, scheme: 'light' },
  { width: 700, scheme: 'light' },
  { width: 1200, scheme: 'dark' },
  { width: 700, scheme: 'dark' },
] as const;

for (const { width, scheme } of VARIANTS) {
  test(`the panel at ${width} px, ${scheme}`, async ({ browser }) => {
    const context = await browser.newContext({ colorScheme: scheme, viewport: { width, height: 800 } });
    const page = await context.newPage();
    const folder = await project();
    await writeFile(path.join(folder, 'README.md'), `# Demo\n\n${'A line of the readme.\n'.repeat(1_200)}`);
    await trustAndSend(page, folder);
    await page.screenshot({ path: `${SHOTS}/context-panel-header-${width}-${scheme}.png` });
    await page.getByTestId('context-panel-open').click();
    const panel = page.getByTestId('context-panel');
    await expect(panel.getByTestId('context-command-output')).toBeVisible();
    const box = await panel.boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(width);
    await page.screenshot({ path: `${SHOTS}/context-panel-${width}-${scheme}.png` });
    await panel.getByTestId('context-config-row').first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/context-panel-config-${width}-${scheme}.png` });
    await context.close();
  });
}
