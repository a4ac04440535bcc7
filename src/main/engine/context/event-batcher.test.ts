import { describe, expect, it } from 'vitest';
import { BATCH_INTERVAL_MS, EventBatcher } from './event-batcher';

describe('EventBatcher', () => {
  it('coalesces streamed text per message and keeps event order', async () => {
    const sent: Array<[string, unknown]> = [];
    const batcher = new EventBatcher((name, payload) => sent.push([name, payload]));
    for (const text of ['Hel', 'lo', ' wor', 'ld'])
      batcher.emit('message.delta', { conversationId: 'c', messageId: 'm', text });
    batcher.emit('tool.output', { conversationId: 'c', callId: 't', chunk: 'a' });
    batcher.emit('tool.output', { conversationId: 'c', callId: 't', chunk: 'b' });
    expect(sent).toEqual([]);
    // Any other event flushes what is pending first, so the client never sees it out of order.
    batcher.emit('turn.completed', { conversationId: 'c', turnId: 'x', reason: 'stop' });
    expect(sent.map(([name]) => name)).toEqual(['message.delta', 'tool.output', 'turn.completed']);
    expect(sent[0]![1]).toEqual({ conversationId: 'c', messageId: 'm', text: 'Hello world' });
    expect(sent[1]![1]).toEqual({ conversationId: 'c', callId: 't', chunk: 'ab' });
  });

  it('flushes on its own after the interval, and not after dispose', async () => {
    const sent: string[] = [];
    const batcher = new EventBatcher((_name, payload) => sent.push((payload as { text: string }).text));
    batcher.emit('message.delta', { conversationId: 'c', messageId: 'm', text: 'x' });
    await new Promise((resolve) => setTimeout(resolve, BATCH_INTERVAL_MS * 3));
    expect(sent).toEqual(['x']);
    batcher.emit('message.delta', { conversationId: 'c', messageId: 'm', text: 'y' });
    batcher.dispose();
    await new Promise((resolve) => setTimeout(resolve, BATCH_INTERVAL_MS * 3));
    expect(sent).toEqual(['x']);
  });

  it("sends a running tool's output on its own after the interval, each piece once", async () => {
    const sent: string[] = [];
    const batcher = new EventBatcher((_name, payload) => sent.push((payload as { chunk: string }).chunk));
    batcher.emit('tool.output', { conversationId: 'c', callId: 't', chunk: 'first ' });
    await new Promise((resolve) => setTimeout(resolve, BATCH_INTERVAL_MS * 3));
    expect(sent).toEqual(['first ']);
    batcher.emit('tool.output', { conversationId: 'c', callId: 't', chunk: 'second' });
    batcher.flush();
    expect(sent).toEqual(['first ', 'second']);
  });

  it("a closed window's pending text is dropped, never sent later", () => {
    const sent: unknown[] = [];
    const batcher = new EventBatcher((_name, payload) => sent.push(payload));
    batcher.emit('message.delta', { conversationId: 'c', messageId: 'm', text: 'x' });
    batcher.emit('tool.output', { conversationId: 'c', callId: 't', chunk: 'y' });
    batcher.dispose();
    batcher.flush();
    expect(sent).toEqual([]);
  });
});
