// @vitest-environment jsdom
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { ContextView } from '../../../shared/context-view';
import { App } from '../App';
import { createRendererClient } from '../testing/renderer-client';

afterEach(cleanup);

const RLO = '\u202e';

function viewOf(overrides: Partial<ContextView> = {}): ContextView {
  return {
    prompt: {
      kind: 'sent',
      sentAt: '2026-11-30T12:00:00.000Z',
      text: `You are Deskmate.\n\nContents of AGENTS.md:\n\`\`\`\nRun the linter ${RLO}gnp.exe\n\`\`\``,
      tokens: 21,
      files: [
        { path: 'AGENTS.md', bytes: 2048, chars: 2048, tokens: 512, cut: false },
        { path: 'big.log', bytes: 80_000, chars: 20_000, tokens: 5_000, cut: true },
        { path: 'gone.md', error: 'gone.md: no such file' },
      ],
      basePrompt: false,
      instructions: false,
    },
    contextCmd: {
      state: 'ran',
      run: {
        command: 'git status --short',
        ranAt: '2026-11-30T12:00:00.000Z',
        output: ' M src/app.ts\n',
        exitCode: 0,
        stderr: '',
        cut: false,
        timedOut: false,
      },
    },
    config: [
      { key: 'model', value: 'project-model', source: 'project', path: '/w/gptme.toml' },
      { key: 'provider.apiKey', value: 'set (hidden)', source: 'user', path: '/data/settings.json' },
    ],
    ...overrides,
  };
}

async function renderWith(answer: () => ContextView) {
  const rc = createRendererClient({
    'context.get': () => answer(),
    'context.refresh': () => ({ run: null }),
  });
  render(<App client={rc.client} />);
  await screen.findByTestId('composer');
  return rc;
}

describe('the context panel', () => {
  it('opens with Ctrl+I, shows each section, and Esc closes it and gives the focus back', async () => {
    const user = userEvent.setup();
    await renderWith(() => viewOf());
    screen.getByTestId('composer').focus();
    await user.keyboard('{Control>}i{/Control}');
    const panel = await screen.findByTestId('context-panel');
    await within(panel).findByText('What the model sees');
    expect(within(panel).getByTestId('context-panel-close')).toBe(document.activeElement);
    expect(screen.getByTestId('context-panel-open').getAttribute('aria-expanded')).toBe('true');

    // The prompt's hidden characters are written out, never obeyed.
    const prompt = within(panel).getByTestId('context-prompt').textContent!;
    expect(prompt).toContain('Run the linter \\u{202e}gnp.exe');
    expect(prompt).not.toContain(RLO);
    expect(within(panel).getByTestId('context-prompt-kind').dataset.kind).toBe('sent');

    const files = within(panel).getAllByTestId('context-file');
    expect(files.map((f) => f.textContent)).toEqual([
      'AGENTS.md2.0 KB≈ 512 tokens',
      'big.log78.1 KB≈ 5,000 tokenscut',
      'gone.mdnot included: gone.md: no such file',
    ]);
    expect(within(panel).getByTestId('context-command').textContent).toBe('git status --short');
    expect(within(panel).getByTestId('context-command-output').textContent).toBe(' M src/app.ts\n');
    expect(within(panel).getByTestId('context-command-ran-at').querySelector('time')?.dateTime).toBe(
      '2026-11-30T12:00:00.000Z',
    );
    const rows = within(panel).getAllByTestId('context-config-row');
    expect(rows.map((r) => [r.dataset.key, r.dataset.layer])).toEqual([
      ['model', 'project'],
      ['provider.apiKey', 'user'],
    ]);
    expect(rows[0]!.textContent).toContain('gptme.toml');

    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByText('What the model sees')).toBeNull());
    expect(document.activeElement).toBe(screen.getByTestId('composer'));
  });

  it('says a command of an untrusted folder runs once it is trusted, with no output and no time', async () => {
    const user = userEvent.setup();
    await renderWith(() => viewOf({ contextCmd: { state: 'untrusted', command: 'make context' } }));
    await user.click(screen.getByTestId('context-panel-open'));
    const panel = await screen.findByTestId('context-panel');
    await within(panel).findByText('Runs once you trust this folder.');
    expect(within(panel).getByTestId('context-command').textContent).toBe('make context');
    expect(within(panel).queryByTestId('context-command-output')).toBeNull();
    expect(within(panel).queryByTestId('context-command-ran-at')).toBeNull();
    expect(within(panel).queryByTestId('context-run-again')).toBeNull();
  });

  it('labels a prompt not sent yet as the next one', async () => {
    const user = userEvent.setup();
    await renderWith(() => viewOf({ prompt: { ...viewOf().prompt, kind: 'next', sentAt: undefined } }));
    await user.click(screen.getByTestId('context-panel-open'));
    const kind = await screen.findByTestId('context-prompt-kind');
    expect(kind.dataset.kind).toBe('next');
    expect(kind.textContent).toMatch(/what the next request would send/);
  });

  it('runs the command again, then shows the new answer; a turn that ends refetches too', async () => {
    const user = userEvent.setup();
    let output = 'first\n';
    const rc = await renderWith(() => {
      const view = viewOf();
      return view.contextCmd.state === 'ran'
        ? { ...view, contextCmd: { state: 'ran', run: { ...view.contextCmd.run, output } } }
        : view;
    });
    await user.click(screen.getByTestId('context-panel-open'));
    await waitFor(() => expect(screen.getByTestId('context-command-output').textContent).toBe('first\n'));
    output = 'second\n';
    await user.click(screen.getByTestId('context-run-again'));
    await waitFor(() => expect(screen.getByTestId('context-command-output').textContent).toBe('second\n'));
    expect(rc.callsOf('context.refresh')).toHaveLength(1);
    output = 'third\n';
    rc.emit('turn.completed', { conversationId: 'c', turnId: 't', reason: 'stop' });
    await waitFor(() => expect(screen.getByTestId('context-command-output').textContent).toBe('third\n'));
  });

  it('copies the prompt exactly as sent, hidden characters included', async () => {
    const user = userEvent.setup();
    await renderWith(() => viewOf());
    await user.click(screen.getByTestId('context-panel-open'));
    const copy = await screen.findByTestId('context-prompt-copy');
    await user.click(copy);
    await waitFor(() => expect(copy.textContent).toBe('Copied'));
    expect(await navigator.clipboard.readText()).toBe(viewOf().prompt.text);
  });

  it('asks nothing while closed', async () => {
    const rc = await renderWith(() => viewOf());
    rc.emit('turn.completed', { conversationId: 'c', turnId: 't', reason: 'stop' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(rc.callsOf('context.get')).toHaveLength(0);
  });
});
