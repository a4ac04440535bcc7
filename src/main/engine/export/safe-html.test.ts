import type { Element, Properties } from 'hast';
import { describe, expect, it } from 'vitest';
import { h, text } from './hast-builder';
import { escapeHtml, toSafeHtml } from './safe-html';

describe('toSafeHtml', () => {
  it('escapes every text and attribute value', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;',
    );
    expect(toSafeHtml(h('p', { title: '"><script>' }, ['<b>&']))).toBe(
      '<p title="&quot;&gt;&lt;script&gt;">&lt;b&gt;&amp;</p>',
    );
  });

  // What a reply's Markdown (GitHub's flavour) and the page itself are made of.
  it.each([
    'article',
    'blockquote',
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
  ])('keeps <%s>', (tag) => {
    expect(toSafeHtml(h(tag, {}, ['x']))).toBe(`<${tag}>x</${tag}>`);
  });

  it('leaves out an element it does not know, keeping its text, and every attribute it does not know', () => {
    expect(
      toSafeHtml(h('div', {}, [h('script', {}, ['alert(1)']), h('iframe', { src: 'x' }, ['frame'])])),
    ).toBe('<div>alert(1)frame</div>');
    expect(
      toSafeHtml(
        h('span', { onClick: 'x', style: 'color:red', dataX: '1', className: ['ok', 'a b"c'] }, ['t']),
      ),
    ).toBe('<span class="ok">t</span>');
    expect(toSafeHtml(h('span', { className: 'one two', id: 'fn-1' } as unknown as Properties, []))).toBe(
      '<span class="one two" id="fn-1"></span>',
    );
    expect(toSafeHtml(h('span', { id: 'bad id"' }, []))).toBe('<span></span>');
  });

  it('keeps links to web and mail addresses and anchors, and no other', () => {
    const link = (href: string) => toSafeHtml(h('a', { href }, ['x']));
    expect(link('https://example.com/a?b=1&c=2')).toBe(
      '<a href="https://example.com/a?b=1&amp;c=2" rel="noopener noreferrer">x</a>',
    );
    expect(link('HTTP://example.com')).toBe('<a href="HTTP://example.com" rel="noopener noreferrer">x</a>');
    expect(link('mailto:ada@example.com')).toBe(
      '<a href="mailto:ada@example.com" rel="noopener noreferrer">x</a>',
    );
    expect(link('#fn-1')).toBe('<a href="#fn-1">x</a>');
    for (const bad of [
      'javascript:alert(1)',
      ' javascript:alert(1)',
      'data:text/html,x',
      'file:///etc/passwd',
      '//evil.com',
      'vbscript:x',
    ])
      expect(link(bad)).toBe('<a>x</a>');
    expect(toSafeHtml(h('span', { href: 'https://example.com' }, []))).toBe('<span></span>');
  });

  it('names an image instead of loading it', () => {
    expect(toSafeHtml(h('img', { src: 'http://127.0.0.1/x.png', alt: 'a "cat"' }))).toBe(
      '[image: a &quot;cat&quot; (http://127.0.0.1/x.png)]',
    );
    expect(toSafeHtml(h('img', {}))).toBe('[image]');
  });

  it('keeps the few attributes it knows only where they belong', () => {
    expect(toSafeHtml(h('details', { open: true }, [h('summary', {}, ['s'])]))).toBe(
      '<details open><summary>s</summary></details>',
    );
    expect(toSafeHtml(h('div', { open: true }, []))).toBe('<div></div>');
    expect(toSafeHtml(h('time', { dateTime: '2026-01-01"x' }, ['t']))).toBe(
      '<time datetime="2026-01-01&quot;x">t</time>',
    );
    expect(toSafeHtml(h('ol', { start: 3 }, [h('li', {}, ['c'])]))).toBe('<ol start="3"><li>c</li></ol>');
    // A task list's box, never a field that takes input.
    expect(toSafeHtml(h('input', { type: 'text', checked: true, value: 'x' }))).toBe(
      '<input type="checkbox" disabled checked>',
    );
    expect(toSafeHtml(h('input', { type: 'checkbox' }))).toBe('<input type="checkbox" disabled>');
    expect(toSafeHtml(h('p', {}, ['a', h('br'), 'b', h('hr')]))).toBe('<p>a<br>b<hr></p>');
  });

  it('shows HTML written in a message as text, and drops comments', () => {
    const raw = { type: 'raw', value: '<script>x()</script>' } as unknown as Element;
    const comment = { type: 'comment', value: '--><script>' } as unknown as Element;
    expect(toSafeHtml({ type: 'root', children: [raw, comment, text('t')] })).toBe(
      '&lt;script&gt;x()&lt;/script&gt;t',
    );
  });
});
