import { describe, expect, it } from 'vitest';
import { capOutput, needsCap, OUTPUT_HEAD, OUTPUT_TAIL } from './cap-output';

describe('capOutput', () => {
  it('keeps an output that fits whole, up to the last character', () => {
    const fits = 'a'.repeat(OUTPUT_HEAD + OUTPUT_TAIL);
    expect(capOutput(fits)).toBe(fits);
    expect(needsCap(fits)).toBe(false);
    expect(needsCap('')).toBe(false);
  });

  it('keeps the start and the end of a long output and says how much is left out', () => {
    const head = 'H'.repeat(OUTPUT_HEAD);
    const tail = 'T'.repeat(OUTPUT_TAIL);
    const long = `${head}${'x'.repeat(1_234_567)}${tail}`;
    expect(needsCap(long)).toBe(true);
    expect(capOutput(long)).toBe(`${head}\n[… 1,234,567 characters omitted …]\n${tail}`);
  });

  it('cuts an output one character over the limit, and names where the whole of it is kept', () => {
    const over = `${'H'.repeat(OUTPUT_HEAD)}!${'T'.repeat(OUTPUT_TAIL)}`;
    expect(needsCap(over)).toBe(true);
    expect(capOutput(over, '/data/artifacts/out.txt')).toBe(
      `${'H'.repeat(OUTPUT_HEAD)}\n[… 1 characters omitted; the full output is in /data/artifacts/out.txt …]\n${'T'.repeat(OUTPUT_TAIL)}`,
    );
  });
});
