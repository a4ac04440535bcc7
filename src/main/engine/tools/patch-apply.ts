import { NamedError } from '../../../shared/errors';
import { hunkParts, type Hunk } from '../../../shared/patch-format';

type LineCompare = (line: string) => string;

// Tried in order once an exact match fails: the first tolerates trailing whitespace, the second
// indentation as well (a model often re-indents a block it copied from a nested scope).
const TOLERANT_COMPARES: readonly LineCompare[] = Object.freeze([
  (line: string) => line.trimEnd(),
  (line: string) => line.trim(),
]);

/** The spaces and tabs a line that is not blank starts with (it has some other character). */
function leadingWhitespace(line: string): string {
  return line.slice(0, line.search(/[^ \t]/));
}

function isBlank(line: string): boolean {
  return line.trim() === '';
}

// An ambiguity error names this many places, and the search stops one match past them. More than
// one match is already an error, and a short ORIGINAL such as `,` matches millions of times in a
// large file: listing them all, each one's line counted from the top, once held the main thread
// for minutes while Stop and every other window waited (issue 9).
const MAX_REPORTED = 5;

// The exact and the whitespace-tolerant search below are Knuth-Morris-Pratt: they read each
// character (or line) of the file once, whatever the input. Trying every start against the whole
// ORIGINAL costs file x ORIGINAL when most of it matches (lines of `x` against a hunk of `x` lines
// ending in `y`), and so does V8's own indexOf for a long needle such as a^k b a^k: minutes on a
// few megabytes.

/** fallback[i]: the length of the longest proper prefix of pattern[0 .. i] that also ends it. */
function fallbackTable(pattern: ArrayLike<number>): Int32Array {
  const fallback = new Int32Array(pattern.length);
  // Stryker disable next-line EqualityOperator: one step past the end reads undefined, which matches nothing, and a typed array drops the write
  for (let index = 1, matched = 0; index < pattern.length; index++) {
    while (matched > 0 && pattern[index] !== pattern[matched]) matched = fallback[matched - 1] ?? 0;
    if (pattern[index] === pattern[matched]) matched++;
    fallback[index] = matched;
  }
  return fallback;
}

// While nothing is matched, the search jumps with indexOf to the next place the needle's first few
// characters occur. A needle this short V8 finds with a plain scan (a Boyer-Moore search and its
// worst case start at 7), so the jump stays linear and spares the loop most of the file.
const ANCHOR_LENGTH = 6;

/** Up to `limit` offsets where `needle` (not empty) starts in `text`, overlapping ones included. */
function exactMatches(text: string, needle: string, limit: number): number[] {
  const found: number[] = [];
  const pattern = Uint16Array.from({ length: needle.length }, (_, index) => needle.charCodeAt(index));
  const fallback = fallbackTable(pattern);
  const anchor = needle.slice(0, ANCHOR_LENGTH);
  let matched = 0;
  // Stryker disable next-line EqualityOperator: one step past the end charCodeAt is NaN, which matches nothing, and the indexOf below then ends the loop
  for (let index = 0; index < text.length; index++) {
    if (matched === 0) {
      const next = text.indexOf(anchor, index);
      if (next === -1) break;
      index = next + anchor.length - 1;
      matched = anchor.length;
    } else {
      const code = text.charCodeAt(index);
      while (matched > 0 && code !== pattern[matched]) matched = fallback[matched - 1] ?? 0;
      if (code === pattern[matched]) matched++;
    }
    if (matched === pattern.length) {
      found.push(index - matched + 1);
      if (found.length === limit) break;
      matched = fallback[matched - 1] ?? 0;
    }
  }
  return found;
}

/** The 1-based line of each offset (ascending), in one pass over the text up to the last. */
function lineNumbersAt(text: string, offsets: readonly number[]): number[] {
  let line = 1;
  let next = text.indexOf('\n');
  return offsets.map((offset) => {
    while (next !== -1 && next < offset) {
      line++;
      next = text.indexOf('\n', next + 1);
    }
    return line;
  });
}

