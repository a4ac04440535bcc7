export const OUTPUT_HEAD = 3_000;
export const OUTPUT_TAIL = 9_000;

/** Keeps the start and the end of a long output: the command line echo and the final error both matter. */
export function capOutput(text: string, savedAt?: string): string {
  if (text.length <= OUTPUT_HEAD + OUTPUT_TAIL) return text;
  const omitted = text.length - OUTPUT_HEAD - OUTPUT_TAIL;
  const where = savedAt ? `; the full output is in ${savedAt}` : '';
  return `${text.slice(0, OUTPUT_HEAD)}\n[… ${omitted.toLocaleString('en-US')} characters omitted${where} …]\n${text.slice(-OUTPUT_TAIL)}`;
}

export function needsCap(text: string): boolean {
  return text.length > OUTPUT_HEAD + OUTPUT_TAIL;
}
