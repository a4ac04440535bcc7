// The note a command's result ends with, for the model (and for a log read back without metadata).
// The card shows the exit status from the result's data, so it drops the note rather than show it
// twice and count it as a line of output.

/** The last line of a command's result: how it ended, for the model. */
export function exitCodeNote(exitCode: number | null): string {
  return `[exit code ${exitCode}]`;
}

/** The text without its closing exit-code note, when it carries the note for `exitCode`. */
export function withoutExitCodeNote(text: string, exitCode: number | undefined): string {
  if (exitCode === undefined) return text;
  const note = exitCodeNote(exitCode);
  if (!text.endsWith(note)) return text;
  return text.slice(0, text.length - note.length).replace(/\n$/, '');
}
