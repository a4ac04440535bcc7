import { describe, expect, it } from 'vitest';
import { applyHunks, reindent } from './patch-apply';
import type { Hunk } from './patch-format';

const h = (original: string, updated: string | null): Hunk => ({
  original: original.split('\n'),
  updated: updated === null ? [] : updated.split('\n'),
});

function failure(content: string, hunks: Hunk[]): { name: string; message: string } {
  try {
    applyHunks(content, hunks);
  } catch (error) {
    return error as { name: string; message: string };
  }
  throw new Error('expected the patch to fail');
}

describe('applyHunks', () => {
  it('replaces an exact match', () => {
    expect(applyHunks('a\nb\nc\n', [h('b', 'B')])).toBe('a\nB\nc\n');
  });

  it('applies hunks in order, each to the result of the one before', () => {
    expect(applyHunks('one\ntwo\nthree\n', [h('one', '1'), h('1\ntwo', 'one-two')])).toBe('one-two\nthree\n');
  });

  it('deletes whole lines without leaving a blank line, and can leave one on purpose', () => {
    expect(applyHunks('a\nb\nc\n', [h('b', null)])).toBe('a\nc\n');
    expect(applyHunks('a\nb\nc\n', [h('b', '')])).toBe('a\n\nc\n');
  });

  it('tolerates trailing whitespace in the file or the patch', () => {
    expect(
      applyHunks('def f():  \n    return 1\t\n', [h('def f():\n    return 1', 'def f():\n    return 2')]),
    ).toBe('def f():\n    return 2\n');
  });

  it('matches a block written at another indentation and re-indents UPDATED to the file', () => {
    const file = 'class A:\n    def f(self):\n        if x:\n            return 1\n';
    const patch = h('if x:\n    return 1', 'if x:\n    log()\n    return 2');
    expect(applyHunks(file, [patch])).toBe(
      'class A:\n    def f(self):\n        if x:\n            log()\n            return 2\n',
    );
  });

  it('shifts over-indented UPDATED lines back to the file and keeps tabs', () => {
    expect(applyHunks('\tif (x) {\n\t\ty();\n\t}\n', [h('\t\t\tif (x) {', '\t\t\tif (x && z) {')])).toBe(
      '\tif (x && z) {\n\t\ty();\n\t}\n',
    );
  });

  it('keeps CRLF line endings', () => {
    expect(applyHunks('a\r\nb\r\nc\r\n', [h('b\nc', 'B\nC\nD')])).toBe('a\r\nB\r\nC\r\nD\r\n');
  });

  it('leaves other line breaks alone in a file that mixes them', () => {
    expect(applyHunks('a\r\nb\nc\r\n', [h('c', 'C')])).toBe('a\r\nb\nC\r\n');
  });

  it('names the hunk that is not found and shows its first line', () => {
    const error = failure('a\nb\n', [h('a', 'A'), h('missing line\nmore', 'x')]);
    expect(error.name).toBe('PatchNotFound');
    expect(error.message).toContain('Hunk 2');
    expect(error.message).toContain('missing line');
  });

  it('says where the first line is when only later lines differ', () => {
    const error = failure('x\nfoo()\nbar()\n', [h('foo()\nbaz()', 'qux()')]);
    expect(error.name).toBe('PatchNotFound');
    expect(error.message).toContain('line 2');
  });

  it('refuses an ORIGINAL that matches more than once, with the count and a hint', () => {
    const error = failure('x = 1\ny\nx = 1\n', [h('x = 1', 'x = 2')]);
    expect(error.name).toBe('PatchNotUnique');
    expect(error.message).toContain('2 times');
    expect(error.message).toContain('context');
  });

  it('refuses an ambiguous whitespace-tolerant match too', () => {
    const error = failure('  a\n  b\n\n    a\n    b\n', [h('a\nb', 'c')]);
    expect(error.name).toBe('PatchNotUnique');
  });

  it('refuses a hunk whose ORIGINAL equals its UPDATED', () => {
    const error = failure('a\nb\n', [h('a', 'A'), h('b', 'b')]);
    expect(error.name).toBe('PatchNoChange');
    expect(error.message).toContain('Hunk 2');
  });
});

describe('reindent', () => {
  it('adds or removes the difference, keeping relative depth and blank lines', () => {
    expect(reindent(['a', '  b', ''], '', '    ')).toEqual(['    a', '      b', '']);
    expect(reindent(['    a', '      b', '  c'], '    ', '  ')).toEqual(['  a', '    b', 'c']);
  });

  it('swaps the prefix when the indent character changes', () => {
    expect(reindent(['    a', '        b'], '    ', '\t')).toEqual(['\ta', '\t    b']);
  });
});
