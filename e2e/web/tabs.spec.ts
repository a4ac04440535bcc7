import { readdir } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import WebSocket from 'ws';
import {
  startScriptedProvider,
  type RecordedRequest,
  type ScriptedProvider,
  type Step,
} from '../../test/support/scripted-provider';
import { startHost, type Host } from '../../test/support/headless-host';
import { send, tabOpener, tempWorkspace } from './tab';

// Several browser tabs on one headless host: each tab is its own context.

function owner(request: RecordedRequest): string {
  const first = request.body.messages?.find((m) => m.role === 'user');
  return /secret-(\w+)/.exec(String(first?.content))?.[1] ?? '?';
}

function script(request: RecordedRequest): Step {
  const who = owner(request);
  const last = String(
    [...(request.body.messages ?? [])].reverse().find((m) => m.role === 'user')?.content ?? '',
  );
  if (last.includes('long story'))
    return { kind: 'stream', text: 'Once upon a time, '.repeat(300), delayMs: 25 };
  const results = request.body.messages?.filter((m) => m.role === 'tool').length ?? 0;
  if (results === 0) {
    return {
      kind: 'stream',
      text: `Working for ${who}.`,
      delayMs: 10,
      toolCalls: [
        { name: 'shell', args: { command: `echo "shell of ${who} in $(pwd)"; export OWNER=${who}` } },
        { name: 'save', args: { path: `${who}.txt`, content: `file of ${who}` } },
      ],
    };
  }
  return { kind: 'stream', text: `All set for ${who}.`, delayMs: 10 };
}

let provider: ScriptedProvider;
let host: Host;
const openTab = tabOpener(() => host);
const workspace = () => tempWorkspace('deskmate-tab-');

test.beforeEach(async () => {
  provider = await startScriptedProvider({ respond: script });
  host = await startHost(
    { OPENAI_BASE_URL: provider.url, OPENAI_API_KEY: 'sk-e2e', DESKMATE_MODEL: 'scripted' },
    // Long enough for a reload on a loaded machine (at 300 ms one was seen to miss it), short
    // enough that a closed tab's shell is gone well within the test's 5 s wait.
    ['--grace-ms', '1500'],
  );
});

test.afterEach(async () => {
  await host?.stop();
  await provider?.close();
});

test('three tabs on three workspaces work at once and never see each other', async ({ browser }) => {
  const names = ['a', 'b', 'c'];
  const folders = await Promise.all(names.map(() => workspace()));
  const pages = await Promise.all(names.map(async () => (await browser.newContext()).newPage()));
  await Promise.all(pages.map((page, i) => openTab(page, folders[i])));
  await Promise.all(pages.map((page, i) => send(page, `Set things up, secret-${names[i]}`)));

  // Each tab approves its own two calls.
  await Promise.all(
    pages.map(async (page) => {
      for (const tool of ['shell', 'save']) {
        const card = page.locator(`[data-testid=tool-call][data-tool=${tool}]`);
        await expect(card).toHaveAttribute('data-status', 'pending');
        await card.getByTestId('tool-approve').click();
        await expect(card).toHaveAttribute('data-status', 'completed');
      }
    }),
  );
  for (const [i, page] of pages.entries()) {
    const who = names[i]!;
    await expect(page.getByText(`All set for ${who}.`)).toBeVisible();
    // The sidebar lists every conversation on disk (that is its job); the conversation view is the tab's own.
    const body = (await page.locator('.main').textContent()) ?? '';
    expect(body).toContain(`shell of ${who} in ${folders[i]}`);
    for (const other of names.filter((n) => n !== who)) {
      expect(body).not.toContain(`for ${other}`);
      expect(body).not.toContain(`secret-${other}`);
    }
    expect(await readdir(folders[i]!)).toEqual([`${who}.txt`]);
  }
  for (const request of provider.requests) {
    const who = owner(request);
    const text = JSON.stringify(request.body.messages);
    for (const other of names.filter((n) => n !== who)) {
      expect(text).not.toContain(`secret-${other}`);
      expect(text).not.toContain(`of ${other}`);
    }
  }
});

test("a tab cannot approve another tab's pending tool call", async ({ browser }) => {
  const [pageA, pageB] = await Promise.all([1, 2].map(async () => (await browser.newContext()).newPage()));
  await openTab(pageA!, await workspace());
  await openTab(pageB!, await workspace());
  await send(pageA!, 'Do it, secret-a');
  const card = pageA!.locator('[data-testid=tool-call][data-tool=shell]');
  await expect(card).toHaveAttribute('data-status', 'pending');
  const callId = provider.requests.length
    ? await pageA!.evaluate(async () => {
        const api = (
          window as unknown as {
            deskmate: {
              window: {
                state(i: object): Promise<{ ok: boolean; value: { pending: Array<{ callId: string }> } }>;
              };
            };
          }
        ).deskmate;
        return (await api.window.state({})).value.pending[0]!.callId;
      })
    : '';
  const forged = await pageB!.evaluate(async (id) => {
    const api = (window as unknown as { deskmate: { tool: { respond(i: object): Promise<unknown> } } })
      .deskmate;
    return api.tool.respond({ callId: id, response: { action: 'approve' } });
  }, callId);
  expect(forged).toMatchObject({ ok: false, error: { name: 'NotFound' } });
  await pageA!.waitForTimeout(200);
  await expect(card).toHaveAttribute('data-status', 'pending');
});

