import { describe, expect, it } from 'vitest';
import { parsePatch } from './patch-format';

const hunk = (original: string, updated: string) =>
  `<<<<<<< ORIGINAL\n${original}\n=======\n${updated}\n>>>>>>> UPDATED`;

function malformedMessage(patch: string): string {
  try {
    parsePatch(patch);
  } catch (error) {
    expect(error).toMatchObject({ name: 'PatchMalformed' });
    return (error as Error).message;
  }
  throw new Error('expected PatchMalformed');
}

describe('parsePatch', () => {
  it('reads one hunk into its ORIGINAL and UPDATED lines', () => {
    expect(parsePatch(hunk('a\nb', 'c'))).toEqual([{ original: ['a', 'b'], updated: ['c'] }]);
  });

  it('reads several hunks and ignores text between them, such as code fences', () => {
    const patch = ['```patch', hunk('one', '1'), '', 'and then:', hunk('two', '2'), '```', ''].join('\n');
    expect(parsePatch(patch)).toEqual([
      { original: ['one'], updated: ['1'] },
      { original: ['two'], updated: ['2'] },
    ]);
  });

  it('keeps blank and indented lines, and tells an empty UPDATED from one blank line', () => {
    expect(parsePatch(hunk('  x\n\n  y', ''))).toEqual([{ original: ['  x', '', '  y'], updated: [''] }]);
    expect(parsePatch('<<<<<<< ORIGINAL\ngone\n=======\n>>>>>>> UPDATED')).toEqual([
      { original: ['gone'], updated: [] },
    ]);
  });

  it('accepts a patch written with CRLF and markers with trailing spaces', () => {
    expect(parsePatch('<<<<<<< ORIGINAL  \r\na\r\n=======\r\nb\r\n>>>>>>> UPDATED \r\n')).toEqual([
      { original: ['a'], updated: ['b'] },
    ]);
  });

  it('refuses a hunk without =======, saying what was expected', () => {
    const message = malformedMessage('<<<<<<< ORIGINAL\na\n>>>>>>> UPDATED');
    expect(message).toContain('=======');
    expect(message).toContain('Hunk 1');
  });

  it('refuses a hunk without >>>>>>> UPDATED', () => {
    expect(malformedMessage('<<<<<<< ORIGINAL\na\n=======\nb\n')).toContain('>>>>>>> UPDATED');
    expect(malformedMessage(`<<<<<<< ORIGINAL\na\n=======\nb\n${hunk('c', 'd')}`)).toContain(
      'expected >>>>>>> UPDATED',
    );
  });

  it('refuses markers in the wrong order', () => {
    expect(malformedMessage('=======\na\n<<<<<<< ORIGINAL\nb\n>>>>>>> UPDATED')).toContain('before any');
    expect(malformedMessage('>>>>>>> UPDATED\na\n=======\nb')).toContain('before any');
    expect(malformedMessage(`${hunk('a', 'b')}\n=======`)).toContain('before any');
  });

  it('refuses an empty ORIGINAL and points to save', () => {
    const message = malformedMessage('<<<<<<< ORIGINAL\n=======\nnew\n>>>>>>> UPDATED');
    expect(message).toContain('empty ORIGINAL');
    expect(message).toContain('save');
  });

  it('refuses a patch with no hunks, showing the expected shape', () => {
    const message = malformedMessage('just replace foo with bar please');
    expect(message).toContain('No hunk');
    expect(message).toContain('<<<<<<< ORIGINAL');
    expect(malformedMessage('')).toContain('No hunk');
  });

  it('names the hunk that is broken', () => {
    expect(malformedMessage(`${hunk('a', 'b')}\n<<<<<<< ORIGINAL\nc\n>>>>>>> UPDATED`)).toContain('Hunk 2');
  });
});
