import { mkdir, mkdtemp, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { startScriptedProvider, type ScriptedProvider } from '../../test/support/scripted-provider';
import { electronBinary } from './electron-binary';

const binary = electronBinary();
test.skip(!binary, 'Electron binary not installed (it cannot be downloaded on this machine)');

let app: ElectronApplication;
let dataDir: string;
let provider: ScriptedProvider;

/** Calls window.deskmate.<ns>.<op>(input) in the page, exactly as the renderer would. */
function call(page: Page, method: string, input: unknown): Promise<unknown> {
  return page.evaluate(
    ([name, payload]) => {
      const [ns, op] = (name as string).split('.') as [string, string];
      const api = (window as unknown as { deskmate: Record<string, Record<string, (i: unknown) => unknown>> })
        .deskmate;
      return api[ns]![op]!(payload);
    },
    [method, input] as const,
  );
}

test.beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'deskmate-e2e-'));
  provider = await startScriptedProvider();
  app = await electron.launch({
    executablePath: binary,
    args: [path.resolve('out/main/index.js'), `--data-dir=${dataDir}`],
    env: {
      ...process.env,
      OPENAI_API_KEY: 'sk-e2e',
      OPENAI_BASE_URL: provider.url,
      DESKMATE_MODEL: 'e2e-model',
    },
  });
});

test.afterEach(async () => {
  await app?.close();
  await provider?.close();
});

test('a window is sandboxed and sees only the contract API', async () => {
  const page = await app.firstWindow();
  await expect(page.getByTestId('workspace-path')).toHaveText('No folder open');
  const globals = await page.evaluate(() => ({
    require: typeof (window as unknown as { require?: unknown }).require,
    process: typeof (window as unknown as { process?: unknown }).process,
    api: Object.keys((window as unknown as { deskmate: object }).deskmate).sort(),
  }));
  expect(globals.require).toBe('undefined');
  expect(globals.process).toBe('undefined');
  expect(globals.api).toEqual([
    'chat',
    'config',
    'conversation',
    'models',
    'on',
    'pathForFile',
    'settings',
    'tool',
    'window',
    'workspace',
  ]);
  await expect(page.getByText('e2e-model')).toBeVisible();
});

test('navigation away and window.open are denied', async () => {
  const page = await app.firstWindow();
  const before = page.url();
  await page.evaluate(() => {
    window.location.href = 'https://example.com/';
  });
  await page.waitForTimeout(500);
  expect(page.url()).toBe(before);
  expect(await page.evaluate(() => window.open('https://example.com/') === null)).toBe(true);
  expect(app.windows()).toHaveLength(1);
});

test('the page is served from app://deskmate, never file://', async () => {
  const page = await app.firstWindow();
  await expect(page.getByTestId('composer')).toBeVisible();
  expect(page.url()).toBe('app://deskmate/index.html');
  expect(await page.evaluate(() => window.isSecureContext)).toBe(true);
  // The handler serves the built renderer only: another host on the scheme gets nothing.
  expect(await page.evaluate(() => fetch('app://deskmate/index.html').then((r) => r.status))).toBe(200);
  expect(
    await page.evaluate(() =>
      fetch('app://deskmate/%2e%2e/main/index.js').then(
        (r) => r.status,
        () => 'refused',
      ),
    ),
  ).not.toBe(200);
});

test('navigation to a look-alike origin is denied', async () => {
  const page = await app.firstWindow();
  await expect(page.getByTestId('composer')).toBeVisible();
  for (const target of ['app://deskmate.evil/index.html', 'file:///etc/hosts']) {
    await page.evaluate((url) => {
      window.location.href = url;
    }, target);
    await page.waitForTimeout(500);
    expect(page.url()).toBe('app://deskmate/index.html');
  }
  await expect(page.getByTestId('composer')).toBeVisible();
});

test('permission checks and requests are denied; clipboard writes from the Copy button work', async () => {
  const page = await app.firstWindow();
  await expect(page.getByTestId('composer')).toBeVisible();
  const states = await page.evaluate(async () => {
    const query = (name: string) =>
      navigator.permissions.query({ name } as PermissionDescriptor).then(
        (status) => status.state,
        () => 'unsupported',
      );
    return {
      notifications: await query('notifications'),
      geolocation: await query('geolocation'),
      request: await Notification.requestPermission(),
      media: await navigator.mediaDevices.getUserMedia({ audio: true }).then(
        () => 'granted',
        (error: Error) => error.name,
      ),
    };
  });
  expect(states).toEqual({
    notifications: 'denied',
    geolocation: 'denied',
    request: 'denied',
    media: expect.stringMatching(/NotAllowedError|NotFoundError/),
  });

  provider.enqueue({ kind: 'stream', text: '```sh\necho copied-from-deskmate\n```' });
  await page.getByTestId('composer').fill('A command please');
  await page.getByTestId('composer').press('Enter');
  await page.locator('.code-block .copy-button').click();
  await expect(page.locator('.code-block .copy-button')).toHaveText('Copied');
  expect(await app.evaluate(({ clipboard }) => clipboard.readText())).toBe('echo copied-from-deskmate');
});

