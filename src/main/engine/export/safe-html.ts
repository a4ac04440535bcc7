// The one place an exported page's HTML is written. Everything in it comes from a model, a tool or
// a user (any of them hostile), so this is an allowlist, not an escaper with exceptions: an element
// it does not know is left out with its children kept as text, an attribute it does not know is
// dropped, and every text and attribute value is escaped. A page built through it runs nothing and
// loads nothing: no script, no event handler, no image, no style attribute, no link but a web one.
import type { Element, ElementContent, Properties, Root, RootContent } from 'hast';

const ALLOWED_ELEMENTS: readonly string[] = Object.freeze([
  'a',
  'article',
  'blockquote',
  'br',
  'code',
  'dd',
  'del',
  'details',
  'div',
  'dl',
  'dt',
  'em',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'input',
  'li',
  'main',
  'ol',
  'p',
  'pre',
  'section',
  'span',
  'strong',
  'summary',
  'sup',
  'sub',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'time',
  'tr',
  'ul',
]);
const VOID_ELEMENTS: readonly string[] = Object.freeze(['br', 'hr', 'input']);
/** A class or id token: markdown's language names, highlight.js's classes, footnote ids. */
const TOKEN = /^[A-Za-z0-9_-]{1,100}$/;
/** Links that leave the page only when clicked, never by themselves: web and mail addresses, and anchors in it. */
const SAFE_HREF = /^(https?:\/\/|mailto:|#)/i;

export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

function tokens(value: unknown): string[] {
  const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/\s+/) : [];
  return list.map(String).filter((token) => TOKEN.test(token));
}

/** The attributes an element keeps, each checked for what it may hold. */
function attributesOf(tagName: string, properties: Properties): Array<[string, string | true]> {
  const kept: Array<[string, string | true]> = [];
  const classes = tokens(properties.className);
  if (classes.length > 0) kept.push(['class', classes.join(' ')]);
  // An id is one token as a whole, never the first word of something longer.
  if (typeof properties.id === 'string' && TOKEN.test(properties.id)) kept.push(['id', properties.id]);
  if (typeof properties.title === 'string') kept.push(['title', properties.title]);
  if (tagName === 'a' && typeof properties.href === 'string' && SAFE_HREF.test(properties.href.trim())) {
    kept.push(['href', properties.href.trim()]);
    // A reader who follows a link tells the site nothing about where the page came from.
    if (!properties.href.trim().startsWith('#')) kept.push(['rel', 'noopener noreferrer']);
  }
  if (tagName === 'details' && properties.open === true) kept.push(['open', true]);
  if (tagName === 'time' && typeof properties.dateTime === 'string')
    kept.push(['datetime', properties.dateTime]);
  if (tagName === 'ol' && typeof properties.start === 'number')
    kept.push(['start', String(properties.start)]);
  if (tagName === 'input') {
    // Only a task list's box, and one that cannot be ticked: the page is a record, not a form.
    kept.push(['type', 'checkbox'], ['disabled', true]);
    if (properties.checked === true) kept.push(['checked', true]);
  }
  return kept;
}

function openingTag(tagName: string, properties: Properties): string {
  const attributes = attributesOf(tagName, properties)
    .map(([name, value]) => (value === true ? ` ${name}` : ` ${name}="${escapeHtml(value)}"`))
    .join('');
  return `<${tagName}${attributes}>`;
}

/** Text from an element this page does not show as one: an image by its description and address. */
function imageAsText(element: Element): string {
  const alt = typeof element.properties.alt === 'string' ? element.properties.alt : '';
  const src = typeof element.properties.src === 'string' ? element.properties.src : '';
  return escapeHtml(`[image${alt ? `: ${alt}` : ''}${src ? ` (${src})` : ''}]`);
}

function serializeNode(node: Root | RootContent | ElementContent): string {
  switch (node.type) {
    case 'root':
      return node.children.map(serializeNode).join('');
    case 'text':
      return escapeHtml(node.value);
    case 'element': {
      if (node.tagName === 'img') return imageAsText(node);
      const inner = node.children.map(serializeNode).join('');
      if (!ALLOWED_ELEMENTS.includes(node.tagName)) return inner;
      if (VOID_ELEMENTS.includes(node.tagName)) return openingTag(node.tagName, node.properties);
      return `${openingTag(node.tagName, node.properties)}${inner}</${node.tagName}>`;
    }
    default:
      // HTML written in a message (a `raw` node) is shown as the text it is; comments and doctypes go.
      return (node as { type: string }).type === 'raw'
        ? escapeHtml(String((node as { value?: unknown }).value))
        : '';
  }
}

/** The tree as HTML, through the allowlist above. */
export function toSafeHtml(tree: Root | ElementContent): string {
  return serializeNode(tree);
}
