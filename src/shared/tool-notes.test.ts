import { describe, expect, it } from 'vitest';
import { exitCodeNote, withoutExitCodeNote } from './tool-notes';

describe('the exit-code note', () => {
  it('is dropped from the text the card shows when the result carries that exit code', () => {
    const text = `a\nb\nc\n${exitCodeNote(2)}`;
    expect(withoutExitCodeNote(text, 2)).toBe('a\nb\nc');
    expect(withoutExitCodeNote(exitCodeNote(0), 0)).toBe('');
  });

  it('stays when the data does not say the same thing (the text is then all there is)', () => {
    const text = `a\n${exitCodeNote(2)}`;
    expect(withoutExitCodeNote(text, undefined)).toBe(text);
    expect(withoutExitCodeNote('a\n[exit code undefined]', undefined)).toBe('a\n[exit code undefined]');
    expect(withoutExitCodeNote(text, 1)).toBe(text);
    expect(withoutExitCodeNote('printed [exit code 2] mid-line\nmore', 2)).toBe(
      'printed [exit code 2] mid-line\nmore',
    );
  });
});
