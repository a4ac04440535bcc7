import path from 'node:path';
import { assertConversationId } from './conversation-id';

export interface ConversationPaths {
  dir: string;
  log: string;
  meta: string;
  artifacts: string;
}

/** `<root>/<id>/...`. Throws InvalidRequest before building anything from a malformed id. */
export function conversationPaths(root: string, id: string): ConversationPaths {
  assertConversationId(id);
  const dir = path.join(root, id);
  return {
    dir,
    log: path.join(dir, 'conversation.jsonl'),
    meta: path.join(dir, 'chat.json'),
    artifacts: path.join(dir, 'artifacts'),
  };
}
