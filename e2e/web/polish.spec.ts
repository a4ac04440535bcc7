import { expect, test, type Page } from '@playwright/test';
import {
  startScriptedProvider,
  type RecordedRequest,
  type ScriptedProvider,
  type Step,
} from '../../test/support/scripted-provider';
import { startHost, type Host } from '../../test/support/headless-host';
import { lastUserText, send, tabOpener, tempWorkspace } from './tab';

// What a tester walking the app noticed: notes said on the wrong card, one turn drawn as many
// replies, focus lost on Settings, a timer restarting on reload, the wrong model named, and a
// shortcut a browser tab cannot have.

/** Tool results since the last user message: where this turn is. */
const stepOf = (request: RecordedRequest) => {
  const messages = request.body.messages ?? [];
  return messages.slice(messages.map((m) => m.role).lastIndexOf('user')).filter((m) => m.role === 'tool')
    .length;
};

const COMMANDS = ["printf 'a\\nb\\nc\\n'", 'echo bye; exit 2', 'echo after'];

function script(request: RecordedRequest): Step {
  const said = lastUserText(request);
  if (said.includes('three commands')) {
    const step = stepOf(request);
    if (step < COMMANDS.length)
      return { kind: 'stream', toolCalls: [{ name: 'shell', args: { command: COMMANDS[step] } }] };
    return { kind: 'stream', text: 'All three ran.' };
  }
  if (said.includes('keep writing')) return { kind: 'stall', text: 'Writing slowly' };
  return { kind: 'stream', text: 'Hello.' };
}

let provider: ScriptedProvider;
let host: Host;
const open = tabOpener(() => host);

test.beforeEach(async () => {
  provider = await startScriptedProvider({ respond: script });
  host = await startHost(
    { OPENAI_BASE_URL: provider.url, OPENAI_API_KEY: 'sk-e2e', DESKMATE_MODEL: 'scripted' },
    ['--grace-ms', '5000'],
  );
});

test.afterEach(async () => {
  await host?.stop();
  await provider?.close();
});

/** Screenshots of what changed, at both widths in both schemes, kept with the test's results. */
async function shots(page: Page, name: string): Promise<void> {
  for (const width of [1200, 700]) {
    await page.setViewportSize({ width, height: 800 });
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      await page.screenshot({ path: test.info().outputPath(`${name}-${width}-${colorScheme}.png`) });
    }
  }
  await page.setViewportSize({ width: 1200, height: 800 });
  await page.emulateMedia({ colorScheme: 'light' });
}

/** Runs the three-command turn, every call allowed from the first card on. */
async function runThreeCommands(page: Page): Promise<void> {
  await open(page, await tempWorkspace('deskmate-polish-'));
  await send(page, 'run three commands');
  const first = page.getByTestId('tool-call').first();
  await expect(first).toHaveAttribute('data-status', 'pending');
  await first.getByRole('button', { name: 'Always allow shell in this conversation' }).click();
  await expect(page.getByText('All three ran.')).toBeVisible();
  await expect(page.getByTestId('send')).toBeVisible();
}

test('the command that ended the shell says so, the next one does not, and no card shows the exit-code note', async ({
  page,
}) => {
  await runThreeCommands(page);
  const [lines, exited, after] = [0, 1, 2].map((i) => page.getByTestId('tool-call').nth(i));

  // Three lines printed are three lines, and the status line alone says how it ended.
  await expect(lines!).toHaveAttribute('data-status', 'completed');
  await lines!.locator('.tool-result summary').click();
  await expect(lines!.locator('.tool-result summary')).toHaveText('Output · 3 lines');
  await expect(lines!.locator('.tool-result pre')).toHaveText('a\nb\nc');

  await expect(exited!.locator('.tool-status')).toHaveText('failed · exit 2');
  await expect(exited!.locator('.tool-result pre')).toContainText(
    'this command exited the shell; the next command starts a new shell',
  );
  await expect(exited!.locator('.tool-result pre')).not.toContainText('[exit code');

  await after!.locator('.tool-result summary').click();
  await expect(after!.locator('.tool-result pre')).toHaveText('after');

  // The model still reads how each command ended, and the restart once, where it happened.
  const results = (provider.requests.at(-1)!.body.messages ?? [])
    .filter((m) => m.role === 'tool')
    .map((m) => String(m.content));
  expect(results[0]).toMatch(/\[exit code 0\]$/);
  expect(results[1]).toMatch(/exited the shell[\s\S]*\[exit code 2\]$/);
  expect(results[2]).toBe('after\n[exit code 0]');
  await shots(page, 'shell-notes');
});

test("one turn's steps read as one reply: one Deskmate label, small gaps", async ({ page }) => {
  await runThreeCommands(page);
  const replies = page.locator('[data-testid=message][data-role=assistant]');
  await expect(replies).toHaveCount(4);
  await expect(replies.locator('.message-role', { hasText: 'Deskmate' })).toHaveCount(1);
  // A step's card sits close under the one before it: no room for a label row and two paddings.
  const cards = page.getByTestId('tool-call');
  for (const i of [0, 1]) {
    const above = (await cards.nth(i).boundingBox())!;
    const below = (await cards.nth(i + 1).boundingBox())!;
    expect(below.y - (above.y + above.height)).toBeLessThan(32);
  }
  await shots(page, 'one-turn');
});

test('opening Settings puts the focus on it, not on the page', async ({ page }) => {
  await open(page);
  await page.getByTestId('settings-open').click();
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Provider base URL')).toBeFocused();
});

test('Settings names the model in use and where it comes from', async ({ page }) => {
  await open(page);
  await page.getByTestId('settings-open').click();
  const settings = page.getByRole('region', { name: 'Settings' });
  await expect(settings.getByLabel('Default model', { exact: true })).toHaveAttribute(
    'placeholder',
    'scripted',
  );
  await expect(settings.getByTestId('model-in-effect')).toContainText(
    'In use here: scripted (from the environment, DESKMATE_MODEL)',
  );
  await expect(settings.getByTestId('provider-in-effect')).toContainText(
    'model scripted (from the environment, DESKMATE_MODEL)',
  );
  await shots(page, 'settings');
});

test("a reload in the middle of a reply keeps the turn's timer going", async ({ page }) => {
  await open(page);
  await send(page, 'keep writing');
  const status = page.locator('.turn-status');
  await expect(status).toContainText('Writing');
  await expect(status).toContainText(/· ([3-9]|\d{2,}) s/, { timeout: 10_000 });
  await page.reload();
  await expect(status).toBeVisible();
  // The first thing drawn after the reload already counts from the reply's start.
  const seconds = Number(/· (\d+) s/.exec((await status.textContent()) ?? '')?.[1] ?? 0);
  expect(seconds).toBeGreaterThanOrEqual(3);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('send')).toBeVisible();
});

test('a browser tab offers only the shortcuts that work in it', async ({ page }) => {
  await open(page);
  const shortcuts = page.locator('.empty-state .shortcuts');
  await expect(shortcuts).toContainText('open folder');
  await expect(shortcuts).not.toContainText('new window');
  await shots(page, 'empty-state');
});
