// @vitest-environment jsdom
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HostCapabilities } from '../../../shared/contract';
import type { ConversationSummary } from '../../../shared/domain';
import { App } from '../App';
import { createRendererClient } from '../testing/renderer-client';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const BROWSER: HostCapabilities = {
  view: 'tab',
  folderDialog: false,
  openWindow: false,
  focusWindow: false,
  filePaths: false,
};
const DESKTOP: HostCapabilities = {
  view: 'window',
  folderDialog: true,
  openWindow: true,
  focusWindow: true,
  filePaths: true,
};

const summary: ConversationSummary = {
  id: 'c-plan',
  name: 'Release plan',
  messageCount: 2,
  shownCount: 2,
  updatedAt: '2026-11-26T12:00:00.000Z',
  workspace: null,
};

function alreadyOpen(): never {
  throw Object.assign(new Error('This conversation is open in another window'), { name: 'AlreadyOpen' });
}

async function renderHost(host: HostCapabilities, answers: Parameters<typeof createRendererClient>[0] = {}) {
  const rc = createRendererClient({
    'host.capabilities': () => host,
    'conversation.list': () => ({ items: [summary], total: 1 }),
    ...answers,
  });
  render(<App client={rc.client} />);
  await screen.findByTestId('composer');
  await screen.findByText('Release plan');
  return rc;
}

describe('a conversation open in another window', () => {
  it('says so with Take over instead of leaving an empty chat; taking over opens it here', async () => {
    const user = userEvent.setup();
    let takeOver = false;
    const rc = await renderHost(BROWSER, {
      'conversation.open': (input) => {
        if (!input.takeOver) alreadyOpen();
        takeOver = true;
        return { ...summary, messages: [] };
      },
    });
    await user.click(screen.getByText('Release plan'));
    const notice = await screen.findByTestId('open-elsewhere');
    expect(notice.textContent).toContain('“Release plan” is open in another tab');
    expect(screen.queryByRole('button', { name: 'Show that window' })).toBeNull();
    expect(screen.queryByTestId('error-banner')).toBeNull();
    await user.click(screen.getByTestId('take-over'));
    await waitFor(() => expect(screen.queryByTestId('open-elsewhere')).toBeNull());
    expect(takeOver).toBe(true);
    expect(rc.callsOf('conversation.open')).toEqual([{ id: 'c-plan' }, { id: 'c-plan', takeOver: true }]);
  });

  it('in a desktop host also offers to show that window', async () => {
    const user = userEvent.setup();
    const rc = await renderHost(DESKTOP, {
      'conversation.open': alreadyOpen,
      'window.new': () => ({ opened: false }),
    });
    await user.click(screen.getByText('Release plan'));
    await user.click(await screen.findByRole('button', { name: 'Show that window' }));
    expect(rc.callsOf('window.new')).toEqual([{ conversation: 'c-plan' }]);
  });

  it('a window whose conversation was taken over says so and shows a new chat', async () => {
    const rc = await renderHost(BROWSER, {
      'window.state': () => ({
        conversation: {
          ...summary,
          messages: [{ id: 'u', role: 'user', content: 'hello', timestamp: '2026-11-26T12:00:00.000Z' }],
        },
        workspace: {
          workspace: null,
          projectFiles: [],
          trust: {
            trusted: false,
            changed: false,
            declined: false,
            fingerprint: '',
            request: { env: [], settings: [] },
          },
        },
        turnId: null,
        pending: [],
        providerReady: true,
      }),
    });
    expect(await screen.findAllByTestId('message')).toHaveLength(1);
    act(() => rc.emit('conversation.taken', { conversationId: 'c-plan' }));
    expect((await screen.findByTestId('taken-notice')).textContent).toContain(
      '“Release plan” was taken over in another tab',
    );
    expect(screen.queryAllByTestId('message')).toHaveLength(0);
  });
});

describe('desktop controls in a browser tab', () => {
  it('Open Folder and Ctrl+O focus the path field and never ask for a folder dialog', async () => {
    const user = userEvent.setup();
    const rc = await renderHost(BROWSER);
    await user.click(screen.getByTestId('workspace-open'));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText('Folder path')));
    await user.keyboard('{Escape}');
    await user.click(screen.getByTestId('composer'));
    await user.keyboard('{Control>}o{/Control}');
    await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText('Folder path')));
    expect(rc.callsOf('workspace.pick')).toEqual([]);
    expect(screen.queryByTestId('error-banner')).toBeNull();
  });

  it('Open in a new window opens a tab with the conversation in its address', async () => {
    const user = userEvent.setup();
    const opened = vi.spyOn(window, 'open').mockReturnValue(null);
    const rc = await renderHost(BROWSER);
    await user.click(screen.getByRole('button', { name: 'Open in a new window' }));
    expect(opened).toHaveBeenCalledWith(expect.stringContaining('conversation=c-plan'), '_blank', 'noopener');
    expect(rc.callsOf('window.new')).toEqual([]);
  });
});

describe('a conversation whose log has lines that cannot be read', () => {
  it('opens with what could be read and says how many lines were left out, kept in the file', async () => {
    const user = userEvent.setup();
    await renderHost(BROWSER, {
      'conversation.open': () => ({
        ...summary,
        messages: [{ id: 'u', role: 'user', content: 'hello', timestamp: '2026-11-26T12:00:00.000Z' }],
        skippedLines: 1,
        truncatedTail: true,
      }),
    });
    await user.click(screen.getByText('Release plan'));
    const notice = await screen.findByTestId('unreadable-lines-notice');
    expect(notice.textContent).toContain('2 lines of “Release plan”’s log could not be read');
    expect(notice.textContent).toContain('Nothing was deleted');
    expect(await screen.findByText('hello')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'OK' }));
    await waitFor(() => expect(screen.queryByTestId('unreadable-lines-notice')).toBeNull());
  });

  it('says nothing when every line was read', async () => {
    const user = userEvent.setup();
    await renderHost(BROWSER, {
      'conversation.open': () => ({ ...summary, messages: [], skippedLines: 0, truncatedTail: false }),
    });
    await user.click(screen.getByText('Release plan'));
    await waitFor(() => expect(screen.queryByTestId('composer')).not.toBeNull());
    expect(screen.queryByTestId('unreadable-lines-notice')).toBeNull();
  });
});
