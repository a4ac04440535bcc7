import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import {
  startScriptedProvider,
  type ScriptedProvider,
  type Step,
} from '../../test/support/scripted-provider';
import { startHost, type Host } from '../../test/support/headless-host';
import { tempWorkspace } from './tab';

// Screenshots of the main views, against the built renderer and the real engine. They assert what
// must be on screen; the pictures themselves are for a person to look at (test-results/screenshots).
const SHOTS = 'test-results/screenshots';

const MARKDOWN = [
  '## Plan',
  '',
  'Here is what I found in **src/parser.ts**:',
  '',
  '1. The tokenizer drops `\\r` characters.',
  '2. Errors lose their line numbers.',
  '',
  '| File | Lines | Status |',
  '| --- | ---: | --- |',
  '| parser.ts | 412 | needs work |',
  '| lexer.ts | 128 | fine |',
  '',
  '```ts',
  'export function parse(source: string): Ast {',
  "  const tokens = tokenize(source.replace(/\\r\\n/g, '\\n'));",
  '  return new Parser(tokens).program();',
  '}',
  '```',
  '',
  'See the [TypeScript handbook](https://www.typescriptlang.org/docs/) for details.',
].join('\n');

function script(request: { body: { messages?: Array<{ role: string; content?: unknown }> } }): Step {
  const messages = request.body.messages ?? [];
  const lastUser = String([...messages].reverse().find((m) => m.role === 'user')?.content ?? '');
  const answered = messages.at(-1)?.role === 'tool';
  if (answered) return { kind: 'stream', text: 'Done.' };
  if (lastUser.includes('markdown'))
    return { kind: 'stream', text: MARKDOWN, usage: { prompt: 120, completion: 90 } };
  if (lastUser.includes('patch')) {
    return {
      kind: 'stream',
      text: 'I will fix the line endings:',
      toolCalls: [
        {
          name: 'patch',
          args: {
            path: 'src/parser.ts',
            patch:
              "<<<<<<< ORIGINAL\n  const tokens = tokenize(source);\n=======\n  const tokens = tokenize(source.replace(/\\r\\n/g, '\\n'));\n>>>>>>> UPDATED",
          },
        },
      ],
    };
  }
  return {
    kind: 'stream',
    text: 'Let me check the tests first.',
    toolCalls: [{ name: 'shell', args: { command: 'npm test -- --reporter=dot 2>&1 | tail -20' } }],
  };
}

let provider: ScriptedProvider;
let host: Host;

test.beforeAll(async () => {
  await mkdir(SHOTS, { recursive: true });
  provider = await startScriptedProvider({ respond: script, models: ['gpt-4.1', 'gpt-4.1-mini', 'o4-mini'] });
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

// Each view at the two widths the app is used at (a full window and half a laptop screen), light and
// dark: a person looks at these before a change to the windows is called done.
const VARIANTS = [
  { width: 1200, scheme: 'light' },
  { width: 700, scheme: 'light' },
  { width: 1200, scheme: 'dark' },
  { width: 700, scheme: 'dark' },
] as const;

for (const { width, scheme } of VARIANTS) {
  test(`the main views at ${width} px, ${scheme}`, async ({ browser }) => {
    const context = await browser.newContext({ colorScheme: scheme, viewport: { width, height: 800 } });
    const page = await context.newPage();
    const shot = (name: string) => page.screenshot({ path: `${SHOTS}/${name}-${width}-${scheme}.png` });
    // A project folder holding the file the patch changes: a write tool asks only inside a workspace.
    const folder = await tempWorkspace('deskmate-shots-');
    await mkdir(path.join(folder, 'src'));
    await writeFile(path.join(folder, 'src', 'parser.ts'), '  const tokens = tokenize(source);\n');
    await page.goto(`${host.url}&workspace=${encodeURIComponent(folder)}`);
    await expect(page.getByTestId('composer')).toBeVisible();
    await expect(page.getByText('What shall we work on?')).toBeVisible();
    await shot('1-empty-window');

    await page.getByTestId('composer').fill('Show me some markdown about the parser');
    await page.keyboard.press('Enter');
    await expect(page.locator('.markdown table')).toBeVisible();
    await expect(page.locator('.code-block')).toContainText('tokenize');
    await expect(page.getByTestId('send')).toBeVisible();
    await shot('2-markdown-and-code');

    await page.getByTestId('composer').fill('Run the tests please');
    await page.keyboard.press('Enter');
    const shell = page.locator('[data-testid=tool-call][data-tool=shell]');
    await expect(shell).toHaveAttribute('data-status', 'pending');
    await expect(shell).toBeInViewport();
    await shot('3-pending-tool-call');
    await shell.getByTestId('tool-skip').click();
    await expect(shell).toHaveAttribute('data-status', 'skipped');
    await expect(page.getByTestId('send')).toBeVisible();

    await page.getByTestId('composer').fill('Now patch the parser');
    await page.keyboard.press('Enter');
    const patch = page.locator('[data-testid=tool-call][data-tool=patch]');
    await expect(patch).toHaveAttribute('data-status', 'pending');
    await expect(patch.locator('.diff-add')).toContainText("replace(/\\r\\n/g, '\\n')");
    await shot('4-patch-diff');
    await patch.getByTestId('tool-skip').click();
    await expect(page.getByTestId('send')).toBeVisible();

    await page.getByTestId('settings-open').click();
    await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
    await page.getByRole('button', { name: 'Test connection' }).click();
    await expect(page.getByRole('status')).toContainText('3 models');
    await shot('5-settings');
    if (scheme === 'dark') {
      const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      expect(background).toBe('rgb(21, 23, 27)');
    }
    await context.close();
  });
}
