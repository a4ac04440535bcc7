// Control characters, C1 controls, bidirectional overrides and invisible characters: in a value a
// repository wrote, they could erase a terminal line or reorder what a prompt shows.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

/**
 * The text with every character that could hide or rearrange what is shown written as `\u{…}`.
 * With `lines`, newlines and tabs stay as they are (a reply or a command's output on a terminal).
 */
export function printable(text: string, options: { lines?: boolean } = {}): string {
  return text.replace(HIDDEN, (char) =>
    options.lines && (char === '\n' || char === '\t') ? char : `\\u{${char.codePointAt(0)!.toString(16)}}`,
  );
}
