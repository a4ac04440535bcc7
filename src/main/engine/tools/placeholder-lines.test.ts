import { readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeWorkspace } from '../../../../test/support/engine';
import { toolContext } from '../../../../test/support/tool-context';
import { appendTool } from './append';
import { refusePlaceholderLines } from './placeholder-lines';
import { saveTool } from './save';

// The placeholders gptme's own save/append tests refuse, and a few a model writes in other languages.
const PLACEHOLDERS = [
  '# ... rest of content goes here',
  '// ... rest of content goes here',
  '# ...',
  '// ...',
  '""" ... """',
  '# ... rest of the content is the same ...',
  '    // ... existing code',
  '\t#...',
  '//... unchanged',
];

// Lines that look alike but stand for nothing left out: they must be written as they are.
const ORDINARY = [
  'print("...")',
  'args = [...rest]',
  '# see the docs...',
  '// TODO: finish ...',
  '#!/bin/sh',
  '/* ... */',
  '...',
  'x = 1  # ... and more',
  '# .env holds the keys',
  '//.prettierrc is read first',
];

const refusal = (content: string, verb: 'save' | 'append' = 'save') => {
  try {
    refusePlaceholderLines(content, 'a.py', verb);
  } catch (error) {
    return error as Error & { data?: unknown };
  }
  return undefined;
};

describe('refusePlaceholderLines', () => {
  it.each(PLACEHOLDERS)('refuses content holding %j, naming the line', (placeholder) => {
    const error = refusal(`First line\n${placeholder}\nLast line\n`);
    expect(error).toMatchObject({ name: 'PlaceholderLines', data: { path: 'a.py', line: 2 } });
    expect(error?.message).toContain(`line 2 (${JSON.stringify(placeholder.trim())})`);
  });

  it.each(ORDINARY)('lets %j through', (line) => {
    expect(refusal(`first\n${line}\nlast\n`)).toBeUndefined();
  });

  it('tells save to write the whole file or patch, and append to write every line', () => {
    expect(refusal('# ...', 'save')?.message).toMatch(
      /^Refused to save a\.py: line 1 .* Write the complete content of the file, or use patch/,
    );
    expect(refusal('# ...', 'append')?.message).toMatch(
      /^Refused to append a\.py: .*Write out every line to add\.$/,
    );
  });

  it('names the first of several placeholder lines', () => {
    expect(refusal('a\n# ... one\nb\n// ... two\n')).toMatchObject({ data: { line: 2 } });
  });

  it('finds a placeholder in a CRLF file too', () => {
    expect(refusal('a\r\n// ... existing code\r\nb\r\n')).toMatchObject({ data: { line: 2 } });
  });
});

describe('save and append with a placeholder line', () => {
  it('leave the file as it was and refuse before the user is asked', async () => {
    const workspace = await realpath(await makeWorkspace({ 'a.py': 'def a():\n    return 1\n' }));
    const ctx = toolContext(workspace);
    const truncated = { path: 'a.py', content: 'def a():\n    # ... rest of the function\n' };
    for (const tool of [saveTool, appendTool]) {
      await expect(tool.precheck?.(truncated, ctx)).rejects.toMatchObject({ name: 'PlaceholderLines' });
      await expect(tool.execute(truncated, ctx)).rejects.toMatchObject({ name: 'PlaceholderLines' });
    }
    expect(await readFile(path.join(workspace, 'a.py'), 'utf8')).toBe('def a():\n    return 1\n');
  });

  it('still refuse a path outside the workspace in the precheck', async () => {
    const ctx = toolContext(await realpath(await makeWorkspace({})));
    for (const tool of [saveTool, appendTool]) {
      await expect(tool.precheck?.({ path: '../out.txt', content: 'x' }, ctx)).rejects.toMatchObject({
        name: 'PathOutsideWorkspace',
      });
    }
  });
});
