import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startScriptedProvider, type ScriptedProvider } from '../../test/support/scripted-provider';
import { startHost, type Host } from '../../test/support/headless-host';
import { send, tabOpener } from './tab';

// A gptme user's conversations, copied as gptme wrote them into Deskmate's data folder: each opens
// with every message gptme would show, and goes on with the history gptme would send.

const FIXTURES = path.resolve('test/fixtures/gptme-logs');
let provider: ScriptedProvider;
let host: Host;
const openTab = tabOpener(() => host);

test.beforeEach(async () => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'deskmate-gptme-'));
  for (const id of ['2026-03-01-markdown-tools', '2026-03-02-tidy-project'])
    await cp(path.join(FIXTURES, id), path.join(dataDir, 'conversations', id), { recursive: true });
  provider = await startScriptedProvider({ respond: () => ({ kind: 'stream', text: 'Noted.' }) });
  host = await startHost(
    { OPENAI_BASE_URL: provider.url, OPENAI_API_KEY: 'sk-e2e', DESKMATE_MODEL: 'scripted' },
    [],
    { dataDir },
  );
});

test.afterEach(async () => {
  await host?.stop();
  await provider?.close();
});

test('a markdown-format conversation shows its command output as gptme did, and hides what gptme hid', async ({
  page,
}) => {
  await openTab(page);
  await page
    .getByTestId('conversation-item')
    .filter({ hasText: 'What day is it' })
    .getByRole('button')
    .first()
    .click();
  const messages = page.getByTestId('message');
  await expect(messages).toHaveCount(4);
  await expect(messages.nth(0)).toHaveAttribute('data-role', 'user');
  await expect(messages.nth(2)).toHaveAttribute('data-role', 'system');
  await expect(messages.nth(2)).toContainText('Ran command: date');
  await expect(messages.nth(2)).toContainText('Sun Mar  1 08:00:13 UTC 2026');
  await expect(page.getByText('You are gptme, a general-purpose AI assistant.')).toHaveCount(0);
  await expect(page.getByText('Old gptme wrote no timestamp')).toHaveCount(0);
});

test("a tool-format conversation: calls in cards, a warning between them, the broken line noticed; going on sends gptme's history", async ({
  page,
}) => {
  await openTab(page);
  await page
    .getByTestId('conversation-item')
    .filter({ hasText: 'Tidy the project' })
    .getByRole('button')
    .first()
    .click();
  const messages = page.getByTestId('message');
  // user, assistant (ls), assistant (read + wc), the warning, the summary, user, assistant.
  await expect(messages).toHaveCount(7);
  await expect(page.getByTestId('tool-call')).toHaveCount(3);
  const warning = messages.filter({ hasText: 'shellcheck found SC2086' });
  await expect(warning).toHaveAttribute('data-role', 'system');
  await expect(page.getByTestId('unreadable-lines-notice')).toBeVisible();
  await expect(page.getByText('# Selected files')).toHaveCount(0);

  await send(page, 'And now?');
  await expect(page.getByText('Noted.')).toBeVisible();
  const sent = provider.requests.at(-1)!.body.messages ?? [];
  const text = (m: (typeof sent)[number]) => String(m.content ?? '');
  // The hidden context gptme kept for the model, and the visible warning, both reach it again.
  expect(sent.some((m) => text(m).includes('# Selected files'))).toBe(true);
  expect(sent.some((m) => text(m).includes('shellcheck found SC2086'))).toBe(true);
  expect(sent.filter((m) => m.role === 'tool').map((m) => m.tool_call_id)).toEqual([
    'call_ls01',
    'call_rd02',
    'call_wc03',
  ]);
  expect(text(sent.at(-1)!)).toBe('And now?');
});
