import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import {
  startScriptedProvider,
  type RecordedRequest,
  type ScriptedProvider,
  type Step,
} from '../../test/support/scripted-provider';
import { startHost, type Host } from '../../test/support/headless-host';
import { send, tabOpener, tempWorkspace } from './tab';

// Tool cards as a user meets them: what ran, how it ended, and what may run without asking.

type Messages = NonNullable<RecordedRequest['body']['messages']>;

const lastUser = (messages: Messages) =>
  String([...messages].reverse().find((m) => m.role === 'user')?.content ?? '');
/** Tool results since the last user message: where this turn is. */
const resultsThisTurn = (messages: Messages) =>
  messages.slice(messages.map((m) => m.role).lastIndexOf('user')).filter((m) => m.role === 'tool').length;

function script(request: RecordedRequest): Step {
  const messages = request.body.messages ?? [];
  const said = lastUser(messages);
  const step = resultsThisTurn(messages);
  if (said.includes('edit me')) {
    if (step === 0)
      return { kind: 'stream', toolCalls: [{ name: 'shell', args: { command: 'echo original' } }] };
    return { kind: 'stream', text: 'The command ran.' };
  }
  if (said.includes('three ways')) {
    if (step === 0)
      return {
        kind: 'stream',
        toolCalls: [
          { name: 'shell', args: { command: 'ls /no/such/folder' } },
          { name: 'shell', args: { command: 'no-such-command-xyz' } },
          { name: 'shell', args: { command: 'sleep 30' } },
        ],
      };
    return { kind: 'stream', text: 'Three commands ran.' };
  }
  if (said.includes('grant me')) {
    if (step === 0) return { kind: 'stream', toolCalls: [{ name: 'shell', args: { command: 'echo one' } }] };
    if (step <= 2)
      return { kind: 'stream', toolCalls: [{ name: 'save', args: { path: 'notes.txt', content: 'hi' } }] };
    return { kind: 'stream', text: 'Saved.' };
  }
  if (said.includes('once more')) {
    if (step === 0) return { kind: 'stream', toolCalls: [{ name: 'shell', args: { command: 'echo two' } }] };
    return { kind: 'stream', text: 'Again done.' };
  }
  if (said.includes('write outside')) {
    if (step === 0)
      return {
        kind: 'stream',
        toolCalls: [{ name: 'save', args: { path: '../outside.txt', content: 'x' } }],
      };
    return { kind: 'stream', text: 'It was refused.' };
  }
  if (said.includes('by keyboard')) {
    if (step === 0)
      return { kind: 'stream', toolCalls: [{ name: 'shell', args: { command: 'echo first' } }] };
    if (step === 1)
      return { kind: 'stream', toolCalls: [{ name: 'shell', args: { command: 'echo second' } }] };
    return { kind: 'stream', text: 'Keyboard done.' };
  }
  if (said.includes('long output')) {
    if (step === 0)
      return {
        kind: 'stream',
        toolCalls: [{ name: 'shell', args: { command: 'for i in $(seq 1 20000); do echo "row $i"; done' } }],
      };
    return { kind: 'stream', text: 'Long done.' };
  }
  return { kind: 'stream', text: 'Hello.' };
}

let provider: ScriptedProvider;
let host: Host;

test.beforeEach(async () => {
  provider = await startScriptedProvider({ respond: script });
  host = await startHost(
    { OPENAI_BASE_URL: provider.url, OPENAI_API_KEY: 'sk-e2e', DESKMATE_MODEL: 'scripted' },
    ['--grace-ms', '1500'],
  );
});

test.afterEach(async () => {
  await host?.stop();
  await provider?.close();
});

async function openTab(page: Page): Promise<string> {
  const folder = await tempWorkspace('deskmate-cards-');
  await tabOpener(() => host)(page, folder);
  return folder;
}

const cards = (page: Page) => page.getByTestId('tool-call');

/** The one conversation's log on disk, as parsed lines. */
/** A tool result's line, in gptme's form: a system message answering a call by its id. */
const isToolResultLine = (line: Record<string, unknown>) =>
  line.role === 'system' && typeof line.call_id === 'string';

