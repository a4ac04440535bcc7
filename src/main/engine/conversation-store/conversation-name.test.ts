import { describe, expect, it } from 'vitest';
import { nameFromText } from './conversation-name';

describe('nameFromText', () => {
  it('keeps a short first line as it is', () => {
    expect(nameFromText('Fix the build')).toBe('Fix the build');
  });

  it('uses the first non-empty line and collapses whitespace', () => {
    expect(nameFromText('\n   \n  Why   does\tthis   fail?  \nstack trace here')).toBe('Why does this fail?');
  });

  it('cuts a long line at a word boundary with an ellipsis', () => {
    const text =
      'Please refactor the conversation store so that appends are serialized per conversation and fast';
    const name = nameFromText(text);
    expect(name.endsWith('…')).toBe(true);
    expect([...name].length).toBeLessThanOrEqual(61);
    expect(text.startsWith(name.slice(0, -1))).toBe(true);
    expect(text[name.length - 1]).toBe(' ');
  });

  it('cuts a single very long word rather than dropping it', () => {
    const name = nameFromText('x'.repeat(200));
    expect(name).toBe(`${'x'.repeat(60)}…`);
  });

  it('never splits an emoji', () => {
    const name = nameFromText('😀'.repeat(100));
    expect([...name].every((c) => c === '😀' || c === '…')).toBe(true);
  });

  it('is empty for blank text', () => {
    expect(nameFromText('  \n\t\n')).toBe('');
  });
});

describe('nameFromText, edge cases', () => {
  it('keeps a line of exactly 60 characters whole, and cuts one of 61', () => {
    const sixty = `${'word '.repeat(11)}abcde`;
    expect([...sixty]).toHaveLength(60);
    expect(nameFromText(sixty)).toBe(sixty);
    expect(nameFromText(`${sixty}f`)).toBe(`${'word '.repeat(11).trimEnd()}…`);
  });

  it('cuts mid-word when the only space would leave a name under 20 characters', () => {
    expect(nameFromText(`Hi ${'x'.repeat(100)}`)).toBe(`Hi ${'x'.repeat(57)}…`);
    // A space at the 20th character is far enough in.
    const at20 = `${'a'.repeat(20)} ${'b'.repeat(60)}`;
    expect(nameFromText(at20)).toBe(`${'a'.repeat(20)}…`);
  });

  it('drops punctuation left at the cut, and reads Windows line ends', () => {
    expect(nameFromText(`${'a'.repeat(30)}, - ${'b'.repeat(40)}`)).toBe(`${'a'.repeat(30)}…`);
    expect(nameFromText('First line\r\nsecond')).toBe('First line');
  });
});

describe('names, where a word ends exactly at the limit', () => {
  it('keeps the whole last word when the space after it is the 61st character', () => {
    const text = `${'a'.repeat(25)} ${'b'.repeat(34)} cccc`;
    expect(nameFromText(text)).toBe(`${'a'.repeat(25)} ${'b'.repeat(34)}…`);
  });

  it('calls a conversation with no name yet "New conversation"', async () => {
    const { DEFAULT_CONVERSATION_NAME } = await import('./conversation-name');
    expect(DEFAULT_CONVERSATION_NAME).toBe('New conversation');
  });
});
