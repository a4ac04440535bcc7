import { readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hunkParts, isPlaceholderLine, readPatch } from '../../../shared/patch-format';
import { makeWorkspace } from '../../../../test/support/engine';
import { toolContext } from '../../../../test/support/tool-context';
import { patchTool } from './patch';

// gptme reads a placeholder line in a patch (`# ...`, `// ... rest`) as "the unchanged lines here":
// the lines around it are separate changes, each found in the file on its own.

async function setup(files: Record<string, string>) {
  const workspace = await realpath(await makeWorkspace(files));
  const ctx = toolContext(workspace);
  const patch = (file: string, text: string) => patchTool.execute({ path: file, patch: text }, ctx);
  const contents = (name: string) => readFile(path.join(workspace, name), 'utf8');
  return { patch, contents };
}

const hunk = (original: string, updated: string) =>
  `<<<<<<< ORIGINAL\n${original}\n=======\n${updated}\n>>>>>>> UPDATED\n`;

const PYTHON = 'def hello():\n    print("hello")\n\n\ndef bye():\n    print("bye")\n';

describe('isPlaceholderLine', () => {
  it.each(['# ...', '    # ... rest of the function', '// ... existing code', '\t// ...', '" ...', '# ....'])(
    'reads %j as a placeholder',
    (line) => expect(isPlaceholderLine(line)).toBe(true),
  );
  it.each(['#...', '#  ...', '// ..', 'x = 1  # ...', '/* ... */', '...', '# see ...', '""" ... """'])(
    'reads %j as an ordinary line, as gptme does',
    (line) => expect(isPlaceholderLine(line)).toBe(false),
  );
});

describe('a patch with placeholder lines', () => {
  it('changes the lines before a placeholder and leaves what it stands for (gptme: test_apply_with_placeholders)', async () => {
    const { patch, contents } = await setup({ 'hello.py': PYTHON });
    await patch('hello.py', hunk('def hello():\n    # ...', 'def hello_world():\n    # ...'));
    expect(await contents('hello.py')).toBe(PYTHON.replace('def hello()', 'def hello_world()'));
  });

  it('makes each run between placeholders a change of its own, far apart in the file', async () => {
    const { patch, contents } = await setup({ 'hello.py': PYTHON });
    const result = await patch(
      'hello.py',
      hunk(
        'def hello():\n    # ...\ndef bye():\n    print("bye")',
        'def hello(name):\n    # ...\ndef bye():\n    print("bye", name)',
      ),
    );
    expect(await contents('hello.py')).toBe(
      'def hello(name):\n    print("hello")\n\n\ndef bye():\n    print("bye", name)\n',
    );
    expect(result).toBe('Applied 1 hunk to hello.py');
  });

  it('deletes a run that UPDATED leaves empty between two placeholders', async () => {
    const { patch, contents } = await setup({ 'a.ts': 'a();\nb();\nc();\nd();\n' });
    await patch('a.ts', hunk('a();\n// ...\nc();\n// ...', 'a();\n// ...\n// ...'));
    expect(await contents('a.ts')).toBe('a();\nb();\nd();\n');
  });

  it('names the part that is not found, and leaves the file unchanged when any part fails', async () => {
    const { patch, contents } = await setup({ 'hello.py': PYTHON });
    await expect(
      patch('hello.py', hunk('def hello():\n# ...\ndef gone():', 'def hi():\n# ...\ndef still_gone():')),
    ).rejects.toMatchObject({
      name: 'PatchNotFound',
      message: expect.stringMatching(
        /^Hunk 1, part 2 of 2 \(its lines between placeholder lines\): ORIGINAL not found/,
      ),
      data: { hunk: 1, part: 2, parts: 2 },
    });
    expect(await contents('hello.py')).toBe(PYTHON);
  });

  it('refuses a different number of placeholders on the two sides, before the user is asked', async () => {
    const text = hunk('def hello():\n    # ...', 'def hello_world():\n    print("hi")');
    const reading = readPatch(text);
    expect(reading).toEqual({ problem: expect.stringContaining('Hunk 1 has 1 placeholder line(s)') });
    const { patch, contents } = await setup({ 'hello.py': PYTHON });
    await expect(patch('hello.py', text)).rejects.toMatchObject({
      name: 'PatchMalformed',
      message: expect.stringContaining('in ORIGINAL and 0 in UPDATED'),
    });
    expect(await contents('hello.py')).toBe(PYTHON);
  });

  it('refuses lines added next to a placeholder where ORIGINAL has none to find the place by', () => {
    expect(readPatch(hunk('# ...\nb', 'import x\n# ...\nb'))).toEqual({
      problem: expect.stringContaining('UPDATED adds lines before its first placeholder'),
    });
    expect(readPatch(hunk('a\n# ...', 'a\n# ...\nz'))).toEqual({
      problem: expect.stringContaining('UPDATED adds lines after placeholder line 1'),
    });
  });

  it('refuses a hunk that changes nothing but its placeholders', async () => {
    const { patch } = await setup({ 'a.ts': 'a();\nb();\n' });
    await expect(patch('a.ts', hunk('a();\n// ...', 'a();\n// ... the rest'))).rejects.toMatchObject({
      name: 'PatchNoChange',
      message: expect.stringContaining('apart from its placeholder lines'),
    });
  });

  it('keeps a hunk without placeholders whole, and a look-alike line literal', async () => {
    const plain = { original: ['#  ...', 'a'], updated: ['#  ...', 'b'] };
    expect(hunkParts(plain)).toEqual([plain]);
    const { patch, contents } = await setup({ 'a.py': '#  ...\na\n' });
    await patch('a.py', hunk('#  ...\na', '#  ...\nb'));
    expect(await contents('a.py')).toBe('#  ...\nb\n');
  });
});
