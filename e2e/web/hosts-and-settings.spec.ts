import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test, type Browser, type Page } from '@playwright/test';
import {
  startScriptedProvider,
  type RecordedRequest,
  type ScriptedProvider,
  type Step,
} from '../../test/support/scripted-provider';
import { startHost, type Host } from '../../test/support/headless-host';
import { lastUserText, send, tempWorkspace } from './tab';

// What differs between hosts, as a user meets it in a browser tab: a conversation open in another
// tab, and the controls a desktop host gives natively (windows, folder dialog, file chooser).

function script(request: RecordedRequest): Step {
  const text = lastUserText(request);
  if (text.includes('drop the line')) return { kind: 'drop', text: 'Half a rep' };
  if (text.includes('no such model')) return { kind: 'error', status: 404, message: 'model not found' };
  if (text.includes('long story'))
    return { kind: 'stream', text: 'Once upon a time, '.repeat(300), delayMs: 25 };
  return { kind: 'stream', text: `Noted: ${text.split('\n')[0]}`, delayMs: 5 };
}

let provider: ScriptedProvider;
let host: Host;

test.beforeEach(async () => {
  provider = await startScriptedProvider({ respond: script, models: ['scripted', 'gpt-b', 'gpt-c'] });
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

const item = (page: Page, name: string) =>
  page.getByTestId('conversation-item').filter({ hasText: name }).first();

/** Tab A starts a conversation and gets a reply; its sidebar name is the first message. */
async function startConversation(page: Page, text: string): Promise<void> {
  await send(page, text);
  await expect(page.getByText(`Noted: ${text}`)).toBeVisible();
  // The reply is drawn before its turn ends, and a window with a turn running starts no new
  // conversation (Busy): wait for Send to come back, as a user would.
  await expect(page.getByTestId('send')).toBeVisible();
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
    const folder = await tempWorkspace('deskmate-open-');
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
    const folder = await tempWorkspace('deskmate-attach-');
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

test.describe('settings', () => {
  test('say when nothing changed, show a bad URL beside the field, and offer the models a test found', async ({
    page,
  }) => {
    await page.goto(host.url);
    await expect(page.getByTestId('composer')).toBeVisible();
    await page.getByTestId('settings-open').click();
    const settings = page.getByRole('region', { name: 'Settings' });
    const status = settings.getByRole('status');

    const save = settings.getByRole('button', { name: 'Save' });
    // Dimmed and marked disabled, yet still focusable and clickable: it says why nothing happens.
    await expect(save).toHaveAttribute('aria-disabled', 'true');
    await save.click({ force: true });
    await expect(status).toHaveText('Nothing changed.');

    const url = settings.getByLabel('Provider base URL');
    await url.fill('http:/localhost:1234');
    await url.blur();
    const problem = page.getByTestId('url-problem');
    await expect(problem).toHaveText('Enter a full URL starting with http:// or https://');
    await expect(url).toHaveAttribute('aria-invalid', 'true');
    await save.click();
    await expect(problem).toBeVisible();
    await expect(settings).not.toContainText('Invalid settings');
    await expect(settings).not.toContainText('Invalid URL');

    await url.fill(provider.url);
    await expect(problem).toBeHidden();
    await settings.getByRole('button', { name: 'Test connection' }).click();
    await expect(status).toContainText('Connected: 3 models available.');
    await page.getByTestId('found-models').selectOption('gpt-c');
    await expect(settings.getByLabel('Default model', { exact: true })).toHaveValue('gpt-c');
    await save.click();
    // Saved, and back in the chat, where the model in effect is the one picked.
    await expect(page.getByTestId('composer')).toBeVisible();
    await expect(page.getByTestId('model-picker')).toHaveValue('gpt-c');
  });

  test("the header's model field warns about a model the provider does not list, without blocking it", async ({
    page,
  }) => {
    await page.goto(host.url);
    const picker = page.getByTestId('model-picker');
    // As a user would: type once the field shows the model in effect (the field is new until then).
    await expect(picker).not.toHaveValue('');
    await picker.click();
    await picker.fill('gtp-c');
    await expect(page.getByTestId('model-unlisted')).toHaveText('not listed by the provider');
    await picker.fill('gpt-c');
    await expect(page.getByTestId('model-unlisted')).toBeHidden();
    await picker.fill('gtp-c');
    await picker.press('Enter');
    // Taken as typed: a provider may serve models it does not list.
    await expect(picker).toHaveValue('gtp-c');
    await expect(page.getByTestId('model-unlisted')).toBeVisible();
  });

  test('a failed turn says what happened in words, and offers Settings only when Settings can fix it', async ({
    page,
  }) => {
    await page.goto(host.url);
    await expect(page.getByTestId('composer')).toBeVisible();
    // Said once, on the turn: not repeated in the banner.
    const failure = page.getByTestId('turn-error');

    await send(page, 'Please drop the line');
    await expect(failure).toContainText('The connection to the provider dropped');
    await expect(failure).not.toContainText(/terminated|Error\b/);
    await expect(failure.getByRole('button', { name: 'Open Settings' })).toHaveCount(0);
    await expect(page.getByTestId('error-banner')).toHaveCount(0);

    await send(page, 'Ask the no such model');
    await expect(failure).toContainText('was not found');
    await failure.getByRole('button', { name: 'Open Settings' }).click();
    await expect(page.getByRole('region', { name: 'Settings' })).toBeVisible();
  });
});

test('no "No API key" banner while the user is in Settings setting one up', async ({ page }) => {
  // No key for OpenAI's own URL: the first run opens Settings.
  const keyless = await startHost({ OPENAI_BASE_URL: 'https://api.openai.com/v1' });
  try {
    await page.goto(keyless.url);
    await expect(page.getByTestId('first-run')).toBeVisible();
    // The header's model field asks the provider for its models on focus: that fails without a key.
    await page.getByTestId('model-picker').click();
    await page.getByRole('region', { name: 'Settings' }).getByLabel('API key').click();
    await page.waitForTimeout(500);
    await expect(page.getByTestId('error-banner')).toHaveCount(0);
  } finally {
    await keyless.stop();
  }
});

test('a broken project file: the badge shows the file, line and error; fixing the file clears it', async ({
  page,
}) => {
  const folder = await tempWorkspace('deskmate-project-');
  const file = path.join(folder, 'gptme.toml');
  await writeFile(file, 'temperature = 0.5\nmodel = "gpt-c\n');
  await page.goto(`${host.url}&workspace=${encodeURIComponent(folder)}`);
  await expect(page.getByTestId('workspace-path')).toHaveText(folder);

  const badge = page.getByTestId('config-warnings');
  await expect(badge).toHaveText('1 config warning');
  await badge.click();
  const panel = page.getByTestId('config-warnings-panel');
  await expect(panel).toBeVisible();
  await expect(panel).toContainText(file);
  await expect(panel).toContainText('line 2, column 9');
  await expect(panel).toContainText(
    'the string that starts at column 9 is not closed: add a closing " before the end of the line',
  );
  await expect(panel).toContainText('model = "gpt-c');
  await expect(panel).not.toContainText('control characters');
  await page.keyboard.press('Escape');
  await expect(panel).toBeHidden();
  await expect(badge).toBeFocused();

  // Fixed in an editor: no reopening, the badge goes and the file's model applies.
  await writeFile(file, 'temperature = 0.5\nmodel = "gpt-c"\n');
  await expect(badge).toBeHidden();
  await expect(page.getByTestId('model-picker')).toHaveValue('gpt-c');
});
