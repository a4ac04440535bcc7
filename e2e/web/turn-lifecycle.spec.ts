import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import {
  startScriptedProvider,
  type RecordedRequest,
  type ScriptedProvider,
  type Step,
} from '../../test/support/scripted-provider';
import { startHost, type Host } from '../../test/support/headless-host';
import { lastUserText, send, tabOpener, tempWorkspace } from './tab';

// The life of a turn as the window shows it: streamed, reloaded mid-way, failed, retried.

const STORY = Array.from({ length: 60 }, (_, i) => `Line ${i + 1} of the story.`).join(' ');

let provider: ScriptedProvider;
let host: Host;
const openTab = tabOpener(() => host);
/** What the model does for the next request; a test changes it to make the provider fail or recover. */
let behaviour: (request: RecordedRequest) => Step;

test.beforeEach(async () => {
  behaviour = (request) =>
    lastUserText(request).includes('story')
      ? // About 4.5 s in all: long enough to reload in the middle of it.
        { kind: 'stream', text: STORY, chunkSize: 6, delayMs: 20 }
      : { kind: 'stream', text: `You said: ${lastUserText(request)}`, delayMs: 5 };
  provider = await startScriptedProvider({ respond: (request) => behaviour(request) });
  host = await startHost(
    { OPENAI_BASE_URL: provider.url, OPENAI_API_KEY: 'sk-e2e', DESKMATE_MODEL: 'scripted' },
    ['--grace-ms', '5000'],
  );
});

test.afterEach(async () => {
  await host?.stop();
  await provider?.close();
});

const messages = (page: Page, role?: string) =>
  page.locator(role ? `[data-testid=message][data-role=${role}]` : '[data-testid=message]');

