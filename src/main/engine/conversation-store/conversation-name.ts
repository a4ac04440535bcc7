export const DEFAULT_CONVERSATION_NAME = 'New conversation';

const MAX_AUTO_NAME = 60;
// Below this, cutting at the last space would throw away most of the name; cut mid-word instead.
const MIN_WORD_CUT = 20;

/**
 * A readable name from a user's message: its first non-empty line, whitespace collapsed, cut at a
 * word boundary to about 60 characters with an ellipsis. Empty when the text has nothing to show.
 */
export function nameFromText(text: string): string {
  const line = text
    .split(/\r?\n/)
    .map((l) => l.replace(/\s+/g, ' ').trim())
    .find((l) => l.length > 0);
  if (line === undefined) return '';
  // Code points, not UTF-16 units, so an emoji is never cut in half.
  const chars = [...line];
  if (chars.length <= MAX_AUTO_NAME) return line;
  const head = chars.slice(0, MAX_AUTO_NAME + 1).join('');
  const space = head.lastIndexOf(' ');
  const cut = space >= MIN_WORD_CUT ? head.slice(0, space) : chars.slice(0, MAX_AUTO_NAME).join('');
  // Stryker disable next-line MethodExpression: whitespace was collapsed above, and the pattern drops a trailing one too
  return `${cut.trimEnd().replace(/[\s.,;:!?-]+$/, '')}…`;
}
