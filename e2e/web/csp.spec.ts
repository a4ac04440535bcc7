import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import {
  startScriptedProvider,
  type RecordedRequest,
  type ScriptedProvider,
  type Step,
} from '../../test/support/scripted-provider';
import { startHost, type Host } from '../../test/support/headless-host';
import { tempWorkspace } from './tab';

// The renderer works under the strict CSP (no inline style or script, no eval): every main view is
// walked against the built renderer and the real engine, and not one violation may be reported.

const MARKDOWN = [
  '## Plan',
  '',
  '| File | Lines |',
  '| --- | ---: |',
  '| parser.ts | 412 |',
  '',
  '```ts',
  'export const answer: number = 42; // highlighted',
  '```',
].join('\n');

function script(request: RecordedRequest): Step {
  const messages = request.body.messages ?? [];
  const lastUser = String([...messages].reverse().find((m) => m.role === 'user')?.content ?? '');
  if (messages.at(-1)?.role === 'tool') return { kind: 'stream', text: 'Done.' };
  if (lastUser.includes('markdown')) return { kind: 'stream', text: MARKDOWN };
  if (lastUser.includes('patch')) {
    return {
      kind: 'stream',
      text: 'A patch:',
      toolCalls: [
        {
          name: 'patch',
          args: { path: 'a.ts', patch: '<<<<<<< ORIGINAL\nold\n=======\nnew\n>>>>>>> UPDATED' },
        },
      ],
    };
  }
  return { kind: 'stream', text: 'A command:', toolCalls: [{ name: 'shell', args: { command: 'echo hi' } }] };
}

interface Violation {
  directive: string;
  blocked: string;
  sample: string;
  /** Reported for the test's own probe element, not for the app. */
  probe: boolean;
}

/** Every securitypolicyviolation the page reports, from before its first script runs. */
async function collectViolations(
  page: Page,
): Promise<{ events: () => Promise<Violation[]>; console: string[] }> {
  const console: string[] = [];
  page.on('console', (message) => {
    if (/content security policy/i.test(message.text())) console.push(message.text());
  });
  await page.addInitScript(() => {
    const seen: Violation[] = [];
    (window as unknown as { __violations: Violation[] }).__violations = seen;
    document.addEventListener('securitypolicyviolation', (event) => {
      const target = event.target;
      seen.push({
        directive: event.violatedDirective,
        blocked: event.blockedURI,
        sample: event.sample,
        probe: target instanceof Element && target.hasAttribute('data-csp-probe'),
      });
    });
  });
  return {
    console,
    events: () => page.evaluate(() => (window as unknown as { __violations: Violation[] }).__violations),
  };
}

let provider: ScriptedProvider;
let host: Host;

test.beforeAll(async () => {
  provider = await startScriptedProvider({ respond: script, models: ['gpt-4.1', 'gpt-4.1-mini'] });
  host = await startHost({
    OPENAI_BASE_URL: provider.url,
    OPENAI_API_KEY: 'sk-e2e',
    DESKMATE_MODEL: 'gpt-4.1-mini',
  });
});

test.afterAll(async () => {
  await host?.stop();
  await provider?.close();
});

test('the main views render under the strict CSP without a single violation', async ({ page }) => {
  const violations = await collectViolations(page);
  // A folder holding the file the patch changes: a write tool asks only inside a workspace.
  const folder = await tempWorkspace('deskmate-csp-');
  await writeFile(path.join(folder, 'a.ts'), 'old\n');
  const response = await page.goto(`${host.url}&workspace=${encodeURIComponent(folder)}`);
  const policy = response?.headers()['content-security-policy'] ?? '';
  expect(policy).toContain("style-src 'self'");
  expect(policy).not.toContain('unsafe-inline');
  expect(policy).not.toContain('unsafe-eval');

  await expect(page.getByTestId('composer')).toBeVisible();

  // Markdown: a table and a highlighted code block.
  await page.getByTestId('composer').fill('Show me some markdown');
  await page.keyboard.press('Enter');
  await expect(page.locator('.markdown table')).toBeVisible();
  await expect(page.locator('.code-block .hljs-keyword').first()).toBeVisible();
  await expect(page.getByTestId('send')).toBeVisible();

  // A pending tool call, skipped.
  await page.getByTestId('composer').fill('Run something');
  await page.keyboard.press('Enter');
  const shell = page.locator('[data-testid=tool-call][data-tool=shell]');
  await expect(shell).toHaveAttribute('data-status', 'pending');
  await shell.getByTestId('tool-skip').click();
  await expect(shell).toHaveAttribute('data-status', 'skipped');
  await expect(page.getByTestId('send')).toBeVisible();

  // A patch with its diff.
  await page.getByTestId('composer').fill('Now patch it');
  await page.keyboard.press('Enter');
  const patch = page.locator('[data-testid=tool-call][data-tool=patch]');
  await expect(patch.locator('.diff-add')).toContainText('new');
  await patch.getByTestId('tool-skip').click();
  await expect(page.getByTestId('send')).toBeVisible();

  // The conversation list, a new conversation, and back.
  await expect(page.getByTestId('conversation-item').first()).toBeVisible();
  await page.getByTestId('new-conversation').click();
  await expect(page.getByTestId('conversation-item')).toHaveCount(2);
  await page.getByTestId('conversation-item').nth(1).click();
  await expect(page.locator('.markdown table')).toBeVisible();

  // Settings, with a connection test.
  await page.getByTestId('settings-open').click();
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
  await page.getByRole('button', { name: 'Test connection' }).click();
  await expect(page.getByRole('status')).toContainText('2 models');

  // The collectors work: an inline style attribute planted by the test is refused and reported.
  // Reports arrive in order, so once the probe's are in, any earlier one would be too.
  await page.evaluate(() => {
    const holder = document.createElement('div');
    holder.innerHTML = '<span data-csp-probe style="color: red">probe</span>';
    document.body.append(holder);
  });
  await expect.poll(async () => (await violations.events()).filter((v) => v.probe).length).toBeGreaterThan(0);
  const reported = await violations.events();
  const probes = reported.filter((v) => v.probe);
  expect(probes[0]).toMatchObject({ directive: 'style-src-attr', blocked: 'inline' });
  expect(reported.filter((v) => !v.probe)).toEqual([]);
  // The console carries the same reports: the probe's, and nothing else.
  await expect.poll(() => violations.console.length).toBe(probes.length);
  for (const text of violations.console) expect(text).toMatch(/inline style/i);
});
