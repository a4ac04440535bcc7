import { describe, expect, it } from 'vitest';
import { LiveTurn } from './live-turn';

const draft = { id: 'a', role: 'assistant' as const, content: '', timestamp: 't' };

describe('LiveTurn', () => {
  it('keeps the streamed reply and stamps each delta with the length before it', () => {
    const live = new LiveTurn();
    live.observe('message.added', { conversationId: 'c', message: draft });
    const first = live.observe('message.delta', { conversationId: 'c', messageId: 'a', text: 'Hel' });
    const second = live.observe('message.delta', { conversationId: 'c', messageId: 'a', text: 'lo' });
    expect([first.offset, second.offset]).toEqual([0, 3]);
    expect(live.snapshot([]).draft?.content).toBe('Hello');
    // Recorded but its completion not yet sent: the snapshot's messages hold it, the draft goes.
    expect(live.snapshot([{ ...draft, content: 'Hello' }]).draft).toBeNull();
    live.observe('message.completed', { conversationId: 'c', message: { ...draft, content: 'Hello' } });
    expect(live.snapshot([]).draft).toBeNull();
  });

  it('keeps the output of running tools until they complete', () => {
    const live = new LiveTurn();
    live.observe('tool.started', { conversationId: 'c', callId: 'k' });
    expect(live.observe('tool.output', { conversationId: 'c', callId: 'k', chunk: 'ab' }).offset).toBe(0);
    expect(live.observe('tool.output', { conversationId: 'c', callId: 'k', chunk: 'c' }).offset).toBe(2);
    expect(live.snapshot([]).running).toEqual([{ callId: 'k', output: 'abc' }]);
    live.observe('tool.completed', {
      conversationId: 'c',
      callId: 'k',
      status: 'completed',
      result: { ok: true, output: 'abc' },
    });
    expect(live.snapshot([]).running).toEqual([]);
  });

  it("holds only the assistant's draft: a message already in the log never replaces it", () => {
    const live = new LiveTurn();
    live.observe('message.added', { conversationId: 'c', message: draft });
    live.observe('message.delta', { conversationId: 'c', messageId: 'a', text: 'Hi' });
    const user = { id: 'u', role: 'user' as const, content: 'hello', timestamp: 't' };
    expect(live.observe('message.added', { conversationId: 'c', message: user })).toEqual({
      conversationId: 'c',
      message: user,
    });
    expect(live.snapshot([]).draft).toEqual({ ...draft, content: 'Hi' });
  });

  it('leaves alone what belongs to no reply or tool it holds', () => {
    const live = new LiveTurn();
    // Before any draft, and for another message: passed on as they are, without an offset.
    const early = { conversationId: 'c', messageId: 'a', text: 'x' };
    expect(live.observe('message.delta', early)).toBe(early);
    live.observe('message.added', { conversationId: 'c', message: draft });
    const stray = { conversationId: 'c', messageId: 'other', text: 'y' };
    expect(live.observe('message.delta', stray)).toBe(stray);
    live.observe('message.completed', { conversationId: 'c', message: { ...draft, id: 'other' } });
    expect(live.snapshot([]).draft).toEqual(draft);
    const output = { conversationId: 'c', callId: 'never-started', chunk: 'z' };
    expect(live.observe('tool.output', output)).toBe(output);
    expect(live.snapshot([]).running).toEqual([]);
  });

  it('a snapshot is a copy: what the window is sent does not grow with the turn', () => {
    const live = new LiveTurn();
    live.observe('message.added', { conversationId: 'c', message: draft });
    live.observe('message.delta', { conversationId: 'c', messageId: 'a', text: 'one' });
    const before = live.snapshot([]);
    live.observe('message.delta', { conversationId: 'c', messageId: 'a', text: ' two' });
    expect(before.draft?.content).toBe('one');
    // The event's own message is not the draft either.
    const added = { ...draft };
    const fresh = new LiveTurn();
    fresh.observe('message.added', { conversationId: 'c', message: added });
    fresh.observe('message.delta', { conversationId: 'c', messageId: 'a', text: 'more' });
    expect(added.content).toBe('');
  });

  it('forgets everything when the turn ends, however it ends', () => {
    for (const end of [
      ['turn.completed', { conversationId: 'c', turnId: 't', reason: 'stop' }],
      ['turn.failed', { conversationId: 'c', turnId: 't', error: { name: 'X', message: 'y' } }],
    ] as const) {
      const live = new LiveTurn();
      live.observe('message.added', { conversationId: 'c', message: draft });
      live.observe('tool.started', { conversationId: 'c', callId: 'k' });
      expect(live.observe(end[0], end[1] as never)).toBe(end[1]);
      expect(live.snapshot([])).toEqual({ draft: null, running: [] });
    }
    const cleared = new LiveTurn();
    cleared.observe('message.added', { conversationId: 'c', message: draft });
    cleared.observe('tool.started', { conversationId: 'c', callId: 'k' });
    cleared.clear();
    expect(cleared.snapshot([])).toEqual({ draft: null, running: [] });
  });

  it('passes every other event on untouched', () => {
    const live = new LiveTurn();
    const pending = { conversationId: 'c', callId: 'k', tool: 'shell' as const, args: {} };
    expect(live.observe('tool.pending', pending)).toBe(pending);
    expect(live.snapshot([])).toEqual({ draft: null, running: [] });
  });

  it('a tool that completes takes only its own output with it', () => {
    const live = new LiveTurn();
    live.observe('message.added', { conversationId: 'c', message: draft });
    live.observe('tool.started', { conversationId: 'c', callId: 'k1' });
    live.observe('tool.started', { conversationId: 'c', callId: 'k2' });
    live.observe('tool.output', { conversationId: 'c', callId: 'k2', chunk: 'still going' });
    const completed = {
      conversationId: 'c',
      callId: 'k1',
      status: 'completed' as const,
      result: { ok: true, output: '' },
    };
    expect(live.observe('tool.completed', completed)).toBe(completed);
    expect(live.snapshot([])).toEqual({ draft, running: [{ callId: 'k2', output: 'still going' }] });
  });

  it('a completion with no reply streaming changes nothing', () => {
    const live = new LiveTurn();
    const completed = { conversationId: 'c', message: { ...draft, content: 'done' } };
    expect(live.observe('message.completed', completed)).toBe(completed);
    expect(live.snapshot([])).toEqual({ draft: null, running: [] });
  });

  it('the reply streaming is drawn beside the messages already recorded', () => {
    const live = new LiveTurn();
    live.observe('message.added', { conversationId: 'c', message: draft });
    const user = { id: 'u', role: 'user' as const, content: 'hello', timestamp: 't' };
    expect(live.snapshot([user]).draft).toEqual(draft);
  });
});
