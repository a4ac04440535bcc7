// @vitest-environment jsdom
import { UNTRUSTED } from '../../shared/workspace-trust';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { createRendererClient } from './testing/renderer-client';
import type { Message } from '../../shared/domain';
import { App } from './App';

afterEach(cleanup);

const message = (
  id: string,
  role: Message['role'],
  content: string,
  extra: Partial<Message> = {},
): Message => ({
  id,
  role,
  content,
  timestamp: '2026-11-26T12:00:00.000Z',
  ...extra,
});

async function renderApp(answers: Parameters<typeof createRendererClient>[0] = {}) {
  const rc = createRendererClient(answers);
  render(<App client={rc.client} />);
  await screen.findByTestId('composer');
  return rc;
}

describe('the window', () => {
  it('shows settings instead of an empty chat on first run without a provider', async () => {
    const rc = createRendererClient({
      'window.state': () => ({
        conversation: null,
        workspace: { workspace: null, projectFiles: [], trust: UNTRUSTED },
        turnId: null,
        pending: [],
        providerReady: false,
      }),
    });
    render(<App client={rc.client} />);
    expect(await screen.findByTestId('first-run')).toBeTruthy();
    expect(screen.queryByTestId('composer')).toBeNull();
    expect(screen.getByRole('heading', { name: 'Welcome to Deskmate' })).toBeTruthy();
  });

  it('shows a resumed conversation with its tool results', async () => {
    await renderApp({
      'window.state': () => ({
        conversation: {
          id: 'c1',
          name: 'Fix build',
          messageCount: 3,
          shownCount: 3,
          updatedAt: '2026-11-26T12:00:00.000Z',
          workspace: '/w',
          messages: [
            message('u1', 'user', 'Fix the build'),
            message('a1', 'assistant', 'Running **tests**.', {
              tool_calls: [{ id: 't1', name: 'shell', args: { command: 'npm test' } }],
            }),
            message('r1', 'tool', 'Error (ShellTimeout): took too long', { call_id: 't1' }),
          ],
        },
        workspace: { workspace: '/w', projectFiles: ['/w/gptme.toml'], trust: UNTRUSTED },
        turnId: null,
        pending: [],
        providerReady: true,
      }),
    });
    expect(screen.getAllByTestId('message').map((m) => m.dataset.role)).toEqual(['user', 'assistant']);
    expect(screen.getByText('tests').tagName).toBe('STRONG');
    const card = screen.getByTestId('tool-call');
    expect(card.dataset.status).toBe('failed');
    expect(within(card).getByText('npm test')).toBeTruthy();
    expect(screen.getByTestId('workspace-path').textContent).toBe('/w');
    expect(screen.getByText('gptme.toml')).toBeTruthy();
  });
});

describe('streaming', () => {
  it('a delta changes only the streaming message, never another one', async () => {
    const rc = await renderApp();
    act(() => {
      rc.emit('turn.started', { conversationId: 'c', turnId: 't' });
      rc.emit('message.added', { conversationId: 'c', message: message('u', 'user', 'hello') });
      rc.emit('message.added', { conversationId: 'c', message: message('a', 'assistant', '') });
    });
    const [userNode, assistantNode] = screen.getAllByTestId('message');
    // Count DOM mutations per message: a render that changes nothing is free, a changed one is seen.
    const mutated = new Set<string>();
    const observer = new MutationObserver((records) => {
      for (const record of records) {
        const owner = (
          record.target instanceof Element ? record.target : record.target.parentElement
        )?.closest('[data-testid=message]');
        mutated.add(owner === userNode ? 'user' : owner === assistantNode ? 'assistant' : 'other');
      }
    });
    observer.observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
    });
    for (const text of ['Hel', 'lo ', 'there']) {
      act(() => rc.emit('message.delta', { conversationId: 'c', messageId: 'a', text }));
    }
    await waitFor(() => expect(assistantNode!.textContent).toContain('Hello there'));
    observer.disconnect();
    expect(screen.getAllByTestId('message')[0]).toBe(userNode);
    expect(mutated.has('assistant')).toBe(true);
    expect(mutated.has('user')).toBe(false);
    expect(screen.getByRole('status').textContent).toMatch(/Writing/);
  });
});

