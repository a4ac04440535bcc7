import { describe, expect, it } from 'vitest';
import { underMutationTesting } from '../../../../test/support/mutation-run';
import { applyHunks, reindent } from './patch-apply';
import type { Hunk } from '../../../shared/patch-format';

const h = (original: string, updated: string | null): Hunk => ({
  original: original.split('\n'),
  updated: updated === null ? [] : updated.split('\n'),
});

/** A seeded generator (Park-Miller), so a failing case is the same on every run. */
function seeded(seed: number): (below: number) => number {
  let state = seed;
  return (below) => {
    state = (state * 48_271) % 2_147_483_647;
    return state % below;
  };
}

/** How a one-hunk patch ended: the new text, or the error's name and the message up to its hint. */
async function outcome(content: string, hunk: Hunk): Promise<string> {
  try {
    return `applied ${JSON.stringify(await applyHunks(content, [hunk]))}`;
  } catch (error) {
    const { name, message } = error as { name: string; message: string };
    return name === 'PatchNotUnique' ? `${name} ${message.split(';')[0]}` : name;
  }
}

/** What a one-hunk patch must do, given every place (0-based) and line (1-based) ORIGINAL is at. */
function expectedOutcome(
  places: readonly number[],
  lineNumbers: readonly number[],
  replaced: string,
): string {
  if (places.length === 0) return 'PatchNotFound';
  if (places.length === 1) return `applied ${JSON.stringify(replaced)}`;
  const where =
    places.length > 5
      ? `more than 5 times (first at lines ${lineNumbers.slice(0, 5).join(', ')})`
      : `${places.length} times (at lines ${lineNumbers.join(', ')})`;
  return `PatchNotUnique Hunk 1: ORIGINAL matches ${where}`;
}

async function failure(content: string, hunks: Hunk[]): Promise<{ name: string; message: string }> {
  try {
    await applyHunks(content, hunks);
  } catch (error) {
    return error as { name: string; message: string };
  }
  throw new Error('expected the patch to fail');
}

