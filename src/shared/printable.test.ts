import { describe, expect, it } from 'vitest';
import { printable } from './printable';

describe('printable', () => {
  it('shows terminal escapes, newlines, bidi overrides and invisible characters instead of obeying them', () => {
    expect(printable('\u001b[1A\u001b[2K\r  env NOTE=harmless')).toBe(
      '\\u{1b}[1A\\u{1b}[2K\\u{d}  env NOTE=harmless',
    );
    expect(printable('a\nb\u0085c')).toBe('a\\u{a}b\\u{85}c');
    expect(printable('evil\u202egpj.sh')).toBe('evil\\u{202e}gpj.sh');
    expect(printable('zero\u200bwidth\ufeff')).toBe('zero\\u{200b}width\\u{feff}');
  });

  it('with lines, keeps newlines and tabs: a reply or an output printed on a terminal', () => {
    expect(printable('a\tb\nc\r\u001b]0;pwned\u0007', { lines: true })).toBe(
      'a\tb\nc\\u{d}\\u{1b}]0;pwned\\u{7}',
    );
  });

  it('leaves ordinary text, accents and emoji alone', () => {
    expect(printable('/home/zoë/projet — ✓ 🚀 tab-free')).toBe('/home/zoë/projet — ✓ 🚀 tab-free');
  });
});
