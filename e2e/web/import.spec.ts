import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startScriptedProvider, type ScriptedProvider } from '../../test/support/scripted-provider';
import { startHost, type Host } from '../../test/support/headless-host';

// Issue 13, as a gptme user meets it: gptme's log folder (here XDG_DATA_HOME/gptme/logs on the
// machine `npm run serve` runs on) imported from the sidebar, listed, and opened with every message.

const FIXTURES = path.resolve('test/fixtures/gptme-logs');
const SHOTS = 'test-results/screenshots';

let provider: ScriptedProvider;
let host: Host;

test.beforeEach(async () => {
  const home = await mkdtemp(path.join(tmpdir(), 'deskmate-import-home-'));
  const dataHome = path.join(home, 'data');
  await cp(FIXTURES, path.join(dataHome, 'gptme', 'logs'), { recursive: true });
  provider = await startScriptedProvider();
  host = await startHost({
    HOME: home,
    XDG_DATA_HOME: dataHome,
    OPENAI_BASE_URL: provider.url,
    OPENAI_API_KEY: 'sk-e2e',
    DESKMATE_MODEL: 'scripted',
  });
});

test.afterEach(async () => {
  await host.stop();
  await provider.close();
});

/** The sidebar's "Import from gptme…", with the sidebar shown first in a narrow window. */
async function openImport(page: Page): Promise<void> {
  if (!(await page.getByTestId('import-gptme').isVisible())) await page.getByTestId('sidebar-toggle').click();
  await page.getByTestId('import-gptme').click();
  await expect(page.getByTestId('import-dialog')).toBeVisible();
}

test('Import from gptme lists the conversations, opens one with every message, and a second import adds nothing', async ({
  page,
}) => {
  await page.goto(host.url);
  await expect(page.getByTestId('composer')).toBeVisible();
  await openImport(page);
  // The keyboard reaches it: Import has the focus, Enter starts.
  await expect(page.getByTestId('import-start')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('import-imported')).toHaveText('2');
  await expect(page.getByTestId('import-present')).toHaveText('0');
  await expect(page.getByTestId('import-unreadable')).toHaveText('0');
  await expect(page.getByTestId('import-dialog')).toContainText('1 line cannot be read');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('import-dialog')).toBeHidden();

  const list = page.getByTestId('conversation-list');
  await expect(list.getByText('Tidy the project')).toBeVisible();
  await expect(page.getByTestId('conversation-item')).toHaveCount(2);

  await list.getByText('Tidy the project').click();
  const messages = page.getByTestId('message');
  for (const text of [
    'List the files, then read the README.',
    'Let me look.',
    'The README is two lines: a title and a greeting.',
    'Thanks!',
    "You're welcome.",
  ])
    await expect(messages.filter({ hasText: text })).toHaveCount(1);
  // The tool calls as cards, the cut line said.
  await expect(page.locator('[data-testid=tool-call][data-tool=shell]')).toHaveCount(2);
  await expect(page.locator('[data-testid=tool-call][data-tool=read]')).toHaveCount(1);
  await expect(page.getByTestId('unreadable-lines-notice')).toBeVisible();
  // Hidden system messages stay hidden.
  await expect(page.getByText('You are gptme v0.28')).toHaveCount(0);

  await openImport(page);
  await page.getByTestId('import-start').click();
  await expect(page.getByTestId('import-present')).toHaveText('2');
  await expect(page.getByTestId('import-imported')).toHaveText('0');
  await page.getByTestId('import-close').click();
  await expect(page.getByTestId('conversation-item')).toHaveCount(2);
});

for (const scheme of ['light', 'dark'] as const) {
  for (const width of [1200, 700]) {
    test(`the import dialog at ${width} px, ${scheme}`, async ({ browser }) => {
      const context = await browser.newContext({ colorScheme: scheme, viewport: { width, height: 800 } });
      const page = await context.newPage();
      const shot = (name: string) =>
        page.screenshot({ path: `${SHOTS}/import-${name}-${width}-${scheme}.png` });
      await page.goto(host.url);
      await expect(page.getByTestId('composer')).toBeVisible();
      await openImport(page);
      await shot('1-ask');
      await page.getByTestId('import-start').click();
      await expect(page.getByTestId('import-imported')).toHaveText('2');
      await shot('2-summary');
      await page.keyboard.press('Escape');
      await expect(page.getByTestId('import-dialog')).toBeHidden();
      await context.close();
    });
  }
}
