export interface ExportOptions {
  /** The date the document says it was exported on. */
  exportedAt: Date;
  /**
   * Lines of the log that could not be read as messages: the document says how many are missing
   * from it (the log itself, and a JSONL export, still hold them).
   */
  unreadableLines?: number;
}

/** What a document says when lines of the log could not be shown in it. */
export function unreadableNote(lines: number): string | undefined {
  if (lines <= 0) return undefined;
  return `${lines === 1 ? '1 line' : `${lines} lines`} of this conversation's log could not be read and ${
    lines === 1 ? 'is' : 'are'
  } not shown here; the log keeps ${lines === 1 ? 'it' : 'them'}, and a gptme (JSONL) export includes ${
    lines === 1 ? 'it' : 'them'
  }.`;
}
