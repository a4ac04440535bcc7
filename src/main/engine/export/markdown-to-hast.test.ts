import { describe, expect, it } from 'vitest';
import { createMarkdownReader } from './markdown-to-hast';
import { toSafeHtml } from './safe-html';

const html = (markdown: string, prefix = 'm0') =>
  createMarkdownReader()(markdown, prefix)
    .map((node) => toSafeHtml(node))
    .join('');

describe('createMarkdownReader', () => {
  it('frames a code block with its language above it, or "text" when it names none', () => {
    expect(html('```py\nx = 1\n```')).toBe(
      '<div class="code-block"><div class="code-lang">py</div><pre><code class="language-py">x = 1\n</code></pre></div>',
    );
    expect(html('```\nplain\n```')).toContain('<div class="code-lang">text</div>');
  });

  it("keeps two messages' footnotes apart by the prefix it is given", () => {
    const note = 'See[^1].\n\n[^1]: the note';
    expect(html(note, 'm3')).toContain('id="m3-fn-1"');
    expect(html(note, 'm4')).toContain('id="m4-fn-1"');
  });
});
