import { expect, test } from '@playwright/test';
import { startScriptedProvider, type ScriptedProvider } from '../../test/support/scripted-provider';
import { startHost, type Host } from '../../test/support/headless-host';
import { send, tabOpener, tempWorkspace } from './tab';

// A browser tab's address says what it shows: a reload keeps it, and an address typed into the
// same tab (which reattaches to the tab's own context) is obeyed.

let provider: ScriptedProvider;
let host: Host;
const openTab = tabOpener(() => host);

test.beforeEach(async () => {
  provider = await startScriptedProvider({ respond: () => ({ kind: 'stream', text: 'Noted.' }) });
  host = await startHost(
    { OPENAI_BASE_URL: provider.url, OPENAI_API_KEY: 'sk-e2e', DESKMATE_MODEL: 'scripted' },
    ['--grace-ms', '5000'],
  );
});

test.afterEach(async () => {
  await host?.stop();
  await provider?.close();
});

test('the address follows the folder and conversation, and a new address in the same tab is obeyed', async ({
  page,
}) => {
  const [first, second] = [await tempWorkspace('deskmate-addr-a-'), await tempWorkspace('deskmate-addr-b-')];
  await openTab(page, first);
  await send(page, 'remember this');
  await expect(page.getByText('Noted.')).toBeVisible();
  await expect.poll(() => new URL(page.url()).searchParams.get('conversation')).not.toBeNull();
  const conversation = new URL(page.url()).searchParams.get('conversation');
  expect(new URL(page.url()).searchParams.get('workspace')).toBe(first);
  expect(new URL(page.url()).searchParams.has('token')).toBe(false);

  // The same tab, another folder in its address: the tab's context is reattached, and moves there.
  await page.goto(`${host.origin}/?workspace=${encodeURIComponent(second)}`);
  await expect(page.getByTestId('workspace-path')).toHaveText(second);
  await expect(page.getByTestId('message').filter({ hasText: 'remember this' })).toBeVisible();

  // A plain reload shows what the tab showed.
  await page.reload();
  await expect(page.getByTestId('workspace-path')).toHaveText(second);
  await expect(page.getByTestId('message').filter({ hasText: 'remember this' })).toBeVisible();
  expect(new URL(page.url()).searchParams.get('conversation')).toBe(conversation);
});
