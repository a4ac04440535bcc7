import { parse, TomlError } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { tomlProblem } from './toml-problem';

function problemOf(text: string) {
  try {
    parse(text);
  } catch (error) {
    if (error instanceof TomlError) return tomlProblem(text, error);
  }
  throw new Error('expected a TOML error');
}

describe('tomlProblem', () => {
  it('says an unterminated string is not closed, on its own line, instead of blaming control characters', () => {
    const problem = problemOf('temperature = 0.5\nmodel = "gpt-4\nprompt = "ok"\n');
    expect(problem).toMatchObject({ line: 2, column: 9, excerpt: 'model = "gpt-4' });
    expect(problem.reason).toBe(
      'the string that starts at column 9 is not closed: add a closing " before the end of the line',
    );
    expect(problemOf("model = 'gpt\n").reason).toContain("add a closing ' before the end of the line");
  });

  it('phrases the other common mistakes for the person fixing the file', () => {
    expect(problemOf('prompt = """abc\n').reason).toContain('multi-line string');
    expect(problemOf('model = "a"\nmodel = "b"\n')).toMatchObject({
      line: 2,
      reason: expect.stringContaining('already set'),
    });
    expect(problemOf('model = gpt\n').reason).toContain('text needs quotes');
    // Anything else keeps the parser's words, without its "Invalid TOML document" preamble.
    expect(problemOf('model "a"\n').reason).toBe('illegal character in key');
  });

  it('a quote inside a string, or an escaped one, does not confuse it', () => {
    expect(problemOf('prompt = "say \\"hi\\" # not a comment\n').reason).toContain('column 10');
  });

  it('points at the last string left open on the line, whatever came before it', () => {
    expect(problemOf('a = ["x", "y\n')).toMatchObject({ line: 1, column: 11 });
    expect(problemOf('a = ["x\\"", "y\n').column).toBe(13);
    // No escapes in a literal string: its backslash does not hide the quote that closes it.
    expect(problemOf("a = ['x\\', 'y\n")).toMatchObject({
      column: 12,
      reason: "the string that starts at column 12 is not closed: add a closing ' before the end of the line",
    });
    // An escaped backslash does not escape the end of the line.
    expect(problemOf('a = "x\\\\\n').column).toBe(5);
  });

  it("keeps the parser's words for a control character inside a string, and for a line that stops early", () => {
    expect(problemOf('a = "x\u0001\n').reason).toBe('control characters are not allowed in strings');
    expect(problemOf('a =\n').reason).toContain('text needs quotes');
  });

  it('shows at most 200 characters of the line, and reads Windows line ends', () => {
    const long = problemOf(`${'k'.repeat(250)} = "\n`);
    expect(long.excerpt).toBe('k'.repeat(200));
    expect(problemOf('a = "ok"\r\nb = "x\r\n')).toMatchObject({ line: 2, column: 5, excerpt: 'b = "x' });
  });
});
