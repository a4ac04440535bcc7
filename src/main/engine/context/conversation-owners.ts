import { NamedError } from '../../../shared/errors';
import { toDisposable, type Disposable } from '../base/disposable';

/** One conversation is attached to at most one window: opening it elsewhere names the owner. */
export class ConversationOwners {
  readonly #owners = new Map<string, string>();
  // Turns of closed windows still writing their last messages (the interrupted reply, skipped
  // tool results) after the claim was released, by conversation.
  readonly #draining = new Map<string, Promise<unknown>>();

  ownerOf(conversationId: string): string | undefined {
    return this.#owners.get(conversationId);
  }

  /**
   * Throws `AlreadyOpen` when another client holds the conversation. The error names the
   * conversation, never the other client: a client id is the host's handle on another window
   * (its webContents, its WebSocket session) and no window may learn one.
   */
  assertNotElsewhere(
    conversationId: string,
    clientId: string,
    message = 'This conversation is open in another window',
  ): void {
    const owner = this.#owners.get(conversationId);
    if (owner !== undefined && owner !== clientId) {
      throw new NamedError('AlreadyOpen', message, { conversationId });
    }
  }

  claim(conversationId: string, clientId: string): Disposable {
    this.assertNotElsewhere(conversationId, clientId);
    this.#owners.set(conversationId, clientId);
    return toDisposable(() => {
      // Stryker disable next-line ConditionalExpression: no other client can claim it before this claim is released
      if (this.#owners.get(conversationId) === clientId) this.#owners.delete(conversationId);
    });
  }

  /** A closed window's turn that still writes to the conversation: whoever opens it next waits. */
  drain(conversationId: string, done: Promise<unknown>): void {
    // Stryker disable next-line BlockStatement: forgetting a settled entry only frees memory; waiting on it is instant
    const all: Promise<unknown> = Promise.allSettled([this.#draining.get(conversationId), done]).then(() => {
      // Stryker disable next-line ConditionalExpression,CallExpression: as above, memory only
      if (this.#draining.get(conversationId) === all) this.#draining.delete(conversationId);
    });
    this.#draining.set(conversationId, all);
  }

  /** Resolves when no closed window's turn is writing to the conversation any more. */
  async drained(conversationId: string): Promise<void> {
    await this.#draining.get(conversationId);
  }

  get size(): number {
    return this.#owners.size;
  }
}