async function logLines(): Promise<Array<Record<string, unknown>>> {
  const root = path.join(host.dataDir, 'conversations');
  const [id] = (await readdir(root)).filter((name) => !name.includes('.'));
  const text = await readFile(path.join(root, id!, 'conversation.jsonl'), 'utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

async function expectEdited(card: Locator): Promise<void> {
  await expect(card.locator('.tool-result pre')).toBeVisible();
  await expect(card.locator('.tool-args')).toContainText('$ echo edited');
  await expect(card.locator('.tool-args')).not.toContainText('echo original');
  await expect(card.getByTestId('tool-edited')).toHaveText('edited');
  await expect(card.locator('.tool-result')).toContainText('edited');
}

test('an edited command: the card, the log and the next request carry what ran, and say it was edited', async ({
  page,
}) => {
  await openTab(page);
  await send(page, 'edit me');
  const card = cards(page).first();
  await expect(card).toHaveAttribute('data-status', 'pending');
  await card.getByTestId('tool-edit').click();
  // A shell command edits as a command, not as JSON.
  const field = card.getByLabel('Edit command');
  await expect(field).toHaveValue('echo original');
  await field.fill('echo edited');
  await card.getByRole('button', { name: 'Run edited' }).click();
  await expect(page.getByText('The command ran.')).toBeVisible();
  await expect(card).toHaveAttribute('data-status', 'completed');
  await card.locator('.tool-result summary').click();
  await expectEdited(card);

  // The model's next request: the call as it ran, and a result that says the user changed it.
  const next = provider.requests.at(-1)!.body.messages!;
  const wire = JSON.stringify(next);
  expect(wire).toContain('echo edited');
  expect(wire).not.toContain('echo original');
  const result = next.find((m) => m.role === 'tool');
  expect(String(result?.content)).toMatch(/edited by the user/);

  // The log on disk records the command that ran.
  const tool = (await logLines()).find(isToolResultLine)!;
  expect(tool.metadata).toMatchObject({ args: { command: 'echo edited' }, edited: true });
  expect(String(tool.content)).toContain('echo edited');

  await page.reload();
  const again = cards(page).first();
  await expect(again).toHaveAttribute('data-status', 'completed');
  await again.locator('.tool-result summary').click();
  await expectEdited(again);
});

test('a failed, a missing and a stopped command each say how they ended, also after a reload', async ({
  page,
}) => {
  await openTab(page);
  await send(page, 'run it three ways');
  for (const index of [0, 1, 2]) {
    const card = cards(page).nth(index);
    await expect(card).toHaveAttribute('data-status', 'pending');
    await card.getByTestId('tool-approve').click();
  }
  const [missing, unknown, slow] = [0, 1, 2].map((i) => cards(page).nth(i));
  await expect(slow!).toHaveAttribute('data-status', 'running');
  await page.getByTestId('stop').click();
  await expect(page.getByTestId('send')).toBeVisible();

  const check = async () => {
    await expect(missing!).toHaveAttribute('data-status', 'failed');
    await expect(missing!).toHaveAttribute('data-exit-code', '2');
    await expect(missing!.locator('.tool-status')).toHaveText('failed · exit 2');
    await expect(unknown!).toHaveAttribute('data-status', 'failed');
    await expect(unknown!).toHaveAttribute('data-exit-code', '127');
    await expect(unknown!.locator('.tool-status')).toHaveText('failed · exit 127');
    await expect(slow!).toHaveAttribute('data-status', 'stopped');
    await expect(slow!).not.toHaveAttribute('data-exit-code');
    await expect(slow!.locator('.tool-status')).toHaveText('stopped');
    // A failure shows its output at once: that is where the reason is.
    await expect(missing!.locator('.tool-result')).toHaveAttribute('open', '');
    await expect(missing!.locator('.tool-result pre')).toContainText('No such file or directory');
  };
  await check();
  await page.reload();
  await expect(cards(page)).toHaveCount(3);
  await check();
});

test('"always" is for one tool, shows in the header, and can be taken back', async ({ page }) => {
  const folder = await openTab(page);
  await send(page, 'grant me');
  const shell = page.locator('[data-testid=tool-call][data-tool=shell]');
  await expect(shell).toHaveAttribute('data-status', 'pending');
  await shell.getByRole('button', { name: 'Always allow shell in this conversation' }).click();
  await expect(shell).toHaveAttribute('data-status', 'completed');

  // Allowing shell did not allow save.
  const save = page.locator('[data-testid=tool-call][data-tool=save]').first();
  await expect(save).toHaveAttribute('data-status', 'pending');
  const grants = page.getByTestId('grants');
  await expect(grants).toBeVisible();
  await grants.getByRole('button', { name: 'Allowed: shell' }).click();
  await expect(page.getByRole('dialog', { name: 'Approval grants' })).toBeVisible();
  await expect(grants.locator('li > span')).toHaveText(['shell: always']);
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog', { name: 'Approval grants' })).toBeHidden();
  await save.getByTestId('tool-auto').click();
  await expect(page.getByText('Saved.')).toBeVisible();
  expect(await readFile(path.join(folder, 'notes.txt'), 'utf8')).toBe('hi\n');

  // Revoked: the next shell call asks again, and the control is gone.
  await grants.getByRole('button', { name: 'Allowed: shell, save' }).click();
  await expect(grants.locator('li > span')).toHaveText(['shell: always', 'save: next 4']);
  await grants.getByRole('button', { name: 'Revoke shell: always' }).click();
  await expect(grants.locator('li > span')).toHaveText(['save: next 4']);
  await grants.getByRole('button', { name: 'Revoke save: next 4' }).click();
  await expect(grants).toHaveCount(0);
  await send(page, 'once more');
  const next = page.locator('[data-testid=tool-call][data-tool=shell]').nth(1);
  await expect(next).toHaveAttribute('data-status', 'pending');
  const meta = JSON.parse(
    await readFile(
      path.join(
        host.dataDir,
        'conversations',
        (await readdir(path.join(host.dataDir, 'conversations'))).find((n) => !n.includes('.'))!,
        'chat.json',
      ),
      'utf8',
    ),
  ) as { chat?: { autoApprove?: unknown } };
  expect(meta.chat?.autoApprove).toBeUndefined();
});

test('a save outside the workspace is refused without asking first', async ({ page }) => {
  const folder = await openTab(page);
  await send(page, 'write outside');
  await expect(page.getByText('It was refused.')).toBeVisible();
  const card = page.locator('[data-testid=tool-call][data-tool=save]');
  await expect(card).toHaveAttribute('data-status', 'failed');
  await expect(card.locator('.tool-result')).toContainText('PathOutsideWorkspace');
  await expect(card.locator('.tool-result pre')).toContainText('is outside the workspace');
  // It never waited for the user: the host never announced it as pending.
  await expect(card.getByTestId('tool-approve')).toHaveCount(0);
  const tool = (await logLines()).find(isToolResultLine)!;
  expect(String(tool.content)).toContain('PathOutsideWorkspace');
  await expect(readFile(path.join(path.dirname(folder), 'outside.txt'))).rejects.toThrow();
});

test('the keyboard answers a card: it takes focus, Ctrl+Enter approves, Esc skips, focus returns to the composer', async ({
  page,
}) => {
  await openTab(page);
  await send(page, 'by keyboard');
  const [first, second] = [0, 1].map((i) => cards(page).nth(i));
  await expect(first!).toHaveAttribute('data-status', 'pending');
  await expect(first!).toBeFocused();
  await expect(first!.getByTestId('tool-approve')).toHaveAttribute('title', /Ctrl\+Enter/);
  await expect(first!.getByTestId('tool-skip')).toHaveAttribute('title', /Esc/);
  // The status line names the keys that work now, not "Esc to stop".
  await expect(page.locator('.turn-status')).toContainText('Esc to skip');
  await page.keyboard.press('Control+Enter');
  await expect(first!).toHaveAttribute('data-status', 'completed');

  // The next call waits and takes focus; Esc skips it and the turn goes on (it is not a Stop).
  await expect(second!).toHaveAttribute('data-status', 'pending');
  await expect(second!).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(second!).toHaveAttribute('data-status', 'skipped');
  await expect(page.getByText('Keyboard done.')).toBeVisible();
  await expect(page.getByTestId('composer')).toBeFocused();
});

test('after Approve, focus is back in the composer', async ({ page }) => {
  await openTab(page);
  await send(page, 'edit me');
  const card = cards(page).first();
  await card.getByTestId('tool-approve').click();
  await expect(page.getByTestId('composer')).toBeFocused();
});

test('a cut output opens in full in the app, and shows no path', async ({ page }) => {
  await openTab(page);
  await send(page, 'long output');
  const card = cards(page).first();
  await card.getByTestId('tool-approve').click();
  await expect(page.getByText('Long done.')).toBeVisible();
  await card.locator('.tool-result summary').click();
  const pre = card.locator('.tool-result pre');
  await expect(pre).toContainText('characters omitted');
  await expect(pre).not.toContainText('row 5000\n');
  await expect(pre).not.toContainText(host.dataDir);
  await expect(pre).not.toContainText('artifacts');
  await card.getByTestId('tool-full-output').click();
  await expect(card.locator('.tool-result summary')).toHaveText('Full output');
  await expect(pre).toContainText('row 5000\n');
  await expect(pre).toContainText('row 20000');
  await expect(pre).not.toContainText('omitted');
});
