import { describe, expect, it } from 'vitest';
import type { ContextView } from '../../../shared/context-view';
import { createRendererClient } from '../testing/renderer-client';
import { createContextPanel } from './context-panel-store';
import { createWindowStore } from './window-store';

const viewWith = (text: string): ContextView => ({
  prompt: { kind: 'next', text, tokens: 1, files: [], basePrompt: false, instructions: false },
  contextCmd: { state: 'none' },
  config: [],
});

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("a window's context panel store", () => {
  it('asks again when the window shows another conversation, only while open', async () => {
    let n = 0;
    const rc = createRendererClient({ 'context.get': () => viewWith(`v${++n}`) });
    const window = createWindowStore();
    const panel = createContextPanel(rc.client, window);
    const disconnect = panel.connect();
    window.setState({ conversation: { id: 'a', name: 'A' } });
    await settle();
    expect(rc.callsOf('context.get')).toHaveLength(0);
    panel.show();
    await settle();
    expect(panel.store.getState().view?.prompt.text).toBe('v1');
    window.setState({ conversation: { id: 'b', name: 'B' } });
    await settle();
    expect(panel.store.getState().view?.prompt.text).toBe('v2');
    // The same conversation again (a rename, say) asks nothing.
    window.setState({ conversation: { id: 'b', name: 'B2' } });
    await settle();
    expect(rc.callsOf('context.get')).toHaveLength(2);
    disconnect();
    rc.emit('config.changed', undefined as never);
    window.setState({ conversation: { id: 'c', name: 'C' } });
    await settle();
    expect(rc.callsOf('context.get')).toHaveLength(2);
  });

  it('shows the newest answer when answers cross', async () => {
    const pending: Array<(view: ContextView) => void> = [];
    const rc = createRendererClient({
      'context.get': () => new Promise<ContextView>((resolve) => pending.push(resolve)),
    });
    const panel = createContextPanel(rc.client, createWindowStore());
    const disconnect = panel.connect();
    panel.show();
    rc.emit('turn.completed', { conversationId: 'c', turnId: 't', reason: 'stop' });
    expect(pending).toHaveLength(2);
    pending[1]!(viewWith('newer'));
    await settle();
    pending[0]!(viewWith('older'));
    await settle();
    expect(panel.store.getState()).toMatchObject({ loading: false, view: { prompt: { text: 'newer' } } });
    disconnect();
  });

  it('keeps the last view when a refresh fails, and says why; a failed run is said apart', async () => {
    let fail = false;
    const rc = createRendererClient({
      'context.get': () => {
        if (fail) throw new Error('engine gone');
        return viewWith('kept');
      },
      'context.refresh': () => {
        throw new Error('no conversation');
      },
    });
    const panel = createContextPanel(rc.client, createWindowStore());
    panel.show();
    await settle();
    fail = true;
    await panel.runAgain();
    expect(panel.store.getState()).toMatchObject({
      view: { prompt: { text: 'kept' } },
      error: 'engine gone',
      runError: 'no conversation',
      running: false,
    });
    panel.toggle();
    expect(panel.store.getState().open).toBe(false);
  });
});
