import { describe, expect, it } from 'vitest';
import { isNamedError } from '../../../shared/errors';
import { assertConversationId, generateConversationId, isConversationId } from './conversation-id';

describe('conversation ids', () => {
  it('generates readable ids that are valid ids', () => {
    const id = generateConversationId(new Date('2026-11-26T10:00:00Z'));
    expect(id).toMatch(/^2026-11-26-[0-9a-f]{6}$/);
    expect(isConversationId(id)).toBe(true);
  });

  it('differs between two ids made the same day', () => {
    const now = new Date('2026-11-26T10:00:00Z');
    const ids = new Set(Array.from({ length: 50 }, () => generateConversationId(now)));
    expect(ids.size).toBeGreaterThan(45);
  });

  it.each(['', '.', '..', '../x', 'a/b', 'a\\b', '.hidden', 'x'.repeat(129), 'a b', 'é'])(
    'refuses %j as InvalidRequest',
    (bad) => {
      expect(isConversationId(bad)).toBe(false);
      let thrown: unknown;
      try {
        assertConversationId(bad);
      } catch (error) {
        thrown = error;
      }
      expect(isNamedError(thrown, 'InvalidRequest')).toBe(true);
    },
  );

  it('accepts ids the contract accepts', () => {
    for (const good of ['a', '2026-11-26-a1b2c3', 'A.b_c-1', 'x'.repeat(128)]) {
      expect(isConversationId(good)).toBe(true);
    }
  });
});
