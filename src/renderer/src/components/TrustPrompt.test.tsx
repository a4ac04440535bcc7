// @vitest-environment jsdom
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { WorkspaceInfo } from '../../../shared/contract';
import type { WorkspaceTrust } from '../../../shared/workspace-trust';
import { App } from '../App';
import { createRendererClient } from '../testing/renderer-client';

afterEach(cleanup);

const asking: WorkspaceTrust = {
  trusted: false,
  changed: false,
  declined: false,
  fingerprint: 'f'.repeat(64),
  request: {
    env: [
      { name: 'LD_PRELOAD', value: '/w/evil.so', file: '/w/.deskmate.toml', risk: 'runs-code' },
      { name: 'NODE_ENV', value: 'development', file: '/w/gptme.toml' },
    ],
    settings: [{ key: 'shellTimeoutMs', value: '5000', file: '/w/.deskmate.toml' }],
  },
};

const info = (trust: WorkspaceTrust): WorkspaceInfo => ({
  workspace: '/w',
  projectFiles: ['/w/gptme.toml', '/w/.deskmate.toml'],
  trust,
});

async function renderWith(trust: WorkspaceTrust) {
  let current = trust;
  const rc = createRendererClient({
    'window.state': () => ({
      conversation: null,
      workspace: info(current),
      turnId: null,
      pending: [],
      providerReady: true,
    }),
    'workspace.trust': ({ trusted }) => {
      current = { ...current, trusted, declined: !trusted };
      return info(current);
    },
  });
  render(<App client={rc.client} />);
  await screen.findByTestId('composer');
  return rc;
}

describe('the trust prompt', () => {
  it('lists each env variable with its value and risk, and each setting, before anything applies', async () => {
    await renderWith(asking);
    const prompt = screen.getByTestId('trust-prompt');
    expect(within(prompt).getByText('LD_PRELOAD')).toBeTruthy();
    expect(within(prompt).getByText('= /w/evil.so')).toBeTruthy();
    const preload = within(prompt).getByText('LD_PRELOAD').closest('li')!;
    expect(within(preload).getByText('runs code')).toBeTruthy();
    // The badges are explained on screen, not only in a tooltip.
    expect(prompt.textContent).toContain('runs code decides which programs run, or loads code into them');
    expect(prompt.textContent).toContain('2 environment variables and 1 setting:');
    expect(within(prompt).getByText('= development')).toBeTruthy();
    expect(within(prompt).getByText('shellTimeoutMs')).toBeTruthy();
    expect(screen.getByTestId('trust-badge').textContent).toBe('Restricted');
  });

  it('declining closes it and keeps the window usable; the header badge reopens it; accepting trusts', async () => {
    const rc = await renderWith(asking);
    const user = userEvent.setup();
    await user.click(screen.getByTestId('trust-decline'));
    expect(rc.callsOf('workspace.trust')).toEqual([{ trusted: false }]);
    await waitFor(() => expect(screen.queryByTestId('trust-prompt')).toBeNull());
    expect((screen.getByTestId('composer') as HTMLTextAreaElement).disabled).toBe(false);

    await user.click(screen.getByTestId('trust-badge'));
    await user.click(await screen.findByTestId('trust-accept'));
    // The answer names the list that was on screen.
    expect(rc.callsOf('workspace.trust')).toEqual([
      { trusted: false },
      { trusted: true, fingerprint: 'f'.repeat(64) },
    ]);
    await waitFor(() => expect(screen.queryByTestId('trust-prompt')).toBeNull());
    expect(screen.getByTestId('trust-badge').textContent).toBe('Trusted');
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('composer')));

    // Trusted: the badge shows what applies and offers to revoke; it does not revoke on its own.
    await user.click(screen.getByTestId('trust-badge'));
    const panel = await screen.findByTestId('trust-prompt');
    expect(panel.textContent).toContain('You trust this folder');
    expect(within(panel).getByText('= /w/evil.so')).toBeTruthy();
    expect(rc.callsOf('workspace.trust')).toHaveLength(2);
    await user.click(within(panel).getByTestId('trust-revoke'));
    expect(rc.callsOf('workspace.trust').at(-1)).toEqual({ trusted: false });
    await waitFor(() => expect(screen.getByTestId('trust-badge').textContent).toBe('Restricted'));
  });

  it('takes the focus when it appears; Escape stays restricted', async () => {
    const rc = await renderWith(asking);
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('trust-prompt')));
    const user = userEvent.setup();
    await user.keyboard('{Escape}');
    expect(rc.callsOf('workspace.trust')).toEqual([{ trusted: false }]);
    await waitFor(() => expect(screen.queryByTestId('trust-prompt')).toBeNull());
  });

  it('a value with terminal or bidi control characters is shown escaped', async () => {
    await renderWith({
      ...asking,
      request: {
        env: [{ name: 'NOTE', value: 'evil\u202egpj.sh\u001b[2K', file: '/w/.deskmate.toml' }],
        settings: [],
      },
    });
    expect(
      within(screen.getByTestId('trust-prompt')).getByText('= evil\\u{202e}gpj.sh\\u{1b}[2K'),
    ).toBeTruthy();
  });

  it('says so when a trusted folder now asks for something else', async () => {
    await renderWith({ ...asking, changed: true });
    expect(screen.getByTestId('trust-prompt').textContent).toContain('changed since you trusted it');
  });

  it('is not shown for a folder that asks for nothing that needs trust', async () => {
    await renderWith({ ...asking, request: { env: [], settings: [] } });
    expect(screen.queryByTestId('trust-prompt')).toBeNull();
    expect(screen.queryByTestId('trust-badge')).toBeNull();
  });

  it('settings list trusted folders, each revocable', async () => {
    let folders = [{ path: '/w', grantedAt: '2026-11-30T00:00:00.000Z' }];
    const rc = createRendererClient({
      'trust.list': () => ({ folders }),
      'trust.revoke': ({ path }) => {
        folders = folders.filter((f) => f.path !== path);
        return { revoked: true };
      },
    });
    render(<App client={rc.client} />);
    await screen.findByTestId('composer');
    const user = userEvent.setup();
    await user.click(screen.getByTestId('settings-open'));
    const list = await screen.findByTestId('trusted-folders');
    await user.click(within(list).getByRole('button', { name: 'Revoke' }));
    expect(rc.callsOf('trust.revoke')).toEqual([{ path: '/w' }]);
    await waitFor(() => expect(screen.queryByTestId('trusted-folders')).toBeNull());
  });
});
