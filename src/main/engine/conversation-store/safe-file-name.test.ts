import { describe, expect, it } from 'vitest';
import { numberedFileName, safeFileName } from './safe-file-name';

describe('safeFileName', () => {
  it('keeps ordinary names', () => {
    expect(safeFileName('shell-output_1.txt')).toBe('shell-output_1.txt');
  });

  it.each([
    ['../../etc/passwd', 'etc_passwd'],
    ['a/b\\c', 'a_b_c'],
    ['..', 'artifact'],
    ['.env', 'env'],
    ['', 'artifact'],
    ['con:out?*.txt', 'con_out_.txt'],
    ['trailing...', 'trailing'],
    ['CON.txt', '_CON.txt'],
    ['a b.txt', 'a_b.txt'],
  ])('turns %j into %j', (input, expected) => {
    expect(safeFileName(input)).toBe(expected);
  });

  it('bounds the length and keeps the extension', () => {
    const name = safeFileName(`${'a'.repeat(300)}.log`);
    expect(name.length).toBe(120);
    expect(name.endsWith('.log')).toBe(true);
  });
});

describe('numberedFileName', () => {
  it('numbers before the extension', () => {
    expect([0, 1, 2].map((n) => numberedFileName('out.txt', n))).toEqual([
      'out.txt',
      'out-1.txt',
      'out-2.txt',
    ]);
    expect(numberedFileName('log', 3)).toBe('log-3');
  });
});

describe('safeFileName, edge cases', () => {
  it.each([
    // Composed first: an accented letter is one character to replace, not a letter and a mark.
    ['cafe\u0301.txt', 'caf_.txt'],
    ['-rf', 'rf'],
    ['__init__.py', 'init__.py'],
    ['name..', 'name'],
    ['nul', '_nul'],
    ['com1.txt', '_com1.txt'],
    ['LPT9', '_LPT9'],
    ['aux.tar.gz', '_aux.tar.gz'],
    ['console.txt', 'console.txt'],
    ['falcon.txt', 'falcon.txt'],
    ['my-aux', 'my-aux'],
    ['prn-notes', 'prn-notes'],
  ])('turns %j into %j', (input, expected) => {
    expect(safeFileName(input)).toBe(expected);
  });

  it('falls back to the name given when nothing is left', () => {
    expect(safeFileName('...', 'output')).toBe('output');
  });

  it('keeps a name of exactly 120 characters, and cuts one longer', () => {
    expect(safeFileName('a'.repeat(120))).toBe('a'.repeat(120));
    expect(safeFileName('a'.repeat(121))).toBe('a'.repeat(120));
  });

  it('keeps an extension of up to 16 characters, dot included, and no longer one', () => {
    const ext = `.${'e'.repeat(15)}`;
    expect(safeFileName(`${'a'.repeat(200)}${ext}`)).toBe(`${'a'.repeat(104)}${ext}`);
    const tooLong = `.${'e'.repeat(16)}`;
    expect(safeFileName(`${'a'.repeat(200)}${tooLong}`)).toBe('a'.repeat(120));
  });
});

describe('numberedFileName, edge cases', () => {
  it('numbers before the last extension only, and after a name that starts with its only dot', () => {
    expect(numberedFileName('archive.tar.gz', 1)).toBe('archive.tar-1.gz');
    expect(numberedFileName('.bashrc', 2)).toBe('.bashrc-2');
  });
});