describe('tool cards', () => {
  async function pending(tool: string, args: Record<string, unknown>, warning?: string) {
    const rc = await renderApp();
    act(() => {
      rc.emit('turn.started', { conversationId: 'c', turnId: 't' });
      rc.emit('message.added', { conversationId: 'c', message: message('a', 'assistant', '') });
      rc.emit('message.completed', {
        conversationId: 'c',
        message: message('a', 'assistant', 'On it.', { tool_calls: [{ id: 'call-1', name: tool, args }] }),
      });
      rc.emit('tool.pending', {
        conversationId: 'c',
        callId: 'call-1',
        tool,
        args,
        ...(warning ? { warning } : {}),
      });
    });
    const card = await screen.findByTestId('tool-call');
    expect(card.dataset.status).toBe('pending');
    return { rc, card };
  }

  it('Approve, Skip, Auto and Always each send the matching tool.respond', async () => {
    const user = userEvent.setup();
    for (const [button, response] of [
      ['tool-approve', { action: 'approve' }],
      ['tool-skip', { action: 'skip' }],
      ['tool-auto', { action: 'auto', count: 3 }],
    ] as const) {
      const { rc, card } = await pending('shell', { command: 'ls -la' });
      if (button === 'tool-auto') {
        fireEvent.change(within(card).getByLabelText('How many more to approve'), { target: { value: '3' } });
      }
      await user.click(within(card).getByTestId(button));
      expect(rc.callsOf('tool.respond')).toEqual([{ callId: 'call-1', response }]);
      cleanup();
    }
    const { rc, card } = await pending('shell', { command: 'ls' });
    await user.click(within(card).getByText('Always allow shell in this conversation'));
    expect(rc.callsOf('tool.respond')).toEqual([{ callId: 'call-1', response: { action: 'always' } }]);
  });

  it('shows why a dangerous command is asked about again, and nothing for an ordinary one', async () => {
    const { card } = await pending(
      'shell',
      { command: 'git add .' },
      'This command stages every change at once.',
    );
    expect(within(card).getByTestId('tool-warning').textContent).toBe(
      'Asked again despite any grant: This command stages every change at once.',
    );
    expect(within(card).getByTestId('tool-approve')).toBeTruthy();
    cleanup();
    const ordinary = await pending('shell', { command: 'ls' });
    expect(within(ordinary.card).queryByTestId('tool-warning')).toBeNull();
  });

  it('Edit lets the user change the arguments, then runs them', async () => {
    const user = userEvent.setup();
    const { rc, card } = await pending('save', { path: 'a.txt', content: 'model' });
    await user.click(within(card).getByTestId('tool-edit'));
    const editor = within(card).getByLabelText('Edit arguments');
    fireEvent.change(editor, { target: { value: '{"path": "b.txt", "content": "mine"}' } });
    await user.click(within(card).getByText('Run edited'));
    expect(rc.callsOf('tool.respond')).toEqual([
      { callId: 'call-1', response: { action: 'edit', args: { path: 'b.txt', content: 'mine' } } },
    ]);
  });

  it('shows a shell command as a command, a patch as a diff and a save as path and content', async () => {
    const { card } = await pending('patch', {
      path: 'src/x.ts',
      patch: '<<<<<<< ORIGINAL\nconst a = 1;\n=======\nconst a = 2;\n>>>>>>> UPDATED',
    });
    const diff = within(card).getByTestId('patch-diff');
    expect(diff.querySelector('.diff-del')?.textContent).toBe('- const a = 1;');
    expect(diff.querySelector('.diff-add')?.textContent).toBe('+ const a = 2;');
    expect(within(card).getByText('src/x.ts')).toBeTruthy();
  });

  it('shows each hunk of a patch, and a patch the tool will refuse as written under the reason', async () => {
    const { card } = await pending('patch', {
      path: 'src/x.ts',
      patch:
        '<<<<<<< ORIGINAL\na\n=======\nb\n>>>>>>> UPDATED\n<<<<<<< ORIGINAL\nc\n=======\n>>>>>>> UPDATED',
    });
    const diff = within(card).getByTestId('patch-diff');
    expect([...diff.children].map((line) => `${line.className} ${line.textContent}`)).toEqual([
      'diff-meta @@ hunk 1',
      'diff-del - a',
      'diff-add + b',
      'diff-meta @@ hunk 2',
      'diff-del - c',
    ]);
    cleanup();

    const cut = await pending('patch', { path: 'src/x.ts', patch: '<<<<<<< ORIGINAL\na\n=======\nb' });
    const shown = within(cut.card).getByTestId('patch-diff');
    expect([...shown.children].map((line) => `${line.className} ${line.textContent}`)).toEqual([
      'diff-meta Not a valid patch: Hunk 1 ends without >>>>>>> UPDATED',
      'diff-raw <<<<<<< ORIGINAL',
      'diff-raw a',
      'diff-raw =======',
      'diff-raw b',
    ]);
  });

  it('folds the result under the card and shows an error as an error', async () => {
    const { rc, card } = await pending('shell', { command: 'false' });
    act(() => {
      rc.emit('tool.started', { conversationId: 'c', callId: 'call-1' });
      rc.emit('tool.completed', {
        conversationId: 'c',
        callId: 'call-1',
        status: 'failed',
        result: { ok: false, output: 'boom', error: { name: 'ShellTimeout', message: 'killed after 1 s' } },
      });
    });
    expect(card.dataset.status).toBe('failed');
    expect(within(card).getByText('Error: ShellTimeout')).toBeTruthy();
    expect(within(card).getByText('killed after 1 s')).toBeTruthy();
  });
});