describe('applyHunks', () => {
  it('replaces an exact match', async () => {
    expect(await applyHunks('a\nb\nc\n', [h('b', 'B')])).toBe('a\nB\nc\n');
  });

  it('applies hunks in order, each to the result of the one before', async () => {
    expect(await applyHunks('one\ntwo\nthree\n', [h('one', '1'), h('1\ntwo', 'one-two')])).toBe(
      'one-two\nthree\n',
    );
  });

  it('deletes whole lines without leaving a blank line, and can leave one on purpose', async () => {
    expect(await applyHunks('a\nb\nc\n', [h('b', null)])).toBe('a\nc\n');
    expect(await applyHunks('a\nb\nc\n', [h('b', '')])).toBe('a\n\nc\n');
  });

  it('tolerates trailing whitespace in the file or the patch', async () => {
    expect(
      await applyHunks('def f():  \n    return 1\t\n', [
        h('def f():\n    return 1', 'def f():\n    return 2'),
      ]),
    ).toBe('def f():\n    return 2\n');
  });

  it('matches a block written at another indentation and re-indents UPDATED to the file', async () => {
    const file = 'class A:\n    def f(self):\n        if x:\n            return 1\n';
    const patch = h('if x:\n    return 1', 'if x:\n    log()\n    return 2');
    expect(await applyHunks(file, [patch])).toBe(
      'class A:\n    def f(self):\n        if x:\n            log()\n            return 2\n',
    );
  });

  it('shifts over-indented UPDATED lines back to the file and keeps tabs', async () => {
    expect(
      await applyHunks('\tif (x) {\n\t\ty();\n\t}\n', [h('\t\t\tif (x) {', '\t\t\tif (x && z) {')]),
    ).toBe('\tif (x && z) {\n\t\ty();\n\t}\n');
  });

  it('keeps CRLF line endings', async () => {
    expect(await applyHunks('a\r\nb\r\nc\r\n', [h('b\nc', 'B\nC\nD')])).toBe('a\r\nB\r\nC\r\nD\r\n');
  });

  it('leaves other line breaks alone in a file that mixes them', async () => {
    expect(await applyHunks('a\r\nb\nc\r\n', [h('c', 'C')])).toBe('a\r\nb\nC\r\n');
  });

  it('names the hunk that is not found and shows its first line', async () => {
    const error = await failure('a\nb\n', [h('a', 'A'), h('missing line\nmore', 'x')]);
    expect(error.name).toBe('PatchNotFound');
    expect(error.message).toContain('Hunk 2');
    expect(error.message).toContain('missing line');
  });

  it('says where the first line is when only later lines differ', async () => {
    const error = await failure('x\nfoo()\nbar()\n', [h('foo()\nbaz()', 'qux()')]);
    expect(error.name).toBe('PatchNotFound');
    expect(error.message).toContain('line 2');
  });

  it('refuses an ORIGINAL that matches more than once, with the count and a hint', async () => {
    const error = await failure('x = 1\ny\nx = 1\n', [h('x = 1', 'x = 2')]);
    expect(error.name).toBe('PatchNotUnique');
    expect(error.message).toContain('2 times');
    expect(error.message).toContain('context');
  });

  it('counts overlapping matches as several', async () => {
    const error = await failure('aaa\n', [h('aa', 'b')]);
    expect(error.name).toBe('PatchNotUnique');
    expect(error.message).toContain('2 times (at lines 1, 1)');
  });

  it('finds a match that begins inside a longer near-miss', async () => {
    // After "aabaa" the next character differs: the match starts at the third "a", not after it.
    expect(await applyHunks('x = aabaabaac\n', [h('aabaac', 'z')])).toBe('x = aabz\n');
    expect(await applyHunks('a\na\nb\nc\n', [h('a \nb ', 'B')])).toBe('a\nB\nc\n');
  });

  it('names the first few places when ORIGINAL matches all over a large file, and answers at once', async () => {
    const file = Array.from({ length: 200_000 }, (_, index) => `item ${index},`).join('\n');
    const started = performance.now();
    const error = await failure(file, [h(',', ';')]);
    // A hang guard, not a speed check: listing all 200,000 places, each one's line counted from
    // the top of the file, held the main thread (and Stop, and every window) for minutes.
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(error.name).toBe('PatchNotUnique');
    expect(error.message).toContain('matches more than 5 times (first at lines 1, 2, 3, 4, 5)');
    expect(error.message).toContain('context');
  });

  it('searches a large file whitespace-tolerantly without trying the whole hunk at every line', async () => {
    // Every line of the file is a line of the hunk, but its last line is nowhere. A quarter of
    // the size under mutation testing (instrumented, ten to twenty times slower), where trying
    // the hunk at every line still takes seconds.
    const [fileLines, hunkLines] = underMutationTesting() ? [12_500, 2_500] : [50_000, 10_000];
    const file = 'x\n'.repeat(fileLines);
    const hunk = h(`${'x \n'.repeat(hunkLines)}y`, 'z');
    const started = performance.now();
    const error = await failure(file, [hunk]);
    // A hang guard: 40,000 starts times 10,000 lines took tens of seconds.
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(error.name).toBe('PatchNotFound');
  });

  it('searches a long line for a needle that almost matches everywhere without stalling', async () => {
    // a^k b a^k in a^n: V8's own indexOf takes about n x k / 250 steps here, close to a minute.
    // Smaller under mutation testing, where instrumented code on a loaded machine is ten to twenty
    // times slower, but still some ten seconds for indexOf, which is not instrumented: a search
    // that hands the whole needle to it fails the bound there too.
    const [fileLength, half] = underMutationTesting() ? [300_000, 60_000] : [4_000_000, 20_000];
    const file = 'a'.repeat(fileLength);
    const needle = `${'a'.repeat(half)}b${'a'.repeat(half)}`;
    const started = performance.now();
    const error = await failure(file, [h(needle, 'c')]);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(error.name).toBe('PatchNotFound');
  });

  it('refuses an ORIGINAL of one blank line, which would match everywhere', async () => {
    const error = await failure('a\n\nb\n', [h('', 'x')]);
    expect(error.name).toBe('PatchMalformed');
    expect(error.message).toContain('Hunk 1');
    expect(error.message).toContain('blank line');
  });

  it('puts a very long UPDATED in place of a whitespace-tolerant match', async () => {
    const updated = Array.from({ length: 300_000 }, (_, index) => `    line ${index}`).join('\n');
    const after = await applyHunks('keep\n  old\nkeep\n', [h('    old', updated)]);
    expect(after.split('\n')).toHaveLength(300_003);
    expect(after.startsWith('keep\n  line 0\n  line 1\n')).toBe(true);
    expect(after.endsWith('  line 299999\nkeep\n')).toBe(true);
  });

  it('stops between hunks once the signal is aborted, naming its reason', async () => {
    const controller = new AbortController();
    const hunks = [h('a', 'A'), h('b', 'B')];
    const applying = applyHunks('a\nb\n', hunks, { signal: controller.signal });
    controller.abort(new Error('stopped by the user'));
    await expect(applying).rejects.toThrow('stopped by the user');
  });

  it('lets Stop in after every hunk, not only the first', async () => {
    const controller = new AbortController();
    const applying = applyHunks('a\nb\nc\n', [h('a', 'A'), h('b', 'B'), h('c', 'C')], {
      signal: controller.signal,
    });
    // Runs once the first hunk has given way: the second has not started yet.
    setImmediate(() => controller.abort(new Error('stopped by the user')));
    await expect(applying).rejects.toThrow('stopped by the user');
  });

  it('refuses an ambiguous whitespace-tolerant match too, naming the lines', async () => {
    const error = await failure('  a\n  b\n\n    a\n    b\n', [h('a\nb', 'c')]);
    expect(error.name).toBe('PatchNotUnique');
    expect(error.message).toContain('2 times (at lines 1, 4)');
  });

  it('refuses a hunk whose ORIGINAL equals its UPDATED', async () => {
    const error = await failure('a\nb\n', [h('a', 'A'), h('b', 'b')]);
    expect(error.name).toBe('PatchNoChange');
    expect(error.message).toContain('Hunk 2');
  });
});

