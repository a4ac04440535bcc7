/**
 * Adds streamed text that starts at `offset` of the whole to `current`, skipping what `current`
 * already holds: a window drawn from a snapshot then gets the events around it, some already in it.
 * Without an offset (an older engine) the text is simply appended.
 */
export function appendAt(current: string, text: string, offset: number | undefined): string {
  if (offset === undefined || offset > current.length) return current + text;
  const end = offset + text.length;
  if (end <= current.length) return current;
  return current + text.slice(current.length - offset);
}
