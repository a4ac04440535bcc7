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

describe('conversation ids, in detail', () => {
  it('are the UTC day and three random bytes in hex', () => {
    const asked: number[] = [];
    const id = generateConversationId(new Date('2026-11-26T23:30:00-05:00'), (bytes) => {
      asked.push(bytes);
      return Buffer.from([0xab, 0x0c, 0xef]);
    });
    expect(id).toBe('2026-11-27-ab0cef');
    expect(asked).toEqual([3]);
  });

  it('say what an id may be, quoting at most 200 characters of a bad one, or its type', () => {
    const thrown = (value: unknown) => {
      try {
        assertConversationId(value);
      } catch (error) {
        return error;
      }
      return undefined;
    };
    expect(thrown('a/b')).toMatchObject({
      message: 'A conversation id is letters, digits, . _ - (at most 128).',
      data: { id: 'a/b' },
    });
    expect(thrown('/'.repeat(300))).toMatchObject({ data: { id: '/'.repeat(200) } });
    expect(thrown(42)).toMatchObject({ data: { id: 'number' } });
    expect(thrown('ok-id')).toBeUndefined();
    expect(isConversationId(42)).toBe(false);
  });
});
