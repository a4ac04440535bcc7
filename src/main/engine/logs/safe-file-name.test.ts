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
