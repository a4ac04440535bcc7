import { describe, expect, it } from 'vitest';
import { gptmeCallId, joinToolCalls, splitToolCalls } from './gptme-tool-call';

describe("tool calls in an assistant's content, as gptme writes them", () => {
  it('are taken out of the text, in order, their JSON possibly over several lines', () => {
    const content =
      'Let me look.\n\n@shell(call_1): {"command": "ls"}\n@read(c-2:x.y): {\n  "path": "a {b}.txt"\n}';
    expect(splitToolCalls(content)).toEqual({
      text: 'Let me look.',
      calls: [
        { id: 'call_1', name: 'shell', args: { command: 'ls' } },
        { id: 'c-2:x.y', name: 'read', args: { path: 'a {b}.txt' } },
      ],
    });
  });

  it('keeps text between and after calls, and a brace or quote inside a string', () => {
    const content =
      'First.\n@save(s1): {"path": "q.txt", "content": "a \\"}\\" b"}\nThen.\n@shell(s2): {}\nDone.';
    expect(splitToolCalls(content)).toEqual({
      text: 'First.\n\nThen.\n\nDone.',
      calls: [
        { id: 's1', name: 'save', args: { path: 'q.txt', content: 'a "}" b' } },
        { id: 's2', name: 'shell', args: {} },
      ],
    });
  });

  it('leaves text that only looks like a call: in a code block, mid-line, unfinished, not an object', () => {
    for (const content of [
      'Example:\n```\n@shell(c1): {"command": "rm -rf /"}\n```',
      'Example:\n````md\n```\n@shell(c1): {}\n```\n````',
      'Say @shell(c1): {"command": "ls"} to run it',
      '@shell(c1): {"command": "ls"',
      '@shell(c1): {not json}',
      '@shell(c 1): {}',
      '@sh-ell(c1): {}',
    ])
      expect(splitToolCalls(content), content).toEqual({ text: content, calls: [] });
    // A call after a closed code block is one; a call after an unclosed fence too (gptme finds no block).
    expect(splitToolCalls('```\nx\n```\n@shell(c2): {}').calls).toEqual([
      { id: 'c2', name: 'shell', args: {} },
    ]);
    expect(splitToolCalls('```\nx\n@shell(c3): {}').calls).toEqual([{ id: 'c3', name: 'shell', args: {} }]);
  });

  it('an unfinished call stops the search, as in gptme; one with bad JSON does not', () => {
    expect(splitToolCalls('@a(1): {bad}\n@b(2): {}').calls).toEqual([{ id: '2', name: 'b', args: {} }]);
    expect(splitToolCalls('@a(1): {"x": 1\n@b(2): {}').calls).toEqual([]);
  });

  it('are written back as gptme writes them, and read back the same', () => {
    const calls = [
      { id: 'call_1', name: 'shell', args: { command: 'echo "}"\nls' } },
      { id: 'call_2', name: 'read', args: { path: 'a.txt' } },
    ];
    const content = joinToolCalls('Two things.', calls);
    expect(content).toBe(
      'Two things.\n\n@shell(call_1): {"command":"echo \\"}\\"\\nls"}\n@read(call_2): {"path":"a.txt"}',
    );
    expect(splitToolCalls(content)).toEqual({ text: 'Two things.', calls });
    expect(joinToolCalls('', calls.slice(1))).toBe('@read(call_2): {"path":"a.txt"}');
    expect(joinToolCalls('Just text.', [])).toBe('Just text.');
  });

  it("an id or a name gptme's pattern would not read is written in a form it reads, the same on both sides", () => {
    expect(gptmeCallId('call (2)/x')).toBe('call__2__x');
    expect(gptmeCallId('ok-1:a.b_c')).toBe('ok-1:a.b_c');
    expect(gptmeCallId('')).toBe('_');
    const content = joinToolCalls('', [{ id: 'call (2)', name: 'my-tool', args: {} }]);
    expect(splitToolCalls(content).calls).toEqual([{ id: 'call__2_', name: 'my_tool', args: {} }]);
    expect(joinToolCalls('', [{ id: 'c', name: '', args: {} }])).toBe('@_(c): {}');
  });

  it('nested objects, fences only at a line start and closed by a bare fence, text left as it was', () => {
    expect(splitToolCalls('@a(1): {"x": {"y": 1}}').calls).toEqual([
      { id: '1', name: 'a', args: { x: { y: 1 } } },
    ]);
    expect(splitToolCalls('```\n@a(1): {}\n```py').calls).toHaveLength(1);
    expect(splitToolCalls('a ```\n@a(1): {}\n```').calls).toHaveLength(1);
    expect(splitToolCalls('```\n@a(1): {}\n```').calls).toHaveLength(0);
    expect(splitToolCalls('hello  \n')).toEqual({ text: 'hello  \n', calls: [] });
  });
});
