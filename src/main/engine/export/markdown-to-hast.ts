import type { Element, ElementContent, Root } from 'hast';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import { h } from './hast-builder';

/** Reads markdown the way a window shows a reply (GitHub's flavour), into a tree for the page. */
export type MarkdownReader = (markdown: string, idPrefix: string) => ElementContent[];

/** A code block as a window draws one: its language above it. */
function framed(pre: Element): Element {
  const code = pre.children[0];
  const classes = code?.type === 'element' ? code.properties.className : undefined;
  const language = (Array.isArray(classes) ? classes : [])
    .map(String)
    .find((c) => c.startsWith('language-'))
    ?.slice('language-'.length);
  return h('div', { className: ['code-block'] }, [
    h('div', { className: ['code-lang'] }, [language ?? 'text']),
    pre,
  ]);
}

function frameCodeBlocks(nodes: ElementContent[]): ElementContent[] {
  return nodes.map((node) => {
    if (node.type !== 'element') return node;
    if (node.tagName === 'pre') return framed(node);
    node.children = frameCodeBlocks(node.children);
    return node;
  });
}

/**
 * One reader per export (the processor holds state, and the engine keeps none between windows).
 * HTML written in a message is kept as `raw` nodes, which the page shows as text, never as markup.
 */
export function createMarkdownReader(): MarkdownReader {
  return (markdown, idPrefix) => {
    // Footnote ids are numbered per message: the prefix keeps two messages' `fn-1` apart.
    const processor = unified()
      .use(remarkParse)
      .use(remarkGfm)
      .use(remarkRehype, { allowDangerousHtml: true, clobberPrefix: `${idPrefix}-` });
    const tree = processor.runSync(processor.parse(markdown)) as Root;
    return frameCodeBlocks(tree.children as ElementContent[]);
  };
}
