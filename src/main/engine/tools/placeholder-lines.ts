import { NamedError } from '../../../shared/errors';

// A line that stands for code left out: a comment marker (`#`, `//` or `"""`) and then three dots,
// spaces allowed before and between, anything after ("# ... rest of the file", "// ...existing
// code"). gptme's save and append refuse such content, and so do we: written to disk, the line
// replaces the code it stands for, and the model rarely notices it has cut the file short.
const PLACEHOLDER = /^\s*(?:#|\/\/|""")\s*\.{3}/;

/**
 * Refuses content holding a placeholder line, naming the first one and what to do instead. `verb`
 * words the message ("save", "append"); save also points at patch, which changes part of a file.
 */
export function refusePlaceholderLines(content: string, requested: string, verb: 'save' | 'append'): void {
  for (const [index, line] of content.split('\n').entries()) {
    if (!PLACEHOLDER.test(line)) continue;
    const instead =
      verb === 'save'
        ? 'Write the complete content of the file, or use patch to change only part of it.'
        : 'Write out every line to add.';
    throw new NamedError(
      'PlaceholderLines',
      `Refused to ${verb} ${requested}: line ${index + 1} (${JSON.stringify(line.trim())}) is a placeholder ` +
        `for code left out, and writing it would replace that code. ${instead}`,
      { path: requested, line: index + 1 },
    );
  }
}
