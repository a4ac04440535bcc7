import { describe, expect, it } from 'vitest';
import { PATCH_SHAPE, parsePatch, readPatch } from './patch-format';

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
    // The shape shown in every message names all three markers: check the sentence, not a marker.
    const message = malformedMessage('<<<<<<< ORIGINAL\na\n>>>>>>> UPDATED');
    expect(message).toContain('Hunk 1: found >>>>>>> UPDATED at line 3 of the patch; expected ======= first');
  });

  it('refuses a hunk without >>>>>>> UPDATED', () => {
    expect(malformedMessage('<<<<<<< ORIGINAL\na\n=======\nb\n')).toMatch(
      /^Hunk 1 ends without >>>>>>> UPDATED\./,
    );
    expect(malformedMessage(`<<<<<<< ORIGINAL\na\n=======\nb\n${hunk('c', 'd')}`)).toContain(
      'Hunk 1: found <<<<<<< ORIGINAL at line 5 of the patch; expected >>>>>>> UPDATED',
    );
  });

  it('refuses a patch cut off after any marker, even when earlier hunks are whole', () => {
    // A model reply that stops mid-patch: applying the whole hunks before it would leave the file
    // half changed while the model believes the edit failed, or the reverse.
    const whole = hunk('a', 'b');
    expect(malformedMessage(`${whole}\n<<<<<<< ORIGINAL\nc\n=======\nd`)).toMatch(
      /^Hunk 2 ends without >>>>>>> UPDATED\./,
    );
    expect(malformedMessage(`${whole}\n<<<<<<< ORIGINAL\nc`)).toMatch(
      /^Hunk 2 ends without ======= and >>>>>>> UPDATED\./,
    );
    expect(malformedMessage(`${whole}\n<<<<<<< ORIGINAL`)).toMatch(/^Hunk 2 ends without =======/);
  });

  it('refuses a second ======= inside UPDATED rather than writing it into the file', () => {
    expect(malformedMessage('<<<<<<< ORIGINAL\na\n=======\nb\n=======\nc\n>>>>>>> UPDATED')).toContain(
      'Hunk 1: found a second ======= at line 5 of the patch; expected >>>>>>> UPDATED',
    );
    expect(malformedMessage('<<<<<<< ORIGINAL\na\n<<<<<<< ORIGINAL\n=======\nb\n>>>>>>> UPDATED')).toContain(
      'Hunk 1: found a second <<<<<<< ORIGINAL at line 3 of the patch; expected =======',
    );
  });

  it('refuses markers in the wrong order', () => {
    expect(malformedMessage('=======\na\n<<<<<<< ORIGINAL\nb\n>>>>>>> UPDATED')).toContain(
      'Found ======= at line 1 of the patch before any <<<<<<< ORIGINAL',
    );
    expect(malformedMessage('>>>>>>> UPDATED\na\n=======\nb')).toContain(
      'Found >>>>>>> UPDATED at line 1 of the patch before any <<<<<<< ORIGINAL',
    );
    expect(malformedMessage(`${hunk('a', 'b')}\n=======`)).toContain(
      'Found ======= at line 6 of the patch before any',
    );
  });

  it('refuses an empty ORIGINAL and points to save', () => {
    const message = malformedMessage('<<<<<<< ORIGINAL\n=======\nnew\n>>>>>>> UPDATED');
    expect(message).toContain('Hunk 1 has an empty ORIGINAL');
    expect(message).toContain('use save to create or replace a whole file');
  });

  it('refuses a patch with no hunks, showing the expected shape', () => {
    const message = malformedMessage('just replace foo with bar please');
    expect(message).toBe(
      'No hunk found in the patch. Each hunk must look like:\n' +
        '<<<<<<< ORIGINAL\n(lines to find)\n=======\n(lines to put instead)\n>>>>>>> UPDATED',
    );
    expect(PATCH_SHAPE).toBe(message.slice(message.indexOf('<<<<<<<')));
    expect(malformedMessage('')).toMatch(/^No hunk found in the patch\./);
  });

  it('names the hunk that is broken', () => {
    expect(malformedMessage(`${hunk('a', 'b')}\n<<<<<<< ORIGINAL\nc\n>>>>>>> UPDATED`)).toContain(
      'Hunk 2: found >>>>>>> UPDATED at line 8',
    );
  });
});

describe('readPatch', () => {
  it('gives the hunks of a whole patch, and the reason alone for a broken one, for the diff view', () => {
    expect(readPatch(hunk('a', 'b'))).toEqual({ hunks: [{ original: ['a'], updated: ['b'] }] });
    expect(readPatch(`${hunk('a', 'b')}\n<<<<<<< ORIGINAL\nc`)).toEqual({
      problem: 'Hunk 2 ends without ======= and >>>>>>> UPDATED',
    });
    expect(readPatch('')).toEqual({ problem: 'No hunk found in the patch' });
  });
});
