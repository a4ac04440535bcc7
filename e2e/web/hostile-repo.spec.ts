import { mkdir } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { makeHostileRepo, ranMarkers, type HostileRepo } from '../../test/support/hostile-repo';
import {
  startScriptedProvider,
  type ScriptedProvider,
  type Step,
} from '../../test/support/scripted-provider';
import { filesHolding } from '../../test/support/secret-scan';
import { startHost, type Host } from '../../test/support/headless-host';

// A hostile repository opened in a browser tab, through the real host and engine: the trust prompt
// lists exactly what it asks for; declined, nothing of it runs and no key shows; trusted, exactly
// the list applies, and still no key.
const SHOTS = 'test-results/screenshots';
const KEY = 'sk-e2e-hostile-key';

function script(request: { body: { messages?: Array<{ role: string }> } }): Step {
  if (request.body.messages?.at(-1)?.role === 'tool') return { kind: 'stream', text: 'Done.' };
  return {
    kind: 'stream',
    text: 'Let me look at the environment.',
    toolCalls: [{ name: 'shell', args: { command: 'env | sort; whoami' } }],
  };
}

let provider: ScriptedProvider;
let host: Host;
let hostile: HostileRepo;

test.beforeEach(async () => {
  await mkdir(SHOTS, { recursive: true });
  hostile = await makeHostileRepo();
  provider = await startScriptedProvider({ respond: script });
  host = await startHost({ OPENAI_BASE_URL: provider.url, OPENAI_API_KEY: KEY, DESKMATE_MODEL: 'scripted' });
});

test.afterEach(async () => {
  await host?.stop();
  await provider?.close();
  await hostile?.remove();
});

async function runEnv(page: Page, round: number): Promise<string> {
  await page.getByTestId('composer').fill('What does the environment look like?');
  await page.getByTestId('composer').press('Enter');
  const card = page.locator('[data-testid=tool-call][data-tool=shell]').nth(round);
  await card.getByTestId('tool-approve').click();
  await expect(card).toHaveAttribute('data-status', 'completed');
  await expect(page.getByTestId('send')).toBeVisible();
  // The output may be folded away once the command succeeded: open it as a user would.
  const output = card.locator('details');
  if (!(await output.evaluate((details) => (details as HTMLDetailsElement).open)))
    await card.locator('summary').click();
  await expect(output).toHaveJSProperty('open', true);
  return output.innerText();
}

test('the trust prompt lists what a hostile repository asks for; declined nothing runs, trusted exactly the list', async ({
  page,
}) => {
  await page.goto(`${host.url}&workspace=${encodeURIComponent(hostile.repo)}`);
  const prompt = page.getByTestId('trust-prompt');
  await expect(prompt).toBeVisible();
  for (const [name, value] of Object.entries(hostile.trustedEnv)) {
    const row = prompt.locator('li', { hasText: name });
    await expect(row.locator('.trust-name')).toHaveText(name);
    await expect(row.locator('.trust-value')).toHaveText(`= ${value}`);
  }
  await expect(prompt.locator('li', { hasText: 'LD_PRELOAD' })).toContainText('runs code');
  await expect(prompt.locator('li', { hasText: 'HTTPS_PROXY' })).toContainText('network');
  // What is refused outright is not offered for trust at all.
  await expect(prompt).not.toContainText('BASH_ENV');
  await expect(prompt).not.toContainText('sk-attacker');
  await page.screenshot({ path: `${SHOTS}/7-trust-prompt.png` });

  await page.getByTestId('trust-decline').click();
  await expect(prompt).toBeHidden();
  await expect(page.getByTestId('trust-badge')).toHaveText('Restricted');
  const restricted = await runEnv(page, 0);
  expect(restricted).toContain('PATH=');
  for (const name of ['LD_PRELOAD', 'NODE_OPTIONS', 'HTTPS_PROXY', 'PROJECT_NOTE', 'OPENAI_API_KEY'])
    expect(restricted).not.toContain(`${name}=`);
  expect(restricted).not.toContain(KEY);
  expect(restricted).not.toContain('hijacked-whoami');
  expect(await ranMarkers(hostile)).toEqual([]);

  await page.getByTestId('trust-badge').click();
  await page.getByTestId('trust-accept').click();
  await expect(page.getByTestId('trust-badge')).toHaveText('Trusted');
  const trusted = await runEnv(page, 1);
  for (const [name, value] of Object.entries(hostile.trustedEnv))
    expect(trusted).toContain(`${name}=${value}`);
  expect(trusted).toContain('hijacked-whoami');
  expect(trusted).not.toContain(KEY);
  // Trusted, its context_cmd runs too (listed in the trust request it was given for; issue 13).
  expect(await ranMarkers(hostile)).toEqual(['context-cmd', 'path-hijack']);

  // Trust is the user's setting: it survives a reload, and the key is in no file of the data folder.
  await page.reload();
  await expect(page.getByTestId('trust-badge')).toHaveText('Trusted');
  await expect(page.getByTestId('trust-prompt')).toHaveCount(0);
  expect(await filesHolding(host.dataDir, [KEY])).toEqual([]);
});

test('the trust prompt at 700 px, in the dark', async ({ browser }) => {
  const context = await browser.newContext({ colorScheme: 'dark', viewport: { width: 700, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${host.url}&workspace=${encodeURIComponent(hostile.repo)}`);
  const prompt = page.getByTestId('trust-prompt');
  await expect(prompt).toBeVisible();
  // Keyboard only: the buttons are reachable and work.
  await page.getByTestId('trust-decline').focus();
  await page.keyboard.press('Enter');
  await expect(prompt).toBeHidden();
  await page.getByTestId('trust-badge').focus();
  await page.keyboard.press('Enter');
  await expect(prompt).toBeVisible();
  const box = await prompt.boundingBox();
  expect(box!.x + box!.width).toBeLessThanOrEqual(700);
  await page.screenshot({ path: `${SHOTS}/8-trust-prompt-700-dark.png` });
  await context.close();
});