describe('applyHunks, at the edges', () => {
  it('deletes a whole first or last line with its break, and only part of a line without it', async () => {
    expect(await applyHunks('a\nb\n', [h('a', null)])).toBe('b\n');
    expect(await applyHunks('a\nb', [h('b', null)])).toBe('a\n');
    expect(await applyHunks('xb\nc\n', [h('b', null)])).toBe('x\nc\n');
    expect(await applyHunks('a\nbc\n', [h('b', null)])).toBe('a\nc\n');
  });

  it('keeps a file without any line break free of CR when UPDATED adds lines', async () => {
    expect(await applyHunks('a', [h('a', 'x\ny')])).toBe('x\ny');
  });

  it('counts lines from the blank line an ORIGINAL starts with', async () => {
    const error = await failure('a\n\nx\nb\n\nx\n', [h('\nx', 'y')]);
    expect(error.message).toBe(
      'Hunk 1: ORIGINAL matches 2 times (at lines 2, 5); add lines of surrounding context to ORIGINAL (and UPDATED) so it matches exactly one place',
    );
  });

  it('gives the count as data: exact up to five places, "more than five" past them', async () => {
    await expect(applyHunks('x\n'.repeat(5), [h('x', 'y')])).rejects.toMatchObject({
      name: 'PatchNotUnique',
      message: expect.stringContaining('matches 5 times (at lines 1, 2, 3, 4, 5)'),
      data: { hunk: 1, matches: 5 },
    });
    await expect(applyHunks('x\n'.repeat(6), [h('x', 'y')])).rejects.toMatchObject({
      message: expect.stringContaining('matches more than 5 times (first at lines 1, 2, 3, 4, 5)'),
      data: { hunk: 1, matchesMoreThan: 5 },
    });
    await expect(applyHunks('  x\n'.repeat(6), [h('x ', 'y')])).rejects.toMatchObject({
      data: { hunk: 1, matchesMoreThan: 5 },
    });
  });

  it('says whether the first line of a missing ORIGINAL is anywhere in the file', async () => {
    await expect(applyHunks('a\n', [h('\n  nowhere\nelse', 'x')])).rejects.toMatchObject({
      name: 'PatchNotFound',
      message:
        'Hunk 1: ORIGINAL not found in the file. Its first line: "  nowhere". ' +
        'That line is not in the file either; read the file and copy the lines exactly.',
      data: { hunk: 1 },
    });
    await expect(applyHunks('x\n  foo()\nbar()\n', [h('foo()\nbaz()', 'y')])).rejects.toMatchObject({
      message:
        'Hunk 1: ORIGINAL not found in the file. Its first line: "foo()". ' +
        'That line is at line 2, but the lines after it differ; read the file there and copy ORIGINAL exactly.',
    });
    // Found at another indentation too: the file's line is indented less than ORIGINAL's.
    await expect(applyHunks('x\nfoo()\nbar()\n', [h('    foo()\nbaz()', 'y')])).rejects.toMatchObject({
      message: expect.stringContaining('Its first line: "    foo()". That line is at line 2,'),
    });
  });

  it('names the hunks that change nothing or match everywhere, with data', async () => {
    await expect(applyHunks('a\n', [h('a', 'a')])).rejects.toMatchObject({
      message: 'Hunk 1: ORIGINAL and UPDATED are identical, so it changes nothing',
      data: { hunk: 1 },
    });
    await expect(applyHunks('a\n\nb\n', [h('', 'x')])).rejects.toMatchObject({
      message:
        'Hunk 1: ORIGINAL is a single blank line, which matches everywhere; copy the lines around the place to change into ORIGINAL',
      data: { hunk: 1 },
    });
  });

  it('re-indents by the first line that is not blank, leaving blank lines alone', async () => {
    const file = 'def f():\n\n    if x:\n\n        go()\n';
    expect(await applyHunks(file, [h('\nif x:\n\n    go()', '\nif x:\n\n    stop()')])).toBe(
      'def f():\n\n    if x:\n\n        stop()\n',
    );
  });

  it('takes a whitespace-tolerant match as it is when only trailing spaces differ, keeping UPDATED as written', async () => {
    expect(await applyHunks('  a  \n  b\n', [h('  a\n  b', '    a\n  b')])).toBe('    a\n  b\n');
  });

  it('finds an exact match longer than its anchor after a false start', async () => {
    expect(await applyHunks('abcdefX abcdefgh\n', [h('abcdefgh', 'z')])).toBe('abcdefX z\n');
    expect(await applyHunks('abcabcabd\n', [h('abcabd', 'z')])).toBe('abcz\n');
  });
});

