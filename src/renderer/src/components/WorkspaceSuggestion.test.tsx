// @vitest-environment jsdom
import { act, cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConversationDetail } from '../../../shared/domain';
import { UNTRUSTED } from '../../../shared/workspace-trust';
import { App } from '../App';
import { createRendererClient } from '../testing/renderer-client';

afterEach(cleanup);

const conversation: ConversationDetail = {
  id: 'imported',
  name: 'Stranger',
  messageCount: 0,
  shownCount: 0,
  updatedAt: '2026-11-26T12:00:00.000Z',
  workspace: '/home/stranger',
  messages: [],
};
const suggested = { folder: '/home/stranger', conversationId: 'imported' };

function setup(suggestion = suggested) {
  const rc = createRendererClient({
    'window.state': () => ({
      conversation,
      workspace: { workspace: '/home/me/project', projectFiles: [], trust: UNTRUSTED, suggested: suggestion },
      turnId: null,
      pending: [],
      providerReady: true,
    }),
    'workspace.open': ({ path }) => ({ workspace: path, projectFiles: [], trust: UNTRUSTED }),
  });
  render(<App client={rc.client} />);
  return rc;
}

describe("an open conversation's recorded folder the user never opened", () => {
  it('is offered, and opened through workspace.open only when the user clicks', async () => {
    const rc = setup();
    const notice = await screen.findByTestId('workspace-suggestion');
    expect(notice.textContent).toContain('/home/stranger');
    expect(rc.callsOf('workspace.open')).toEqual([]);
    await userEvent.click(screen.getByRole('button', { name: 'Open stranger' }));
    expect(rc.callsOf('workspace.open')).toEqual([{ path: '/home/stranger' }]);
  });

  it('goes with Not now, and is not shown for another conversation', async () => {
    setup();
    await screen.findByTestId('workspace-suggestion');
    await userEvent.click(screen.getByRole('button', { name: 'Not now' }));
    expect(screen.queryByTestId('workspace-suggestion')).toBeNull();
    cleanup();
    const rc = setup({ folder: '/home/stranger', conversationId: 'another' });
    await act(async () => {
      await rc.client.call('window.state', {});
    });
    expect(screen.queryByTestId('workspace-suggestion')).toBeNull();
  });
});
