/**
 * Checks one event a client received against what that client owns: no other client's secret
 * anywhere in it, and every conversation, message, turn and tool call id in it first seen here
 * (or, for tool calls, handed to this client by the model). Workspace paths must be its own.
 */
import type { EventName } from '../src/shared/contract';
import type { Message } from '../src/shared/domain';
import type { Ownership } from './ownership';

interface AnyPayload {
  conversationId?: unknown;
  messageId?: unknown;
  turnId?: unknown;
  callId?: unknown;
  message?: Message;
  workspace?: unknown;
}

export function checkEvent(ownership: Ownership, client: string, name: EventName, payload: unknown): void {
  const where = `event ${name}`;
  ownership.checkText(client, JSON.stringify(payload), where);
  const p = payload as AnyPayload;
  if (typeof p.conversationId === 'string') ownership.claim('conversation', p.conversationId, client, where);
  if (typeof p.turnId === 'string') ownership.claim('turn', p.turnId, client, where);
  if (typeof p.messageId === 'string') ownership.claim('message', p.messageId, client, where);
  if (p.message) {
    ownership.claim('message', p.message.id, client, where);
    for (const call of p.message.tool_calls ?? []) ownership.expectOwned('call', call.id, client, where);
  }
  if (typeof p.callId === 'string') ownership.expectOwned('call', p.callId, client, where);
  if ((name === 'workspace.changed' || name === 'config.changed') && typeof p.workspace === 'string') {
    if (!ownership.ownsWorkspace(client, p.workspace))
      ownership.violation(`${where}: ${client} was given workspace ${p.workspace}`);
  }
}
