import { describe, expect, it } from 'vitest';
import { dateGroupOf, groupByDate } from './date-groups';

// Local times throughout: the groups follow the user's own calendar days.
const at = (day: number, hour: number, minute = 0) => new Date(2026, 10, day, hour, minute).toISOString();
const now = new Date(2026, 10, 26, 0, 10); // 26 November, ten past midnight

describe('dateGroupOf', () => {
  it('splits by calendar day, not by 24-hour spans', () => {
    expect(dateGroupOf(at(26, 0, 0), now)).toBe('Today');
    expect(dateGroupOf(at(25, 23, 50), now)).toBe('Yesterday');
    expect(dateGroupOf(at(25, 0, 0), now)).toBe('Yesterday');
    expect(dateGroupOf(at(24, 23, 59), now)).toBe('Last 7 days');
    expect(dateGroupOf(at(19, 0, 0), now)).toBe('Last 7 days');
    expect(dateGroupOf(at(18, 23, 59), now)).toBe('Older');
    expect(dateGroupOf(at(1, 12), now)).toBe('Older');
  });

  it('counts a future time as today and an unreadable one as older', () => {
    expect(dateGroupOf(at(27, 9), now)).toBe('Today');
    expect(dateGroupOf('not a date', now)).toBe('Older');
  });

  it('keeps days whole across a daylight-saving change (25 hours long in Europe, 2026-10-25)', () => {
    const after = new Date(2026, 9, 26, 0, 10);
    expect(dateGroupOf(new Date(2026, 9, 25, 0, 30).toISOString(), after)).toBe('Yesterday');
    expect(dateGroupOf(new Date(2026, 9, 24, 23, 30).toISOString(), after)).toBe('Last 7 days');
  });

  it('crosses a month boundary', () => {
    const first = new Date(2026, 11, 1, 9, 0); // 1 December
    expect(dateGroupOf(at(30, 22), first)).toBe('Yesterday');
    expect(dateGroupOf(at(24, 8), first)).toBe('Last 7 days');
    expect(dateGroupOf(at(23, 8), first)).toBe('Older');
  });
});

describe('groupByDate', () => {
  it('keeps the given order inside each group, the groups in calendar order, and leaves empty ones out', () => {
    const items = [
      { id: 'a', updatedAt: at(26, 0, 5) },
      { id: 'b', updatedAt: at(20, 10) },
      { id: 'c', updatedAt: at(25, 9) },
      { id: 'd', updatedAt: at(26, 0, 1) },
      { id: 'e', updatedAt: at(2, 10) },
    ];
    expect(groupByDate(items, now).map((g) => [g.label, g.items.map((i) => i.id)])).toEqual([
      ['Today', ['a', 'd']],
      ['Yesterday', ['c']],
      ['Last 7 days', ['b']],
      ['Older', ['e']],
    ]);
    expect(groupByDate([{ updatedAt: at(25, 9) }], now).map((g) => g.label)).toEqual(['Yesterday']);
    expect(groupByDate([], now)).toEqual([]);
  });
});
