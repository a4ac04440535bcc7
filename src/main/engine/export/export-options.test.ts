import { describe, expect, it } from 'vitest';
import { unreadableNote } from './export-options';

describe('unreadableNote', () => {
  it('says nothing when every line was read', () => {
    expect(unreadableNote(0)).toBeUndefined();
  });

  it('says how many lines are missing and where they still are, in one sentence for one or many', () => {
    expect(unreadableNote(1)).toBe(
      "1 line of this conversation's log could not be read and is not shown here; the log keeps it, and a gptme (JSONL) export includes it.",
    );
    expect(unreadableNote(3)).toBe(
      "3 lines of this conversation's log could not be read and are not shown here; the log keeps them, and a gptme (JSONL) export includes them.",
    );
  });
});