/** Up to `limit` line indexes where `wanted` starts, lines compared through `compare`. */
function lineMatches(
  lines: readonly string[],
  wanted: readonly string[],
  compare: LineCompare,
  limit: number,
): number[] {
  // Lines become numbers, equal lines equal numbers, so the search compares numbers.
  const ids = new Map<string, number>();
  const pattern = Int32Array.from(wanted, (line) => {
    const key = compare(line);
    const id = ids.get(key) ?? ids.size;
    ids.set(key, id);
    return id;
  });
  const fallback = fallbackTable(pattern);
  const found: number[] = [];
  let matched = 0;
  for (const [index, line] of lines.entries()) {
    // A file line that is no line of the hunk gets -1, which matches nothing.
    const id = ids.get(compare(line)) ?? -1;
    while (matched > 0 && id !== pattern[matched]) matched = fallback[matched - 1] ?? 0;
    if (id === pattern[matched]) matched++;
    if (matched === pattern.length) {
      found.push(index - matched + 1);
      if (found.length === limit) break;
      matched = fallback[matched - 1] ?? 0;
    }
  }
  return found;
}

/**
 * Moves UPDATED lines from the indentation the model wrote (`from`) to the file's (`to`). Pure
 * spaces or pure tabs shift by the difference, so deeper lines keep their relative depth; a
 * change of indent character swaps the prefix where it is present.
 */
export function reindent(lines: readonly string[], from: string, to: string): string[] {
  const uniform = /^(?: *|\t*)$/;
  // An empty `from` starts every line, so the swap below indents by `to` just as a shift would.
  if (uniform.test(from) && uniform.test(to) && (to === '' || from[0] === to[0])) {
    const indentChar = from.charAt(0);
    const delta = to.length - from.length;
    return lines.map((line) => {
      if (isBlank(line)) return line;
      let remove = 0;
      while (remove < -delta && line[remove] === indentChar) remove++;
      return indentChar.repeat(Math.max(delta, 0)) + line.slice(remove);
    });
  }
  return lines.map((line) => (!isBlank(line) && line.startsWith(from) ? to + line.slice(from.length) : line));
}

/** Which change an error is about: a hunk, or one part of a hunk split at its placeholder lines. */
interface Where {
  readonly hunk: number;
  readonly part?: number;
  readonly parts?: number;
}

function label(where: Where): string {
  return where.part === undefined
    ? `Hunk ${where.hunk}`
    : `Hunk ${where.hunk}, part ${where.part} of ${where.parts} (its lines between placeholder lines)`;
}

/** `lineNumbers` holds every match, or MAX_REPORTED + 1 of them when the search stopped early. */
function notUnique(where: Where, lineNumbers: readonly number[]): NamedError {
  const more = lineNumbers.length > MAX_REPORTED;
  const shown = lineNumbers.slice(0, MAX_REPORTED).join(', ');
  const times = more
    ? `more than ${MAX_REPORTED} times (first at lines ${shown})`
    : `${lineNumbers.length} times (at lines ${shown})`;
  return new NamedError(
    'PatchNotUnique',
    `${label(where)}: ORIGINAL matches ${times}; ` +
      'add lines of surrounding context to ORIGINAL (and UPDATED) so it matches exactly one place',
    more ? { ...where, matchesMoreThan: MAX_REPORTED } : { ...where, matches: lineNumbers.length },
  );
}

function notFound(text: string, hunk: Hunk, where: Where): NamedError {
  // Stryker disable next-line StringLiteral: ORIGINAL has at least one line
  const first = hunk.original.find((line) => !isBlank(line)) ?? hunk.original[0] ?? '';
  const firstAt = text.split('\n').findIndex((line) => line.trim() === first.trim());
  const hint =
    firstAt === -1
      ? 'That line is not in the file either; read the file and copy the lines exactly.'
      : `That line is at line ${firstAt + 1}, but the lines after it differ; read the file there and copy ORIGINAL exactly.`;
  return new NamedError(
    'PatchNotFound',
    `${label(where)}: ORIGINAL not found in the file. Its first line: ${JSON.stringify(first)}. ${hint}`,
    { ...where },
  );
}