/** The one conversation's log on disk, parsed. */
async function logLines(): Promise<Array<Record<string, unknown>>> {
  const root = path.join(host.dataDir, 'conversations');
  const [id] = (await readdir(root, { withFileTypes: true })).filter((e) => e.isDirectory());
  const text = await readFile(path.join(root, id!.name, 'conversation.jsonl'), 'utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The count the sidebar shows for the open conversation. */
async function sidebarCount(page: Page): Promise<number> {
  const text = (await page.getByTestId('conversation-item').first().textContent()) ?? '';
  return Number(/(\d+) messages?/.exec(text)?.[1] ?? NaN);
}

test('a reload in the middle of a reply shows the text so far, keeps streaming and ends with the reply once', async ({
  page,
}) => {
  await openTab(page);
  await send(page, 'Tell me a story');
  const reply = messages(page, 'assistant');
  await expect(reply).toContainText('Line 3 of the story.');
  await page.reload();
  await expect(page.getByTestId('composer')).toBeVisible();

  // Straight after the reload: the text streamed so far, while the reply is still being written.
  await expect(reply).toContainText('Line 3 of the story.', { timeout: 2_000 });
  await expect(reply).toHaveAttribute('data-streaming', 'true');
  await expect(reply).not.toContainText('Line 60 of the story.');
  // And it goes on growing.
  await expect(reply).toContainText('Line 20 of the story.');

  await expect(page.getByTestId('send')).toBeVisible({ timeout: 15_000 });
  await expect(reply).toHaveCount(1);
  await expect(reply).not.toHaveAttribute('data-streaming', 'true');
  // Exactly the reply the model sent: nothing lost, nothing twice.
  expect((await reply.locator('.markdown').innerText()).trim()).toBe(STORY);
  await expect(messages(page)).toHaveCount(2);
  await expect.poll(() => sidebarCount(page)).toBe(2);

  // And the same again from disk.
  await page.reload();
  await expect(reply).toHaveCount(1);
  expect((await reply.locator('.markdown').innerText()).trim()).toBe(STORY);
});

test('a reload while a command runs shows its output so far and then the rest', async ({ page }) => {
  behaviour = (request) => {
    const results = (request.body.messages ?? []).filter((m) => m.role === 'tool');
    if (results.length === 0)
      return {
        kind: 'stream',
        text: 'Counting.',
        toolCalls: [
          {
            name: 'shell',
            // Long lines: the shell holds back its last 4 kB (its end marker may be in them).
            args: {
              command:
                'for i in $(seq 1 10); do echo "tick $i $(head -c 3000 /dev/zero | tr \'\\0\' .)"; sleep 0.5; done',
            },
          },
        ],
      };
    return { kind: 'stream', text: 'Counted to ten.' };
  };
  await openTab(page, await tempWorkspace('deskmate-turn-'));
  await send(page, 'Count for me');
  const card = page.locator('[data-testid=tool-call][data-tool=shell]');
  await card.getByTestId('tool-approve').click();
  await expect(card).toContainText('tick 2');
  await page.reload();
  await expect(card).toHaveAttribute('data-status', 'running');
  await expect(card).toContainText('tick 2');
  // It goes on, each line once: nothing the reload fell between is lost or repeated.
  await expect(card).toContainText('tick 5');
  const running = (await card.locator('details pre').textContent()) ?? '';
  const ticks = [...running.matchAll(/tick (\d+)/g)].map((m) => Number(m[1]));
  expect(ticks).toEqual(ticks.map((_, i) => i + 1));
  await expect(card).toHaveAttribute('data-status', 'completed', { timeout: 15_000 });
  await expect(page.getByText('Counted to ten.')).toBeVisible();
});

test('a failed turn says why where the reply would be, still after a reload, and Retry answers it', async ({
  page,
}) => {
  behaviour = () => ({ kind: 'error', status: 401, message: 'Incorrect API key provided' });
  await openTab(page);
  await send(page, 'Hello there');
  const failure = page.getByTestId('turn-error');
  await expect(failure).toContainText('rejected the API key');
  await expect(failure.getByTestId('turn-retry')).toBeVisible();
  // No empty reply bubble: the user's message, then the failure.
  await expect(messages(page, 'assistant')).toHaveCount(0);
  await expect(messages(page)).toHaveCount(1);

  // The log says so too, in metadata gptme ignores.
  const logged = await logLines();
  expect(logged).toHaveLength(1);
  expect(logged[0]).toMatchObject({ role: 'user', metadata: { failure: { name: 'ProviderAuth' } } });

  await page.reload();
  await expect(failure).toContainText('rejected the API key');
  await expect(messages(page, 'assistant')).toHaveCount(0);

  behaviour = (request) => ({ kind: 'stream', text: `You said: ${lastUserText(request)}` });
  await failure.getByTestId('turn-retry').click();
  await expect(messages(page, 'assistant')).toHaveText(/You said: Hello there/);
  await expect(failure).toHaveCount(0);
  await expect(messages(page, 'user')).toHaveCount(1);
  // The retried request carried the user's message once.
  const last = provider.requests.at(-1)!.body.messages!.filter((m) => m.role === 'user');
  expect(last.map((m) => m.content)).toEqual(['Hello there']);
  const after = await logLines();
  expect(after.map((m) => m.role)).toEqual(['user', 'assistant']);
  expect(JSON.stringify(after)).not.toContain('failure');
  await expect.poll(() => sidebarCount(page)).toBe(2);
  await page.reload();
  await expect(messages(page, 'assistant')).toHaveText(/You said: Hello there/);
  await expect(failure).toHaveCount(0);
});

test('a reply cut short by a dropped connection offers Retry, which replaces it', async ({ page }) => {
  behaviour = () => ({ kind: 'drop', text: 'The first half of' });
  await openTab(page);
  await send(page, 'Explain it');
  const failure = page.getByTestId('turn-error');
  await expect(failure).toContainText('cut short');
  await expect(messages(page, 'assistant')).toContainText('The first half of');

  behaviour = () => ({ kind: 'stream', text: 'The whole answer.' });
  await failure.getByTestId('turn-retry').click();
  await expect(messages(page, 'assistant')).toHaveText(/The whole answer\./);
  await expect(messages(page, 'assistant')).toHaveCount(1);
  await expect(failure).toHaveCount(0);
  // The reply is drawn as it completes; its line reaches the log a moment later.
  await expect
    .poll(async () => (await logLines()).map((m) => [m.role, m.content]))
    .toEqual([
      ['user', 'Explain it'],
      ['assistant', 'The whole answer.'],
    ]);
});

test('copy a reply, see when it was written, and regenerate the last one', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: host.origin });
  await openTab(page);
  await send(page, 'Say **something**');
  const reply = messages(page, 'assistant');
  await expect(reply).toContainText('You said: Say something');

  await reply.hover();
  const time = reply.getByTestId('message-time');
  await expect(time).toBeVisible();
  const logged = await logLines();
  await expect(time).toHaveAttribute('datetime', String(logged[1]!.timestamp));
  await expect(time).toHaveAttribute('title', /\d{4}/);

  // The markdown the model wrote, not the rendered text.
  await reply.getByTestId('message-copy').click();
  await expect(reply.getByTestId('message-copy')).toHaveText('Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('You said: Say **something**');
  // Only the last reply can be written again.
  await expect(messages(page, 'user').getByTestId('message-regenerate')).toHaveCount(0);

  behaviour = () => ({ kind: 'stream', text: 'Another take.' });
  await reply.getByTestId('message-regenerate').click();
  await expect(reply).toHaveText(/Another take\./);
  await expect(reply).toHaveCount(1);
  expect((await logLines()).map((m) => [m.role, m.content])).toEqual([
    ['user', 'Say **something**'],
    ['assistant', 'Another take.'],
  ]);
});

