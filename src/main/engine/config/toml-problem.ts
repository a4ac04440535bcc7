import type { TomlError } from 'smol-toml';

/** The offending line as shown beside the problem: enough to recognise it, never a whole file. */
const MAX_EXCERPT = 200;

export interface TomlProblem {
  line: number;
  column: number;
  /** What is wrong, in words for the person who edits the file. */
  reason: string;
  /** The text of that line. */
  excerpt: string;
}

/**
 * What smol-toml says, reworded where it misleads. A string left open runs into the line's end,
 * and the parser reports the newline as "control characters are not allowed in strings": true of
 * the newline, but the fix is a closing quote.
 */
export function tomlProblem(text: string, error: TomlError): TomlProblem {
  const lines = text.split(/\r?\n/);
  const lineText = lines[error.line - 1] ?? '';
  // Stryker disable next-line Regex: the preamble is only ever at the start
  const first = error.message.split('\n')[0]!.replace(/^Invalid TOML document: /, '');
  const atLineEnd = error.column > lineText.length;
  let reason = first;
  let column = error.column;
  if (/control characters are not allowed in strings/.test(first) && atLineEnd) {
    const quote = openQuote(lineText);
    // Pointed at where the string opens: the end of the line is where the parser noticed.
    // The parser stops at a line's end only inside a string that opens on it, so openQuote finds
    // it; the fallbacks below are for a parser that one day sees strings differently.
    // Stryker disable next-line ConditionalExpression: see above
    if (quote) column = quote.column;
    reason = quote
      ? `the string that starts at column ${quote.column} is not closed: add a closing ${quote.char} before the end of the line`
      : // Stryker disable next-line StringLiteral: see above
        'a string is not closed before the end of the line: add its closing quote';
  } else if (/unfinished string/.test(first)) {
    reason = 'a multi-line string (""" or \'\'\') is never closed: add its closing quotes';
  } else if (/redefine an already defined/.test(first)) {
    reason = 'this key or table is already set above; a key may be set only once';
  } else if (/invalid value/.test(first)) {
    reason = 'this value is not valid TOML: text needs quotes ("…"), lists need brackets ([…])';
  }
  return { line: error.line, column, reason, excerpt: lineText.slice(0, MAX_EXCERPT) };
}

/** The quote that opens the last unclosed string on a line, if any (escapes inside "…" skipped). */
function openQuote(line: string): { char: string; column: number } | undefined {
  let open: { char: string; column: number } | undefined;
  // Stryker disable next-line EqualityOperator: one step past the end reads undefined, which matches nothing
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (open) {
      if (open.char === '"' && c === '\\') i++;
      else if (c === open.char) open = undefined;
      // A string the parser saw open at the line's end has no comment before it (see tomlProblem).
      // Stryker disable next-line ConditionalExpression,StringLiteral,BlockStatement: see above
    } else if (c === '#') {
      break;
    } else if (c === '"' || c === "'") {
      open = { char: c, column: i + 1 };
    }
  }
  return open;
}