describe('applyHunks finds exactly the places a plain search finds', () => {
  it('for ORIGINAL anywhere in the text, overlapping places included', async () => {
    // Mostly `a`, so ORIGINAL often repeats itself and almost matches: the cases where a search
    // that skips ahead can skip a real match or report a false one.
    const next = seeded(11);
    const pick = () => 'aaaaab\n'[next(7)] ?? 'a';
    const wrong: unknown[] = [];
    for (let round = 0; round < 1_500; round++) {
      const text = Array.from({ length: 1 + next(40) }, pick).join('');
      const length = 1 + next(14);
      const start = next(text.length);
      const original =
        round % 2 === 0 && start + length <= text.length
          ? text.slice(start, start + length)
          : Array.from({ length }, pick).join('');
      const places: number[] = [];
      for (let at = text.indexOf(original); at !== -1; at = text.indexOf(original, at + 1)) places.push(at);
      const lineNumbers = places.map((at) => text.slice(0, at).split('\n').length);
      const [at = 0] = places;
      const replaced = text.slice(0, at) + 'Z' + text.slice(at + original.length);
      const expected = expectedOutcome(places, lineNumbers, replaced);
      const actual = await outcome(text, h(original, 'Z'));
      if (actual !== expected) wrong.push({ text, original, expected, actual });
    }
    expect(wrong.slice(0, 3)).toEqual([]);
  });

  it('for ORIGINAL lines that match whole lines once trailing whitespace is ignored', async () => {
    // Every line of ORIGINAL carries a trailing space the file lacks, so only the line-by-line
    // search can find it; blank lines among them, and files with or without a last line break.
    const next = seeded(29);
    const pick = () => ['a', 'a', 'a', 'b', ''][next(5)] ?? 'a';
    const wrong: unknown[] = [];
    for (let round = 0; round < 1_500; round++) {
      const lines = Array.from({ length: 1 + next(16) }, pick);
      const length = 1 + next(6);
      const start = next(lines.length);
      const wanted =
        round % 2 === 0 && start + length <= lines.length
          ? lines.slice(start, start + length)
          : Array.from({ length }, pick);
      const places = lines
        .map((_, at) => at)
        .filter((at) => at + length <= lines.length && wanted.every((line, i) => lines[at + i] === line));
      const [at = 0] = places;
      const replaced = [...lines.slice(0, at), 'Z', ...lines.slice(at + length)].join('\n');
      const expected = expectedOutcome(
        places,
        places.map((place) => place + 1),
        replaced,
      );
      const text = lines.join('\n');
      const actual = await outcome(text, {
        original: wanted.map((line) => `${line} `),
        updated: ['Z'],
      });
      if (actual !== expected) wrong.push({ text, wanted, expected, actual });
    }
    expect(wrong.slice(0, 3)).toEqual([]);
  });

  it('counts lines in a file that does not end with a line break', async () => {
    const error = await failure('x = 1\ny\nx = 1', [h('x = 1', 'x = 2')]);
    expect(error.message).toContain('2 times (at lines 1, 3)');
  });

  it('prefers the place that differs only in trailing whitespace over one at another indentation', async () => {
    expect(await applyHunks('a  \nb\n  a\n  b\n', [h('a\nb', 'c')])).toBe('c\n  a\n  b\n');
  });

  it('replaces blank lines with stray spaces in ORIGINAL, leaving UPDATED as written', async () => {
    expect(await applyHunks('    x\n\n\ny\n', [h(' \n ', 'z')])).toBe('    x\nz\ny\n');
  });

  it('takes a line of spaces as blank: not the first line it names, not the one it re-indents by', async () => {
    await expect(applyHunks('a\n', [h('   \nnowhere', 'x')])).rejects.toMatchObject({
      name: 'PatchNotFound',
      message: expect.stringContaining('Its first line: "nowhere".'),
    });
    expect(await applyHunks('if x:\n\n    go()\n', [h('  \n  go()', '  \n  stop()')])).toBe(
      'if x:\n  \n    stop()\n',
    );
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

  it('leaves lines alone when the indentation is the same, and shifts tabs by tabs', () => {
    expect(reindent(['  a', '    b'], '  ', '  ')).toEqual(['  a', '    b']);
    expect(reindent(['\ta', '\t\tb', ''], '\t', '\t\t\t')).toEqual(['\t\t\ta', '\t\t\t\tb', '']);
    expect(reindent(['\t\t\ta', '\t\tb', 'c'], '\t\t\t', '\t')).toEqual(['\ta', 'b', 'c']);
  });

  it('only removes indentation that is there, and swaps a mixed prefix only where it is present', () => {
    expect(reindent(['    a', ' b', '\tc'], '    ', '')).toEqual(['a', 'b', '\tc']);
    expect(reindent(['\t a', 'b', '', '\t c'], '\t ', '  ')).toEqual(['  a', 'b', '', '  c']);
    expect(reindent([' \ta', ' \t\tb', '  c'], ' \t', '  ')).toEqual(['  a', '  \tb', '  c']);
    expect(reindent(['  a', '    b'], '  ', ' \t')).toEqual([' \ta', ' \t  b']);
  });

  it('shifts by the difference when both sides are indented, and leaves lines of spaces alone', () => {
    expect(reindent(['  a', '    b', '   '], '  ', '     ')).toEqual(['     a', '       b', '   ']);
  });
});