describe('composer and keyboard', () => {
  it('Enter sends, Shift+Enter adds a line, Escape stops a running turn', async () => {
    const user = userEvent.setup();
    const rc = await renderApp({
      'chat.send': () => ({ turnId: 't' }),
      'chat.interrupt': () => ({ interrupted: true }),
    });
    const composer = screen.getByTestId('composer');
    await user.click(composer);
    await user.keyboard('first line{Shift>}{Enter}{/Shift}second line{Enter}');
    expect(rc.callsOf('chat.send')).toEqual([{ text: 'first line\nsecond line' }]);
    expect((composer as HTMLTextAreaElement).value).toBe('');
    act(() => rc.emit('turn.started', { conversationId: 'c', turnId: 't' }));
    expect(screen.getByTestId('stop')).toBeTruthy();
    await user.keyboard('{Escape}');
    expect(rc.callsOf('chat.interrupt')).toHaveLength(1);
  });

  it('a message sent right after New waits for the new conversation, so it lands there', async () => {
    const user = userEvent.setup();
    let created: (() => void) | undefined;
    const order: string[] = [];
    await renderApp({
      'conversation.new': () =>
        new Promise((resolve) => {
          created = () => {
            order.push('created');
            resolve({
              id: 'c2',
              name: 'New conversation',
              messageCount: 0,
              shownCount: 0,
              updatedAt: 'x',
              workspace: null,
            });
          };
        }),
      'chat.send': () => {
        order.push('sent');
        return { turnId: 't' };
      },
    });
    await user.click(screen.getByTestId('new-conversation'));
    await user.click(screen.getByTestId('composer'));
    await user.keyboard('hello{Enter}');
    expect(order).toEqual([]);
    created!();
    await waitFor(() => expect(order).toEqual(['created', 'sent']));
  });

  it('keeps the draft when sending fails, and shows why', async () => {
    const user = userEvent.setup();
    await renderApp({
      'chat.send': () => {
        throw Object.assign(new Error('No API key is set.'), { name: 'ProviderNotConfigured' });
      },
    });
    const composer = screen.getByTestId('composer') as HTMLTextAreaElement;
    await user.click(composer);
    await user.keyboard('precious words{Enter}');
    expect(await screen.findByTestId('error-banner')).toBeTruthy();
    expect(composer.value).toBe('precious words');
  });

  it('Ctrl+N opens a window, Ctrl+O opens a folder, Ctrl+L focuses the composer', async () => {
    const user = userEvent.setup();
    const rc = await renderApp({
      'window.new': () => ({ opened: true }),
      'workspace.pick': () => ({ workspace: '/x', projectFiles: [], trust: UNTRUSTED }),
    });
    await user.keyboard('{Control>}n{/Control}');
    await user.keyboard('{Control>}o{/Control}');
    expect(rc.callsOf('window.new')).toEqual([{}]);
    expect(rc.callsOf('workspace.pick')).toEqual([{}]);
    (document.activeElement as HTMLElement | null)?.blur();
    await user.keyboard('{Control>}l{/Control}');
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('composer')));
  });
});

describe('drag and drop', () => {
  function dropItems(items: Array<{ name: string; isDirectory: boolean }>) {
    const list = items.map(({ name, isDirectory }) => ({
      kind: 'file',
      getAsFile: () => new File(['x'], name),
      webkitGetAsEntry: () => ({ isDirectory }),
    }));
    fireEvent.drop(document.querySelector('.app')!, {
      dataTransfer: { items: list, files: [], types: ['Files'] },
    });
  }

  it('a dropped folder becomes the workspace; a dropped file becomes an attachment', async () => {
    const rc = await renderApp({
      'workspace.open': ({ path }) => ({ workspace: path, projectFiles: [], trust: UNTRUSTED }),
    });
    dropItems([{ name: 'my-project', isDirectory: true }]);
    await waitFor(() => expect(rc.callsOf('workspace.open')).toEqual([{ path: '/real/my-project' }]));
    dropItems([{ name: 'notes.md', isDirectory: false }]);
    expect(await screen.findByTitle('/real/notes.md')).toBeTruthy();
    expect(rc.callsOf('workspace.open')).toHaveLength(1);
  });
});
