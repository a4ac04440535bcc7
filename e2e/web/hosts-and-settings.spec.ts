import { mkdtemp, realpath, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type Browser, type Page } from '@playwright/test';
import {
  startScriptedProvider,
  type RecordedRequest,
  type ScriptedProvider,
  type Step,
} from '../../test/support/scripted-provider';
import { startHost, type Host } from './headless-host';

// What differs between hosts, as a user meets it in a browser tab: a conversation open in another
// tab, and the controls a desktop host gives natively (windows, folder dialog, file chooser).

function lastUserText(request: RecordedRequest): string {
  const last = [...(request.body.messages ?? [])].reverse().find((m) => m.role === 'user');
  return String(last?.content ?? '');
}

function script(request: RecordedRequest): Step {
  const text = lastUserText(request);
  if (text.includes('long story'))
    return { kind: 'stream', text: 'Once upon a time, '.repeat(300), delayMs: 25 };
  return { kind: 'stream', text: `Noted: ${text.split('\n')[0]}`, delayMs: 5 };
}

let provider: ScriptedProvider;
let host: Host;

test.beforeEach(async () => {
  provider = await startScriptedProvider({ respond: script });
  host = await startHost(
    { OPENAI_BASE_URL: provider.url, OPENAI_API_KEY: 'sk-e2e', DESKMATE_MODEL: 'scripted' },
    // Far longer than any test waits: a conversation freed "at once" is not the grace period ending.
    ['--grace-ms', '120000'],
  );
});

test.afterEach(async () => {
  await host?.stop();
  await provider?.close();
});

async function newTab(browser: Browser): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(host.url);
  await expect(page.getByTestId('composer')).toBeVisible();
  return page;
}

async function send(page: Page, text: string): Promise<void> {
  await page.getByTestId('composer').fill(text);
  await page.getByTestId('composer').press('Enter');
}

const item = (page: Page, name: string) =>
  page.getByTestId('conversation-item').filter({ hasText: name }).first();

/** Tab A starts a conversation and gets a reply; its sidebar name is the first message. */
async function startConversation(page: Page, text: string): Promise<void> {
  await send(page, text);
  await expect(page.getByText(`Noted: ${text}`)).toBeVisible();
}

test.describe('a conversation open in another tab', () => {
  test('says where it is and offers Take over; the first tab is told and left with a new chat', async ({
    browser,
  }) => {
    const first = await newTab(browser);
    await startConversation(first, 'Plan the release');
    await send(first, 'Tell me a long story');
    await expect(first.locator('[data-testid=message][data-role=assistant]').last()).toContainText(
      'Once upon a time',
    );

    const second = await newTab(browser);
    await item(second, 'Plan the release').click();
    const notice = second.getByTestId('open-elsewhere');
    await expect(notice).toBeVisible();
    await expect(notice).toContainText('is open in another tab');
    await expect(second.getByTestId('message')).toHaveCount(0);

    // Taking over stops the reply being written there; its partial text is kept and shown here.
    await notice.getByTestId('take-over').click();
    await expect(notice).toBeHidden();
    await expect(second.getByText('Noted: Plan the release')).toBeVisible();
    await expect(second.locator('[data-testid=message][data-role=assistant]').last()).toContainText(
      'Once upon a time',
    );

    const taken = first.getByTestId('taken-notice');
    await expect(taken).toBeVisible();
    await expect(taken).toContainText('was taken over in another tab');
    await expect(first.getByTestId('message')).toHaveCount(0);
    await expect(first.getByTestId('stop')).toBeHidden();
    // Not broken: the first tab carries on in a conversation of its own.
    await send(first, 'Something else');
    await expect(first.getByText('Noted: Something else')).toBeVisible();
    await expect(second.getByText('Noted: Something else')).toBeHidden();

    // And the second tab carries the taken conversation on.
    await send(second, 'Carry on here');
    await expect(second.getByText('Noted: Carry on here')).toBeVisible();
  });

  test('the address of a conversation open elsewhere shows the same notice, not an empty chat', async ({
    browser,
  }) => {
    const first = await newTab(browser);
    await startConversation(first, 'Shared by address');
    const id = await first.evaluate(async () => {
      const api = (window as unknown as { deskmate: { window: { state(i: object): Promise<unknown> } } })
        .deskmate;
      const state = (await api.window.state({})) as { value: { conversation: { id: string } } };
      return state.value.conversation.id;
    });
    const second = await (await browser.newContext()).newPage();
    await second.goto(`${host.url}&conversation=${id}`);
    await expect(second.getByTestId('open-elsewhere')).toContainText(
      '“Shared by address” is open in another tab',
    );
    await second.getByTestId('take-over').click();
    await expect(second.getByText('Noted: Shared by address')).toBeVisible();
    await expect(first.getByTestId('taken-notice')).toBeVisible();
  });

  test('closing a tab releases its conversation at once; a reload keeps it', async ({ browser }) => {
    const first = await newTab(browser);
    await startConversation(first, 'Kept through a reload');
    const second = await newTab(browser);

    // A reload comes back to its conversation, which it still holds.
    await first.reload();
    await expect(first.getByText('Noted: Kept through a reload')).toBeVisible();
    await item(second, 'Kept through a reload').click();
    await expect(second.getByTestId('open-elsewhere')).toBeVisible();
    await second.getByRole('button', { name: 'Cancel' }).click();
    await expect(second.getByTestId('open-elsewhere')).toBeHidden();

    // Closed: the other tab opens it straight away, long before the 120 s grace period ends.
    await first.close();
    await expect(async () => {
      await item(second, 'Kept through a reload').click();
      await expect(second.getByText('Noted: Kept through a reload')).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 10_000 });
    await expect(second.getByTestId('open-elsewhere')).toBeHidden();
    await send(second, 'Mine now');
    await expect(second.getByText('Noted: Mine now')).toBeVisible();
  });
});