test('Stop during a long stream ends the turn quickly and keeps the partial text', async ({ page }) => {
  await openTab(page);
  await send(page, 'Tell me a long story, secret-s');
  const assistant = page.locator('[data-testid=message][data-role=assistant]');
  await expect(assistant).toContainText('Once upon a time');
  const started = Date.now();
  await page.getByTestId('stop').click();
  await expect(page.getByTestId('send')).toBeVisible();
  expect(Date.now() - started).toBeLessThan(2_000);
  await expect(assistant).toContainText('Stopped.');
  const partial = await assistant.locator('.markdown').innerText();
  expect(partial.length).toBeGreaterThan(10);
  expect(partial.length).toBeLessThan('Once upon a time, '.repeat(300).length);
});

test('a reload restores the conversation; closing the tab kills its shell', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const folder = await workspace();
  await openTab(page, folder);
  await send(page, 'Set things up, secret-r');
  for (const tool of ['shell', 'save']) {
    const card = page.locator(`[data-testid=tool-call][data-tool=${tool}]`);
    await card.getByTestId('tool-approve').click();
    await expect(card).toHaveAttribute('data-status', 'completed');
  }
  await expect(page.getByText('All set for r.')).toBeVisible();
  await page.reload();
  await expect(page.getByText('All set for r.')).toBeVisible();
  await expect(page.locator('[data-testid=message][data-role=user]')).toContainText('secret-r');
  await expect(page.getByTestId('workspace-path')).toHaveText(folder);

  const shells = () => listShells(folder);
  expect(await shells()).not.toHaveLength(0);
  await page.close();
  await expect.poll(shells, { timeout: 5_000 }).toHaveLength(0);
  await context.close();
});

test('the token leaves the address bar; reloads and a second local server go by their own tab tokens', async ({
  browser,
}) => {
  const context = await browser.newContext();
  const first = await context.newPage();
  const folder = await workspace();
  await openTab(first, folder);
  await expect.poll(() => first.url()).not.toContain('token');
  expect(new URL(first.url()).searchParams.get('workspace')).toBe(folder);

  // Another server on 127.0.0.1 in the same browser. Each tab keeps its own server's token in
  // sessionStorage, which belongs to its origin, port included: neither can replace the other's.
  const other = await startHost({
    OPENAI_BASE_URL: provider.url,
    OPENAI_API_KEY: 'sk-e2e',
    DESKMATE_MODEL: 'scripted',
  });
  try {
    const second = await context.newPage();
    await second.goto(other.url);
    await expect.poll(() => second.url()).toBe(`${other.origin}/`);

    await first.reload();
    await expect(first.getByTestId('workspace-path')).toHaveText(folder);
    await send(first, 'Hello, secret-f');
    await expect(first.getByText('Working for f.')).toBeVisible();

    await second.reload();
    await send(second, 'Hello, secret-s');
    await expect(second.getByText('Working for s.')).toBeVisible();
    expect(first.url()).not.toContain('token');
    expect(second.url()).not.toContain('token');
    // No cookie carries either token: a browser would hand it to every port on 127.0.0.1.
    expect(await context.cookies()).toEqual([]);
  } finally {
    await other.stop();
    await context.close();
  }
});

test('a new tab opened with Ctrl+N gets the token in its address, works, and drops it', async ({ page }) => {
  await openTab(page);
  const opened = page.context().waitForEvent('page');
  await page.keyboard.press('Control+n');
  const tab = await opened;
  await expect(tab.getByTestId('composer')).toBeVisible();
  await expect.poll(() => tab.url()).toBe(`${host.origin}/`);
  await send(tab, 'Hello, secret-n');
  await expect(tab.getByText('Working for n.')).toBeVisible();
  // The token is kept in the new tab too: a reload finds its conversation.
  await tab.reload();
  await expect(tab.locator('[data-testid=message][data-role=user]')).toContainText('secret-n');
});

test('a tab opened without the token says which address to open, and nothing reaches the engine', async ({
  page,
}) => {
  const handshakes: string[] = [];
  page.on('websocket', (socket) => handshakes.push(socket.url()));
  const response = await page.goto(`${host.origin}/?workspace=${encodeURIComponent(await workspace())}`);
  expect(response?.status()).toBe(200);
  const notice = page.getByTestId('token-problem');
  await expect(notice).toBeVisible();
  await expect(notice.getByRole('heading')).toHaveText('Open the address Deskmate printed when it started');
  await expect(notice).toContainText('This tab has no token');
  await expect(notice).toContainText(`Deskmate is ready: ${host.origin}/?token=`);
  await expect(page.getByTestId('composer')).toBeHidden();
  expect(handshakes).toEqual([]);
});

