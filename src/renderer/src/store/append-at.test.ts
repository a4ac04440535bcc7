import { describe, expect, it } from 'vitest';
import { appendAt } from './append-at';

describe('appendAt', () => {
  it('appends text that starts where the current text ends', () => {
    expect(appendAt('Hello', ', world', 5)).toBe('Hello, world');
  });
  it('skips text the current text already holds, whole or in part', () => {
    expect(appendAt('Hello, world', 'Hello', 0)).toBe('Hello, world');
    expect(appendAt('Hello, wo', ', world', 5)).toBe('Hello, world');
  });
  it('appends when there is no offset, or a gap (nothing to skip)', () => {
    expect(appendAt('a', 'b', undefined)).toBe('ab');
    expect(appendAt('a', 'c', 2)).toBe('ac');
  });
});
