import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
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
  expect(await readFile(path.join(workspace, 'hello.txt'), 'utf8')).toBe('hi from electron');
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
