import { isNamedError, NamedError } from '../../../shared/errors';
import type { ContextRegistry } from './context-registry';
import type { WindowContext } from './window-context';

/** The context, other than `clientId`'s, that has the conversation attached; undefined if none. */
export function holderOf(
  registry: ContextRegistry,
  conversationId: string,
  clientId: string,
): WindowContext | undefined {
  const owner = registry.services.owners.ownerOf(conversationId);
  if (
    owner === clientId ||
    // Stryker disable next-line ConditionalExpression: no context is registered under an undefined client
    owner === undefined
  )
    return undefined;
  // Only live contexts: a context leaves the registry as it is disposed. One that was closed
  // mid-turn keeps the conversation until that turn ends, and is not here.
  return registry.get(owner);
}

/**
 * Takes the conversation away from the context that holds it. Its running turn is stopped first,
 * as Stop does (the partial reply is kept and every tool call gets its result), so the log has one
 * writer at a time; then the conversation leaves that context, which is left with a new, empty
 * chat, and its window is told why. Nothing here names the holder to anyone.
 */
export async function takeConversation(holder: WindowContext, conversationId: string): Promise<void> {
  if (holder.chat.conversationId !== conversationId) return;
  holder.chat.interrupt();
  await holder.chat.waitForTurn();
  // The holder may have moved on (or gone) while its turn wound down.
  if (holder.disposed || holder.chat.conversationId !== conversationId) return;
  if (holder.chat.busy) {
    // A new turn began there in the meantime: the user there is actively working in it.
    throw new NamedError('Busy', 'A reply is being written in the other window; try again when it stops', {
      conversationId,
    });
  }
  try {
    holder.chat.detach();
  } catch (error) {
    // Stryker disable next-line ConditionalExpression: detach fails only as Busy once the holder is known to be alive. (Its opposite, every failure passed on as it is, is caught by the opening-a-folder test.)
    if (!isNamedError(error, 'Busy')) throw error;
    throw new NamedError('Busy', 'The other window is opening a folder or conversation; try again', {
      conversationId,
    });
  }
  holder.emit('conversation.taken', { conversationId });
}

/**
 * Frees a conversation for `clientId` where that needs no question: its holder is away (a browser
 * tab closed or reloading). A tab that comes back finds a new chat; one that is gone holds nothing.
 */
export async function takeFromAway(
  registry: ContextRegistry,
  conversationId: string,
  clientId: string,
): Promise<void> {
  const holder = holderOf(registry, conversationId, clientId);
  if (holder?.away) await takeConversation(holder, conversationId);
}
