import { NamedError } from '../../../shared/errors';
import { toDisposable, type Disposable } from './disposable';

/** One conversation is attached to at most one window: opening it elsewhere names the owner. */
export class ConversationOwners {
  readonly #owners = new Map<string, string>();

  ownerOf(conversationId: string): string | undefined {
    return this.#owners.get(conversationId);
  }

  claim(conversationId: string, clientId: string): Disposable {
    const owner = this.#owners.get(conversationId);
    if (owner !== undefined && owner !== clientId) {
      throw new NamedError('AlreadyOpen', 'This conversation is open in another window', {
        clientId: owner,
        conversationId,
      });
    }
    this.#owners.set(conversationId, clientId);
    return toDisposable(() => {
      if (this.#owners.get(conversationId) === clientId) this.#owners.delete(conversationId);
    });
  }

  get size(): number {
    return this.#owners.size;
  }
}
