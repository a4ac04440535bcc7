import { memo, useDeferredValue, useState, type ComponentProps, type ReactNode } from 'react';
import ReactMarkdown from 'react-markdown';
import rehypeHighlight from 'rehype-highlight';
import remarkGfm from 'remark-gfm';
import './Markdown.css';

function textOf(node: ReactNode): string {
  if (typeof node === 'string' || typeof node === 'number') return String(node);
  if (Array.isArray(node)) return node.map(textOf).join('');
  if (node && typeof node === 'object' && 'props' in node) {
    return textOf((node.props as { children?: ReactNode }).children);
  }
  return '';
}

export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="copy-button"
      aria-label={label}
      onClick={() => {
        void navigator.clipboard?.writeText(text).then(() => {
          setCopied(true);
          setTimeout(() => setCopied(false), 1200);
        });
      }}
    >
      {copied ? 'Copied' : label}
    </button>
  );
}

function CodeBlock(props: ComponentProps<'pre'>) {
  const { children, ...rest } = props;
  const language = /language-(\w+)/.exec(
    (children as { props?: { className?: string } } | undefined)?.props?.className ?? '',
  )?.[1];
  return (
    <div className="code-block">
      <div className="code-block-bar">
        <span>{language ?? 'text'}</span>
        <CopyButton text={textOf(children).replace(/\n$/, '')} />
      </div>
      <pre {...rest}>{children}</pre>
    </div>
  );
}

/** Only web links leave the app, and only to the system browser (main denies every window.open). */
function Link({ href, children }: ComponentProps<'a'>) {
  const safe = typeof href === 'string' && /^https?:\/\//i.test(href);
  return (
    <a
      href={safe ? href : undefined}
      title={safe ? href : 'Link blocked: not a web address'}
      onClick={(event) => {
        event.preventDefault();
        if (safe) window.open(href, '_blank', 'noopener,noreferrer');
      }}
    >
      {children}
    </a>
  );
}

const components = { pre: CodeBlock, a: Link };
const remarkPlugins = [remarkGfm];
const rehypePlugins = [[rehypeHighlight, { detect: false, ignoreMissing: true }]] as ComponentProps<
  typeof ReactMarkdown
>['rehypePlugins'];

const Rendered = memo(function Rendered({ text }: { text: string }) {
  return (
    <ReactMarkdown remarkPlugins={remarkPlugins} rehypePlugins={rehypePlugins} components={components}>
      {text}
    </ReactMarkdown>
  );
});

export const Markdown = memo(function Markdown({ text }: { text: string }) {
  return (
    <div className="markdown">
      <Rendered text={text} />
    </div>
  );
});

/**
 * Splits text into top-level blocks at blank lines outside code fences. A block that is complete
 * never changes again while the reply streams on.
 */
export function splitBlocks(text: string): string[] {
  const blocks: string[] = [];
  let current: string[] = [];
  let fence: string | null = null;
  for (const line of text.split('\n')) {
    const marker = /^\s{0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker && (fence === null || (marker[0] === fence[0] && marker.length >= fence.length))) {
      fence = fence === null ? marker : null;
    }
    if (fence === null && line.trim() === '' && current.length > 0) {
      blocks.push(current.join('\n'));
      current = [];
    } else if (line.trim() !== '' || current.length > 0) {
      current.push(line);
    }
  }
  if (current.length > 0) blocks.push(current.join('\n'));
  return blocks;
}

/**
 * Markdown parsed block by block, each block memoized: while a reply streams only its last block
 * is parsed again on each batch of text (re-parsing the whole reply each time costs time that grows
 * with the square of its length), and a finished reply is not parsed a second time as a whole.
 */
export function BlockMarkdown({ text }: { text: string }) {
  // A deferred value renders in React's interruptible lane: when text arrives faster than blocks
  // can be parsed, the work is sliced between frames instead of freezing the window.
  const deferred = useDeferredValue(text);
  return (
    <div className="markdown">
      {splitBlocks(deferred).map((block, index) => (
        <Rendered key={index} text={block} />
      ))}
    </div>
  );
}
