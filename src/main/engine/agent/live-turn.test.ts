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
});
