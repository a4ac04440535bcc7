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

  it('shows every kind of hidden character, from the first of each range to the last, and nothing beside them', () => {
    const hidden = [
      0x00, 0x1f, 0x7f, 0x9f, 0xad, 0x61c, 0x200b, 0x200f, 0x202a, 0x202e, 0x2060, 0x2069, 0xfeff,
    ];
    for (const code of hidden) {
      expect(printable(`a${String.fromCodePoint(code)}b`), code.toString(16)).toBe(
        `a\\u{${code.toString(16)}}b`,
      );
    }
    const shown = [
      0x20, 0x7e, 0xa0, 0xac, 0xae, 0x61b, 0x61d, 0x200a, 0x2010, 0x2029, 0x202f, 0x205f, 0x206a, 0xfefe,
    ];
    for (const code of shown) {
      const text = `a${String.fromCodePoint(code)}b`;
      expect(printable(text), code.toString(16)).toBe(text);
    }
    expect(printable('\u0000\u0000')).toBe('\\u{0}\\u{0}');
  });

  it('with lines, still shows every other control character', () => {
    expect(printable('a\u000bb\u000cc\u0000', { lines: true })).toBe('a\\u{b}b\\u{c}c\\u{0}');
    expect(printable('a\tb', { lines: false })).toBe('a\\u{9}b');
  });
});