test('a tab whose server restarted with a new token says so instead of going blank', async ({ page }) => {
  await openTab(page);
  await send(page, 'Hello, secret-b');
  await expect(page.getByText('Working for b.')).toBeVisible();

  // The same port, a new start, a new token: the tab's token is stale.
  const port = new URL(host.origin).port;
  const before = host;
  await before.stop();
  host = await startHost(
    { OPENAI_BASE_URL: provider.url, OPENAI_API_KEY: 'sk-e2e', DESKMATE_MODEL: 'scripted' },
    ['--grace-ms', '1500', '--port', port],
  );
  expect(host.origin).toBe(before.origin);
  expect(host.token).not.toBe(before.token);

  const notice = page.getByTestId('token-problem');
  await expect(notice).toBeVisible({ timeout: 15_000 });
  await expect(notice.getByRole('heading')).toHaveText('Open the address Deskmate printed when it started');
  await expect(notice).toContainText('Deskmate refused the token this tab holds: it was probably restarted');
  // A reload has nothing better to offer; the address Deskmate printed does.
  await page.reload();
  await expect(page.getByTestId('token-problem')).toContainText('Deskmate refused the token');
  await page.goto(host.url);
  await expect(page.getByTestId('composer')).toBeVisible();
  await expect(page.getByTestId('token-problem')).toHaveCount(0);
});

test('a provider that is down or refuses the key says so on the turn; other tabs keep working', async ({
  browser,
}) => {
  const broken = await startHost({ OPENAI_BASE_URL: 'http://127.0.0.1:9/v1', OPENAI_API_KEY: 'sk-x' });
  const badKey = await startScriptedProvider({ apiKey: 'the-right-key' });
  const wrongKey = await startHost({ OPENAI_BASE_URL: badKey.url, OPENAI_API_KEY: 'sk-wrong' });
  try {
    const [down, refused, fine] = await Promise.all(
      [1, 2, 3].map(async () => (await browser.newContext()).newPage()),
    );
    await down!.goto(broken.url);
    await refused!.goto(wrongKey.url);
    await openTab(fine!);
    await send(down!, 'hello');
    await send(refused!, 'hello');
    // Said where the reply would be, once: not repeated in the banner.
    await expect(down!.getByTestId('turn-error')).toContainText(/Cannot reach the provider/);
    await expect(refused!.getByTestId('turn-error')).toContainText(/API key/);
    await expect(
      refused!.getByTestId('turn-error').getByRole('button', { name: 'Open Settings' }),
    ).toBeVisible();
    await expect(down!.getByTestId('error-banner')).toHaveCount(0);
    await expect(refused!.getByTestId('error-banner')).toHaveCount(0);
    await send(fine!, 'Tell me a long story, secret-f');
    await expect(fine!.locator('[data-testid=message][data-role=assistant]')).toContainText(
      'Once upon a time',
    );
    await expect(fine!.getByTestId('error-banner')).toHaveCount(0);
    // The user's message is still there after the failure.
    await expect(down!.locator('[data-testid=message][data-role=user]')).toContainText('hello');
  } finally {
    await broken.stop();
    await wrongKey.stop();
    await badKey.close();
  }
});

test('the WebSocket wants the token in its URL, never a cookie, and its own Origin', async () => {
  // The page itself is public build output; only /ws reaches the engine.
  expect((await fetch(`${host.origin}/`)).status).toBe(200);
  expect((await fetch(`${host.origin}/ws`)).status).toBe(401);
  const ws = (url: string, headers: Record<string, string>) =>
    new Promise<number>((resolve) => {
      const socket = new WebSocket(url, { headers });
      socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? -1));
      socket.on('open', () => {
        socket.close();
        resolve(101);
      });
      socket.on('error', () => resolve(-1));
    });
  const wsUrl = host.origin.replace('http:', 'ws:') + '/ws';
  const own = { origin: host.origin };
  expect(await ws(wsUrl, own)).toBe(401);
  const port = new URL(host.origin).port;
  expect(await ws(wsUrl, { ...own, cookie: `deskmate_token_${port}=${host.token}` })).toBe(401);
  expect(await ws(`${wsUrl}?token=${host.token}`, { origin: 'http://evil.example' })).toBe(403);
  expect(await ws(`${wsUrl}?token=${host.token}`, own)).toBe(101);
});

/** bash processes whose working directory is inside the folder. */
async function listShells(folder: string): Promise<number[]> {
  const { readdir: list, readlink, readFile } = await import('node:fs/promises');
  const found: number[] = [];
  for (const entry of await list('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const [cwd, stat] = await Promise.all([
        readlink(`/proc/${entry}/cwd`),
        readFile(`/proc/${entry}/stat`, 'utf8'),
      ]);
      const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
      if (cwd.startsWith(folder) && state !== 'Z') found.push(Number(entry));
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}
