import { NamedError } from '../../../shared/errors';
import type { Hunk } from './patch-format';

type LineCompare = (line: string) => string;

// Tried in order once an exact match fails: the first tolerates trailing whitespace, the second
// indentation as well (a model often re-indents a block it copied from a nested scope).
const TOLERANT_MATCHES: readonly { compare: LineCompare; reindent: boolean }[] = Object.freeze([
  { compare: (line: string) => line.trimEnd(), reindent: false },
  { compare: (line: string) => line.trim(), reindent: true },
]);

function leadingWhitespace(line: string): string {
  return /^[ \t]*/.exec(line)?.[0] ?? '';
}

function isBlank(line: string): boolean {
  return line.trim() === '';
}

function lineNumberAt(text: string, offset: number): number {
  let line = 1;
  for (
    let index = text.indexOf('\n');
    index !== -1 && index < offset;
    index = text.indexOf('\n', index + 1)
  ) {
    line++;
  }
  return line;
}

function exactMatches(text: string, needle: string): number[] {
  const found: number[] = [];
  for (let index = text.indexOf(needle); index !== -1; index = text.indexOf(needle, index + 1)) {
    found.push(index);
  }
  return found;
}

function lineMatches(lines: readonly string[], wanted: readonly string[], compare: LineCompare): number[] {
  const target = wanted.map(compare);
  const found: number[] = [];
  for (let start = 0; start + target.length <= lines.length; start++) {
    if (target.every((line, offset) => compare(lines[start + offset] ?? '') === line)) found.push(start);
  }
  return found;
}

/**
 * Moves UPDATED lines from the indentation the model wrote (`from`) to the file's (`to`). Pure
 * spaces or pure tabs shift by the difference, so deeper lines keep their relative depth; a
 * change of indent character swaps the prefix where it is present.
 */
export function reindent(lines: readonly string[], from: string, to: string): string[] {
  if (from === to) return [...lines];
  const uniform = /^(?: *|\t*)$/;
  const indentChar = (to + from)[0] ?? ' ';
  const sameChar = from === '' || to === '' || from[0] === to[0];
  if (uniform.test(from) && uniform.test(to) && sameChar) {
    const delta = to.length - from.length;
    return lines.map((line) => {
      if (isBlank(line)) return line;
      if (delta > 0) return indentChar.repeat(delta) + line;
      let remove = 0;
      while (remove < -delta && line[remove] === indentChar) remove++;
      return line.slice(remove);
    });
  }
  return lines.map((line) => (!isBlank(line) && line.startsWith(from) ? to + line.slice(from.length) : line));
}

function notUnique(hunkNumber: number, lineNumbers: readonly number[]): NamedError {
  return new NamedError(
    'PatchNotUnique',
    `Hunk ${hunkNumber}: ORIGINAL matches ${lineNumbers.length} times (at lines ${lineNumbers.join(', ')}); ` +
      'add lines of surrounding context to ORIGINAL (and UPDATED) so it matches exactly one place',
    { hunk: hunkNumber, matches: lineNumbers.length },
  );
}

function notFound(text: string, hunk: Hunk, hunkNumber: number): NamedError {
  const first = hunk.original.find((line) => !isBlank(line)) ?? hunk.original[0] ?? '';
  const firstAt = text.split('\n').findIndex((line) => line.trim() === first.trim());
  const hint =
    firstAt === -1
      ? 'That line is not in the file either; read the file and copy the lines exactly.'
      : `That line is at line ${firstAt + 1}, but the lines after it differ; read the file there and copy ORIGINAL exactly.`;
  return new NamedError(
    'PatchNotFound',
    `Hunk ${hunkNumber}: ORIGINAL not found in the file. Its first line: ${JSON.stringify(first)}. ${hint}`,
    { hunk: hunkNumber },
  );
}

function applyHunk(text: string, hunk: Hunk, hunkNumber: number): string {
  const original = hunk.original.join('\n');
  const updated = hunk.updated.join('\n');
  if (original === updated) {
    throw new NamedError(
      'PatchNoChange',
      `Hunk ${hunkNumber}: ORIGINAL and UPDATED are identical, so it changes nothing`,
      { hunk: hunkNumber },
    );
  }

  const exact = exactMatches(text, original);
  if (exact.length > 1)
    throw notUnique(
      hunkNumber,
      exact.map((offset) => lineNumberAt(text, offset)),
    );
  const [at] = exact;
  if (at !== undefined) {
    let end = at + original.length;
    // Deleting whole lines takes their line break too, rather than leaving a blank line behind.
    const wholeLines = (at === 0 || text[at - 1] === '\n') && text[end] === '\n';
    if (hunk.updated.length === 0 && wholeLines) end++;
    return text.slice(0, at) + updated + text.slice(end);
  }

  const lines = text.split('\n');
  for (const { compare, reindent: shift } of TOLERANT_MATCHES) {
    const starts = lineMatches(lines, hunk.original, compare);
    if (starts.length > 1)
      throw notUnique(
        hunkNumber,
        starts.map((start) => start + 1),
      );
    const [start] = starts;
    if (start === undefined) continue;
    let replacement = [...hunk.updated];
    const anchor = hunk.original.findIndex((line) => !isBlank(line));
    if (shift && anchor !== -1) {
      const from = leadingWhitespace(hunk.original[anchor] ?? '');
      const to = leadingWhitespace(lines[start + anchor] ?? '');
      replacement = reindent(hunk.updated, from, to);
    }
    lines.splice(start, hunk.original.length, ...replacement);
    return lines.join('\n');
  }
  throw notFound(text, hunk, hunkNumber);
}

/** True when every line break is CRLF, so the file can be worked on as LF and turned back. */
function isCrlf(text: string): boolean {
  const breaks = text.split('\n').length - 1;
  return breaks > 0 && text.split('\r\n').length - 1 === breaks;
}

/**
 * Applies hunks in order, each to the result of the one before, and returns the new text. Throws
 * a NamedError naming the first hunk that fails; the caller writes nothing in that case.
 */
export function applyHunks(content: string, hunks: readonly Hunk[]): string {
  const crlf = isCrlf(content);
  let text = crlf ? content.replaceAll('\r\n', '\n') : content;
  hunks.forEach((hunk, index) => {
    text = applyHunk(text, hunk, index + 1);
  });
  return crlf ? text.replaceAll('\n', '\r\n') : text;
}
