import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { conversationPaths } from './conversation-paths';

describe('where a conversation lives', () => {
  it('is its own folder under the root, with its log, chat.json and artifacts inside', () => {
    expect(conversationPaths('/data/conversations', '2026-11-26-a1b2c3')).toEqual({
      dir: path.join('/data/conversations', '2026-11-26-a1b2c3'),
      log: path.join('/data/conversations', '2026-11-26-a1b2c3', 'conversation.jsonl'),
      meta: path.join('/data/conversations', '2026-11-26-a1b2c3', 'chat.json'),
      artifacts: path.join('/data/conversations', '2026-11-26-a1b2c3', 'artifacts'),
    });
  });

  it('refuses an id that would name another folder before building any path', () => {
    for (const id of ['..', '../x', 'a/b', '.hidden', '', 'a\0b']) {
      expect(() => conversationPaths('/data/conversations', id), JSON.stringify(id)).toThrow(
        expect.objectContaining({ name: 'InvalidRequest' }),
      );
    }
  });
});
