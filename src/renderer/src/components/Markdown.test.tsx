// @vitest-environment jsdom
import { cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { Markdown, splitBlocks, BlockMarkdown } from './Markdown';

afterEach(cleanup);

describe('splitBlocks', () => {
  it('splits at blank lines but keeps a fenced code block whole, blank lines and all', () => {
    const text =
      '# Title\n\nA paragraph\nstill it.\n\n```ts\nconst a = 1;\n\nconst b = 2;\n```\n\n- one\n- two';
    expect(splitBlocks(text)).toEqual([
      '# Title',
      'A paragraph\nstill it.',
      '```ts\nconst a = 1;\n\nconst b = 2;\n```',
      '- one\n- two',
    ]);
  });

  it('treats an unclosed fence (a reply still streaming) as one growing block', () => {
    expect(splitBlocks('Intro\n\n```py\nx = 1\n\ny')).toEqual(['Intro', '```py\nx = 1\n\ny']);
  });
});

describe('BlockMarkdown', () => {
  it('renders the same document as the complete message', () => {
    const text =
      '## Plan\n\n1. first\n2. second\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\n```js\nlet x = 1;\n```';
    const streaming = render(<BlockMarkdown text={text} />).container.innerHTML;
    cleanup();
    const complete = render(<Markdown text={text} />).container.innerHTML;
    // Identical but for the newlines the parser keeps between top-level elements.
    const squash = (html: string) => html.replace(/>\s+</g, '><');
    expect(squash(streaming)).toBe(squash(complete));
  });

  it('leaves finished blocks untouched as text streams into the last one', () => {
    const { container, rerender } = render(<BlockMarkdown text={'First block.\n\nSecond'} />);
    const first = container.querySelector('p');
    rerender(<BlockMarkdown text={'First block.\n\nSecond block grows'} />);
    expect(container.querySelector('p')).toBe(first);
    expect(container.textContent).toBe('First block.Second block grows');
  });
});
