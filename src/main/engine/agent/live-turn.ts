import type { EventName, EventPayload, LiveTurn as LiveTurnView } from '../../../shared/contract';
import type { Message } from '../../../shared/domain';

/**
 * What the running turn has shown and not yet recorded: the reply being streamed and the output of
 * the tools running now. A window that reloads mid-turn (a browser tab reattaching, an Electron
 * reload) draws itself from this, then goes on with the events. Every delta and output chunk is
 * stamped with the length of the text before it, so a window can tell an event its snapshot
 * already holds from one it still needs, whichever arrives first.
 */
export class LiveTurn {
  #draft: Message | undefined;
  readonly #running = new Map<string, string>();

  /** Records an event of the turn on its way out; returns it stamped with its offset. */
  observe<E extends EventName>(name: E, payload: EventPayload<E>): EventPayload<E> {
    switch (name) {
      case 'message.added': {
        const { message } = payload as EventPayload<'message.added'>;
        // Only the assistant's draft is unrecorded; everything else is in the log already.
        if (message.role === 'assistant') this.#draft = { ...message };
        return payload;
      }
      case 'message.delta': {
        const delta = payload as EventPayload<'message.delta'>;
        if (this.#draft?.id !== delta.messageId) return payload;
        const offset = this.#draft.content.length;
        this.#draft.content += delta.text;
        const shifted: EventPayload<'message.delta'> = { ...delta, offset };
        return shifted as EventPayload<E>;
      }
      case 'message.completed': {
        const { message } = payload as EventPayload<'message.completed'>;
        if (this.#draft?.id === message.id) this.#draft = undefined;
        return payload;
      }
      case 'tool.started': {
        this.#running.set((payload as EventPayload<'tool.started'>).callId, '');
        return payload;
      }
      case 'tool.output': {
        const output = payload as EventPayload<'tool.output'>;
        const before = this.#running.get(output.callId);
        if (before === undefined) return payload;
        this.#running.set(output.callId, before + output.chunk);
        const shifted: EventPayload<'tool.output'> = { ...output, offset: before.length };
        return shifted as EventPayload<E>;
      }
      case 'tool.completed': {
        this.#running.delete((payload as EventPayload<'tool.completed'>).callId);
        return payload;
      }
      case 'turn.completed':
      case 'turn.failed':
        this.clear();
        return payload;
      default:
        return payload;
    }
  }

  /** The turn as it stands; a draft already recorded (its completion not yet announced) is left out. */
  snapshot(recorded: readonly Message[]): LiveTurnView {
    const draft = this.#draft && !recorded.some((m) => m.id === this.#draft!.id) ? { ...this.#draft } : null;
    return {
      draft,
      running: [...this.#running].map(([callId, output]) => ({ callId, output })),
    };
  }

  clear(): void {
    this.#draft = undefined;
    this.#running.clear();
  }
}