test('deleting a message takes its tool exchange with it and the conversation still resumes', async ({
  page,
}) => {
  const folder = await tempWorkspace('deskmate-turn-');
  const { writeFile } = await import('node:fs/promises');
  await writeFile(path.join(folder, 'notes.txt'), 'one\ntwo\n');
  behaviour = (request) => {
    const last = request.body.messages?.at(-1);
    if (lastUserText(request).includes('notes') && last?.role === 'user')
      return { kind: 'stream', toolCalls: [{ name: 'read', args: { path: 'notes.txt' } }] };
    if (last?.role === 'tool') return { kind: 'stream', text: 'It has two lines.' };
    if (lastUserText(request).includes('story'))
      return { kind: 'stream', text: STORY, chunkSize: 6, delayMs: 20 };
    return { kind: 'stream', text: `You said: ${lastUserText(request)}` };
  };
  await openTab(page, folder);
  await send(page, 'Read my notes');
  await expect(page.getByText('It has two lines.')).toBeVisible();
  // The reply is drawn before its turn ends; Enter during a turn keeps the text unsent.
  await expect(page.getByTestId('send')).toBeVisible();
  await send(page, 'Thanks');
  await expect(page.getByText('You said: Thanks')).toBeVisible();

  const first = messages(page, 'user').first();
  await first.hover();
  await first.getByTestId('message-delete').click();
  await page.getByTestId('message-delete-confirm').click();
  await expect(page.getByText('It has two lines.')).toHaveCount(0);
  await expect(messages(page)).toHaveCount(2);
  expect((await logLines()).map((m) => m.role)).toEqual(['user', 'assistant']);
  await expect.poll(() => sidebarCount(page)).toBe(2);

  // The next turn sends a history with no tool result left without its call.
  await send(page, 'And now?');
  await expect(page.getByText('You said: And now?')).toBeVisible();
  const sent = provider.requests.at(-1)!.body.messages!;
  expect(sent.filter((m) => m.role === 'tool' || m.tool_calls)).toEqual([]);
  await page.reload();
  await expect(messages(page)).toHaveCount(4);

  // Not while a turn runs: the control is off, and the engine refuses it too.
  await send(page, 'Tell me a story');
  await expect(messages(page, 'assistant').last()).toContainText('Line 2 of the story.');
  await expect(messages(page, 'user').first().getByTestId('message-delete')).toBeDisabled();
  const refused = await page.evaluate(
    async (id) => {
      const api = (window as unknown as { deskmate: { chat: { delete(i: object): Promise<unknown> } } })
        .deskmate;
      return api.chat.delete({ messageId: id });
    },
    String((await logLines())[0]!.id),
  );
  expect(refused).toMatchObject({ ok: false, error: { name: 'Busy' } });
});