test('the API key goes to the OS keyring only when it is a real one', async () => {
  const page = await app.firstWindow();
  await expect(page.getByTestId('composer')).toBeVisible();
  const backend = await app.evaluate(({ safeStorage }) =>
    process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : 'os keychain',
  );
  const set = (await call(page, 'settings.set', { values: { provider: { apiKey: 'sk-e2e-stored' } } })) as {
    ok: boolean;
    value: { keyStorage: string; hasApiKey: boolean };
  };
  expect(set).toMatchObject({ ok: true, value: { hasApiKey: true } });
  if (backend === 'basic_text' || backend === 'unknown') {
    expect(set.value.keyStorage).toBe('file');
    expect((await stat(path.join(dataDir, 'secrets.json'))).mode & 0o777).toBe(0o600);
    expect(await readFile(path.join(dataDir, 'secrets.json'), 'utf8')).toContain('sk-e2e-stored');
  } else {
    expect(set.value.keyStorage).toBe('keyring');
    expect(await readFile(path.join(dataDir, 'keyring.json'), 'utf8')).not.toContain('sk-e2e-stored');
  }
});

test('two windows hold different workspaces and configs', async () => {
  const wsA = path.join(dataDir, 'a');
  const wsB = path.join(dataDir, 'b');
  await mkdir(wsA);
  await mkdir(wsB);
  await writeFile(path.join(wsA, 'gptme.toml'), 'model = "model-a"\n');
  await writeFile(path.join(wsB, '.deskmate.toml'), 'model = "model-b"\n');
  const first = await app.firstWindow();
  const secondWindow = app.waitForEvent('window');
  await call(first, 'window.new', {});
  const second = await secondWindow;
  await call(first, 'workspace.open', { path: wsA });
  await call(second, 'workspace.open', { path: wsB });
  await expect(first.getByTestId('workspace-path')).toHaveText(wsA);
  await expect(second.getByTestId('workspace-path')).toHaveText(wsB);
  await expect(first.getByText('model-a').first()).toBeVisible();
  await expect(second.getByText('model-b').first()).toBeVisible();
});

test('a malformed payload is refused with InvalidRequest', async () => {
  const page = await app.firstWindow();
  const result = await call(page, 'config.set', { scope: 'chat', values: { temperature: 'hot' } });
  expect(result).toMatchObject({ ok: false, error: { name: 'InvalidRequest' } });
});

test('a turn asks before saving, and the approved file lands in the workspace', async () => {
  const workspace = path.join(dataDir, 'project');
  await mkdir(workspace);
  provider.enqueue(
    {
      kind: 'stream',
      text: 'Saving it.',
      toolCalls: [{ name: 'save', args: { path: 'hello.txt', content: 'hi from electron' } }],
    },
    { kind: 'stream', text: 'Saved.' },
  );
  const page = await app.firstWindow();
  await call(page, 'workspace.open', { path: workspace });
  await page.getByTestId('composer').fill('Save a greeting');
  await page.getByTestId('composer').press('Enter');
  const card = page.locator('[data-testid=tool-call][data-tool=save]');
  await expect(card).toHaveAttribute('data-status', 'pending');
  await card.getByTestId('tool-approve').click();
  await expect(page.getByText('Saved.')).toBeVisible();
  expect(await readFile(path.join(workspace, 'hello.txt'), 'utf8')).toBe('hi from electron\n');
});

test('Stop during a long reply keeps the partial text', async () => {
  provider.enqueue({ kind: 'stream', text: 'word '.repeat(500), delayMs: 20 });
  const page = await app.firstWindow();
  await page.getByTestId('composer').fill('Talk');
  await page.getByTestId('composer').press('Enter');
  await expect(page.locator('[data-testid=message][data-role=assistant]')).toContainText('word');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('send')).toBeVisible();
  await expect(page.getByText('Stopped.')).toBeVisible();
});