test.describe('desktop controls in a browser tab', () => {
  test('Open in a new window opens a new tab with that conversation', async ({ browser }) => {
    const page = await newTab(browser);
    await startConversation(page, 'Worth a tab of its own');
    await page.getByTestId('new-conversation').click();
    await expect(page.getByTestId('message')).toHaveCount(0);

    const opened = page.context().waitForEvent('page');
    const entry = item(page, 'Worth a tab of its own');
    await entry.hover();
    await entry.getByRole('button', { name: 'Open in a new window' }).click();
    const tab = await opened;
    await expect(tab.getByText('Noted: Worth a tab of its own')).toBeVisible();
    await expect(page.getByTestId('error-banner')).toHaveCount(0);
    // It holds the token like any tab: a reload finds the conversation again.
    await tab.reload();
    await expect(tab.getByText('Noted: Worth a tab of its own')).toBeVisible();
  });

  test('Open Folder and Ctrl+O open the path field with the focus in it', async ({ page }) => {
    const folder = await realpath(await mkdtemp(path.join(tmpdir(), 'deskmate-open-')));
    await page.goto(host.url);
    await expect(page.getByTestId('composer')).toBeVisible();

    await page.getByTestId('workspace-open').click();
    const field = page.getByLabel('Folder path');
    await expect(field).toBeFocused();
    await expect(page.getByTestId('error-banner')).toHaveCount(0);
    await field.press('Escape');
    await expect(field).toBeHidden();

    await page.getByTestId('composer').click();
    await page.keyboard.press('Control+o');
    await expect(field).toBeFocused();
    await page.keyboard.type(folder);
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('workspace-path')).toHaveText(folder);
    await expect(page.getByTestId('error-banner')).toHaveCount(0);
  });

  test('the attachment button takes a typed path, and the file reaches the model', async ({ page }) => {
    const folder = await realpath(await mkdtemp(path.join(tmpdir(), 'deskmate-attach-')));
    const file = path.join(folder, 'notes.txt');
    await writeFile(file, 'the attached words 7342');
    await page.goto(host.url);
    await expect(page.getByTestId('composer')).toBeVisible();

    await page.getByRole('button', { name: 'Attach a file by its path' }).click();
    const field = page.getByRole('textbox', { name: 'File path' });
    await expect(field).toBeFocused();
    await field.fill('notes.txt');
    await field.press('Enter');
    await expect(page.getByTestId('attach-path')).toContainText('full path');
    await field.fill(file);
    await field.press('Enter');
    await expect(page.getByTitle(file)).toBeVisible();

    await send(page, 'Read this');
    await expect(page.getByText('Noted: Read this')).toBeVisible();
    expect(JSON.stringify(provider.requests.at(-1)?.body.messages)).toContain('the attached words 7342');
  });
});
