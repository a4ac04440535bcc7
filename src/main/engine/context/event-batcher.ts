import type { EventName, EventPayload } from '../../../shared/contract';
import type { Disposable } from '../base/disposable';

type Sink = <E extends EventName>(name: E, payload: EventPayload<E>) => void;

/** How long text may wait before it is sent: under two frames, so streaming still looks live. */
export const BATCH_INTERVAL_MS = 25;

/**
 * Coalesces streamed text (message.delta, tool.output) so a client gets one message per interval,
 * not one per token. Any other event flushes first, so the order a client sees never changes.
 */
export class EventBatcher implements Disposable {
  readonly #sink: Sink;
  readonly #deltas = new Map<string, EventPayload<'message.delta'>>();
  readonly #outputs = new Map<string, EventPayload<'tool.output'>>();
  #timer: NodeJS.Timeout | undefined;

  constructor(sink: Sink) {
    this.#sink = sink;
  }

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    // The pending entry is a copy owned here and grown in place: one object per message and
    // interval, not one per token.
    if (name === 'message.delta') {
      const delta = payload as EventPayload<'message.delta'>;
      const pending = this.#deltas.get(delta.messageId);
      if (pending) pending.text += delta.text;
      else this.#deltas.set(delta.messageId, { ...delta });
      this.#schedule();
      return;
    }
    if (name === 'tool.output') {
      const output = payload as EventPayload<'tool.output'>;
      const pending = this.#outputs.get(output.callId);
      if (pending) pending.chunk += output.chunk;
      else this.#outputs.set(output.callId, { ...output });
      this.#schedule();
      return;
    }
    this.flush();
    this.#sink(name, payload);
  }

  flush(): void {
    // Stryker disable next-line CallExpression: a stale timer only flushes empty maps or text early, never twice.
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const deltas = [...this.#deltas.values()];
    const outputs = [...this.#outputs.values()];
    this.#deltas.clear();
    this.#outputs.clear();
    for (const delta of deltas) this.#sink('message.delta', delta);
    for (const output of outputs) this.#sink('tool.output', output);
  }

  dispose(): void {
    // Stryker disable next-line CallExpression: the maps are cleared below, so a late flush sends nothing.
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#deltas.clear();
    this.#outputs.clear();
  }

  #schedule(): void {
    this.#timer ??= setTimeout(() => this.flush(), BATCH_INTERVAL_MS);
  }
}
