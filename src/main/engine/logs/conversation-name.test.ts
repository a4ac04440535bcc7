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