function applyHunk(text: string, hunk: Hunk, where: Where): string {
  const original = hunk.original.join('\n');
  const updated = hunk.updated.join('\n');
  if (original === updated) {
    throw new NamedError(
      'PatchNoChange',
      `${label(where)}: ORIGINAL and UPDATED are identical, so it changes nothing`,
      { ...where },
    );
  }

  if (original === '') {
    // One blank line joins to an empty needle, found at every offset (the search once looped
    // forever on it); as a line it is as ambiguous as any blank line in the file.
    throw new NamedError(
      'PatchMalformed',
      `${label(where)}: ORIGINAL is a single blank line, which matches everywhere; ` +
        'copy the lines around the place to change into ORIGINAL',
      { ...where },
    );
  }
  const exact = exactMatches(text, original, MAX_REPORTED + 1);
  if (exact.length > 1) throw notUnique(where, lineNumbersAt(text, exact));
  const [at] = exact;
  if (at !== undefined) {
    let end = at + original.length;
    // Deleting whole lines takes their line break too, rather than leaving a blank line behind.
    const wholeLines = (at === 0 || text[at - 1] === '\n') && text[end] === '\n';
    if (hunk.updated.length === 0 && wholeLines) end++;
    return text.slice(0, at) + updated + text.slice(end);
  }

  const lines = text.split('\n');
  for (const compare of TOLERANT_COMPARES) {
    const starts = lineMatches(lines, hunk.original, compare, MAX_REPORTED + 1);
    if (starts.length > 1)
      throw notUnique(
        where,
        starts.map((start) => start + 1),
      );
    const [start] = starts;
    if (start === undefined) continue;
    // UPDATED moves from ORIGINAL's indentation to the file's, read off the first line that is
    // not blank (blank lines match only blank lines, so it is the same line in both). Where only
    // trailing whitespace differs, the two are the same and nothing moves.
    const anchor = hunk.original.findIndex((line) => !isBlank(line));
    const replacement =
      anchor === -1
        ? hunk.updated
        : reindent(
            hunk.updated,
            // Stryker disable next-line StringLiteral: anchor is the index of a line of ORIGINAL
            leadingWhitespace(hunk.original[anchor] ?? ''),
            // Stryker disable next-line StringLiteral: the match spans ORIGINAL's lines, anchor among them
            leadingWhitespace(lines[start + anchor] ?? ''),
          );
    // Not splice(...replacement): spreading a few hundred thousand arguments overflows the stack.
    return [...lines.slice(0, start), ...replacement, ...lines.slice(start + hunk.original.length)].join(
      '\n',
    );
  }
  throw notFound(text, hunk, where);
}

/** True when every line break is CRLF, so the file can be worked on as LF and turned back. */
function isCrlf(text: string): boolean {
  const breaks = text.split('\n').length - 1;
  return breaks > 0 && text.split('\r\n').length - 1 === breaks;
}

/**
 * Applies hunks in order, each to the result of the one before, and returns the new text. Throws
 * a NamedError naming the first hunk that fails, or the signal's reason once it is aborted; the
 * caller writes nothing in either case.
 */
export async function applyHunks(
  content: string,
  hunks: readonly Hunk[],
  options: { signal?: AbortSignal } = {},
): Promise<string> {
  const crlf = isCrlf(content);
  let text = crlf ? content.replaceAll('\r\n', '\n') : content;
  for (const [index, hunk] of hunks.entries()) {
    options.signal?.throwIfAborted();
    const parts = hunkParts(hunk);
    if (parts.length === 0) {
      throw new NamedError(
        'PatchNoChange',
        `Hunk ${index + 1}: apart from its placeholder lines, ORIGINAL and UPDATED are identical, so it changes nothing`,
        { hunk: index + 1 },
      );
    }
    for (const [partIndex, part] of parts.entries()) {
      const where =
        parts.length === 1 && part === hunk
          ? { hunk: index + 1 }
          : { hunk: index + 1, part: partIndex + 1, parts: parts.length };
      text = applyHunk(text, part, where);
    }
    // Each hunk reads the whole file, so a patch of thousands of hunks on a large file would hold
    // the main thread for as long: after each hunk, Stop and the other windows get their turn.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return crlf ? text.replaceAll('\n', '\r\n') : text;
}
