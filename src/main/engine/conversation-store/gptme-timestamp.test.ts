import { describe, expect, it } from 'vitest';
import { parseGptmeTimestamp } from './gptme-timestamp';

describe("a gptme timestamp, read as dateutil's isoparse reads it", () => {
  it('with a zone: Z, an offset with or without a colon, or hours only', () => {
    expect(parseGptmeTimestamp('2026-03-02T10:01:00Z')).toBe('2026-03-02T10:01:00.000Z');
    expect(parseGptmeTimestamp('2026-03-02T10:01:00+01:00')).toBe('2026-03-02T09:01:00.000Z');
    expect(parseGptmeTimestamp('2026-03-02T10:01:00-0230')).toBe('2026-03-02T12:31:00.000Z');
    expect(parseGptmeTimestamp('2026-03-02T10:01:00+05')).toBe('2026-03-02T05:01:00.000Z');
    expect(parseGptmeTimestamp('2026-03-02T23:30:00.5-01:00')).toBe('2026-03-03T00:30:00.500Z');
  });

  it('without a zone it is local time, as gptme wrote it; microseconds are cut to milliseconds', () => {
    expect(parseGptmeTimestamp('2026-03-02T10:01:00.123456')).toBe(
      new Date(2026, 2, 2, 10, 1, 0, 123).toISOString(),
    );
    expect(parseGptmeTimestamp('2026-03-02 10:01')).toBe(new Date(2026, 2, 2, 10, 1).toISOString());
    expect(parseGptmeTimestamp('2026-03-02')).toBe(new Date(2026, 2, 2).toISOString());
  });

  it('refuses what is not a date, or a day, hour or offset that does not exist', () => {
    for (const bad of [
      '',
      'yesterday',
      '2026-3-2',
      '2026-02-29T00:00:00',
      '2026-13-01',
      '2026-04-31',
      '2026-03-02T24:00:00',
      '2026-03-02T10:60:00',
      '2026-03-02T10:00:60',
      '2026-03-02T10:00:00+24:00',
      '2026-03-02T10:00:00+01:60',
      '2026-03-02T10:00:00 UTC',
      ' 2026-03-02',
    ])
      expect(parseGptmeTimestamp(bad), bad).toBeUndefined();
    expect(parseGptmeTimestamp('2028-02-29T00:00:00Z')).toBe('2028-02-29T00:00:00.000Z');
  });
});

describe('the bounds of a gptme timestamp', () => {
  it('takes the first and last of each field, and refuses a zero month or day', () => {
    expect(parseGptmeTimestamp('2026-01-01T00:00:00Z')).toBe('2026-01-01T00:00:00.000Z');
    expect(parseGptmeTimestamp('2026-12-31T23:59:59+23:59')).toBe('2026-12-31T00:00:59.000Z');
    expect(parseGptmeTimestamp('2026-00-10')).toBeUndefined();
    expect(parseGptmeTimestamp('2026-03-00')).toBeUndefined();
  });
});
