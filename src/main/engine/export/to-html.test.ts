// @vitest-environment jsdom
// Parsed by a real HTML parser, as a browser would read the file.
import { describe, expect, it } from 'vitest';
import {
  conversationOf,
  HOSTILE_STRINGS,
  hostileConversation,
  workedConversation,
} from '../../../../test/support/export-fixtures';
import { conversationToHtml } from './to-html';

const exportedAt = new Date('2026-12-01T08:00:00Z');

function page(html: string) {
  return new DOMParser().parseFromString(html, 'text/html');
}

describe('conversationToHtml', () => {
  it('is one page with its style inlined and a policy that lets it load nothing', () => {
    const html = conversationToHtml(workedConversation(), { exportedAt });
    const doc = page(html);
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(doc.title).toBe('Fix the build');
    expect(doc.querySelectorAll('style')).toHaveLength(1);
    expect(doc.querySelector('style')!.textContent).toContain('prefers-color-scheme: dark');
    expect(doc.querySelectorAll('script, link, img, iframe, [src]')).toHaveLength(0);
    const csp = doc.querySelector('meta[http-equiv="Content-Security-Policy"]')!.getAttribute('content');
    expect(csp).toContain("default-src 'none'");
    expect(doc.querySelector('h1')!.textContent).toBe('Fix the build');
    expect(doc.querySelector('.meta')!.textContent).toBe(
      'Exported from Deskmate on 2026-12-01 · 8 messages · in /home/ada/project',
    );
  });

  it('shows each user and assistant message once, in order, with who said it and when', () => {
    const doc = page(conversationToHtml(workedConversation(), { exportedAt }));
    const articles = [...doc.querySelectorAll('article.message')];
    expect(articles.map((a) => a.className)).toEqual([
      'message user',
      'message assistant',
      'message assistant',
      'message assistant',
    ]);
    expect(articles[0]!.querySelector('.who')!.textContent).toBe('You2026-11-30 09:00');
    expect(articles[0]!.querySelector('time')!.getAttribute('datetime')).toBe('2026-11-30T09:00:00.000Z');
    // A user's text is shown as typed, line breaks and backticks included.
    expect(articles[0]!.querySelector('.user-text')!.textContent).toBe(
      'Why does the build fail?\nIt says `tsc` exited 2.',
    );
    expect(articles[0]!.querySelector('.files')!.textContent).toBe('/home/ada/project/build.log');
    expect(articles[1]!.querySelector('.model')!.textContent).toBe('gpt-test');
    expect(articles[3]!.querySelector('.markdown')!.textContent).toBe('Done: the build passes.');
  });

  it("highlights code now: a reply's fenced block, a shell command and a saved file", () => {
    const doc = page(conversationToHtml(workedConversation(), { exportedAt }));
    const block = doc.querySelector('.markdown .code-block')!;
    expect(block.querySelector('.code-lang')!.textContent).toBe('ts');
    const code = block.querySelector('pre > code')!;
    expect(code.classList.contains('hljs')).toBe(true);
    expect(code.querySelector('.hljs-keyword')!.textContent).toBe('export');
    expect(code.textContent).toBe('export const answer: number = 42;\n');
    const [shell, save] = [...doc.querySelectorAll('details.tool')];
    expect(shell!.querySelector('code.language-bash .hljs-built_in')!.textContent).toBe('ls');
    expect(save!.querySelector('code.language-ts .hljs-keyword')!.textContent).toBe('export');
    // A block without a language is left plain rather than guessed at.
    const plain = page(
      conversationToHtml(
        conversationOf([{ id: 'a', role: 'assistant', content: '```\nconst x = 1\n```', timestamp: 't' }]),
        {
          exportedAt,
        },
      ),
    );
    expect(plain.querySelector('pre > code')!.innerHTML).toBe('const x = 1\n');
  });

  it('folds every tool call under a summary of what ran and how it ended, its output inside', () => {
    const doc = page(conversationToHtml(workedConversation(), { exportedAt }));
    const tools = [...doc.querySelectorAll('article details.tool')];
    expect(tools).toHaveLength(4);
    for (const tool of tools) expect(tool.hasAttribute('open')).toBe(false);
    const summary = (i: number) =>
      [...tools[i]!.querySelector('summary')!.children].map((c) => `${c.className}=${c.textContent}`);
    expect(summary(0)).toEqual([
      'tool-name=shell',
      'tool-brief=ls src && npm run build',
      'tool-outcome failed=exit 2',
    ]);
    expect(summary(1)).toEqual(['tool-name=save', 'tool-brief=src/answer.ts', 'tool-outcome=done']);
    expect(summary(2)).toEqual([
      'tool-name=shell',
      'tool-brief=rm -rf dist/cache',
      'tool-edited=edited',
      'tool-outcome=done',
    ]);
    expect(summary(3)).toEqual(['tool-name=shell', 'tool-brief=git push', 'tool-outcome=skipped']);
    expect(tools[0]!.querySelector('.tool-output')!.textContent).toBe('error TS2322\n[exit code 2]');
    expect(tools[1]!.querySelector('.tool-path')!.textContent).toBe('src/answer.ts');
    // The call shows what ran: the user's edit, said to be one.
    expect(tools[2]!.querySelector('.tool-label')!.textContent).toBe('Ran as (edited by the user)');
    expect(tools[2]!.querySelector('code')!.textContent).toBe('rm -rf dist/cache');
    // Each call sits with the reply that made it.
    expect(tools[0]!.closest('article')!.querySelector('.markdown')!.textContent).toBe('Let me look.');
  });

  it('has a head that sends no referrer, fits a phone, and says its language and encoding', () => {
    const html = conversationToHtml(workedConversation(), { exportedAt });
    const doc = page(html);
    expect(doc.documentElement.lang).toBe('en');
    expect(doc.querySelector('meta[charset]')!.getAttribute('charset')).toBe('utf-8');
    expect(doc.querySelector('meta[name="referrer"]')!.getAttribute('content')).toBe('no-referrer');
    expect(doc.querySelector('meta[name="viewport"]')!.getAttribute('content')).toContain(
      'width=device-width',
    );
    expect(doc.head.querySelector('title')).not.toBeNull();
    expect(doc.body.querySelector('main')).not.toBeNull();
    expect(html.endsWith('</body>\n</html>\n')).toBe(true);
  });

  it("shows each tool's call the way its card does: a file's path and content, a patch, else the arguments", () => {
    const at = '2026-11-30T09:00:00';
    const doc = page(
      conversationToHtml(
        conversationOf(
          [
            {
              id: 'a',
              role: 'assistant',
              content: 'on it',
              timestamp: at,
              tool_calls: [
                { id: 's', name: 'save', args: { path: 'src/App.TSX', content: 'x' } },
                { id: 'p', name: 'append', args: { path: 'NOTES', content: 'y' } },
                { id: 'q', name: 'patch', args: { path: 'a.py', patch: '<<<<<<< ORIGINAL' } },
                { id: 'c', name: 'shell', args: { cmd: 'ls' } },
              ],
            },
            { id: 'r', role: 'system', call_id: 's', content: 'Saved', timestamp: at },
            { id: 't', role: 'tool', content: 'stray', timestamp: at },
          ],
          { workspace: undefined },
        ),
        { exportedAt },
      ),
    );
    expect(doc.querySelector('.meta')!.textContent).toBe('Exported from Deskmate on 2026-12-01 · 3 messages');
    expect(doc.querySelector('.who')!.textContent).toBe('Deskmate2026-11-30 09:00');
    const tools = [...doc.querySelectorAll('details.tool')];
    const body = (i: number) => tools[i]!.querySelector('.tool-body')!;
    expect(tools.map((tool) => tool.querySelector('.tool-path')?.textContent)).toEqual([
      'src/App.TSX',
      'append to NOTES',
      'a.py',
      undefined,
    ]);
    expect(tools.map((tool) => tool.querySelector('pre > code')!.className)).toEqual([
      'hljs language-tsx',
      '',
      '',
      'hljs language-json',
    ]);
    expect(body(1).querySelector('code')!.textContent).toBe('y');
    expect(body(2).querySelector('code')!.textContent).toBe('<<<<<<< ORIGINAL');
    expect(body(3).querySelector('code')!.textContent).toBe('{\n  "cmd": "ls"\n}');
    // Only a call that ran has an output; each says what it shows.
    expect([...body(0).querySelectorAll('.tool-label')].map((label) => label.textContent)).toEqual([
      'Call',
      'Output',
    ]);
    expect(body(0).querySelector('pre.tool-output')!.textContent).toBe('Saved');
    expect([...body(3).querySelectorAll('.tool-label')].map((label) => label.textContent)).toEqual(['Call']);
    expect(body(3).querySelector('.tool-output')).toBeNull();
    expect(doc.querySelector('details.system > summary')!.textContent).toBe('Tool message2026-11-30 09:00');
  });

  it('keeps what has no place in a message folded on its own: system messages, results without a call', () => {
    const doc = page(
      conversationToHtml(
        conversationOf([
          { id: 's', role: 'system', content: 'You are gptme.', timestamp: '2026-11-30T09:00:00' },
          {
            id: 'r',
            role: 'system',
            call_id: 'lost',
            content: 'orphan output',
            timestamp: '2026-11-30T09:00:01',
          },
          {
            id: 'a',
            role: 'assistant',
            content: 'ran it',
            timestamp: '2026-11-30T09:00:02',
            tool_calls: [{ id: 'c', name: 'shell', args: { command: 'ls' } }],
          },
          { id: 'g', role: 'system', call_id: 'c', content: 'a.txt', timestamp: '2026-11-30T09:00:03' },
        ]),
        { exportedAt },
      ),
    );
    const folded = [...doc.querySelectorAll('main > details.system')];
    expect(folded.map((d) => d.querySelector('summary')!.textContent)).toEqual([
      'System message2026-11-30 09:00',
      'Tool result for call lost2026-11-30 09:00',
    ]);
    expect(folded.map((d) => d.hasAttribute('open'))).toEqual([false, false]);
    expect(folded[1]!.querySelector('pre')!.textContent).toBe('orphan output');
    // gptme's form of a result (a system message naming the call) joins its call like Deskmate's own.
    expect(doc.querySelector('article details.tool .tool-output')!.textContent).toBe('a.txt');
  });

  it('says when lines of the log could not be shown, and what failed or was stopped', () => {
    const doc = page(
      conversationToHtml(
        conversationOf([
          { id: 'a', role: 'assistant', content: 'partial', timestamp: 't', metadata: { interrupted: true } },
          {
            id: 'b',
            role: 'assistant',
            content: '',
            timestamp: 't',
            metadata: { failure: { name: 'RateLimited', message: 'Slow down' } },
          },
        ]),
        { exportedAt, unreadableLines: 2 },
      ),
    );
    expect(doc.querySelector('header .note')!.textContent).toContain('2 lines of this conversation');
    expect([...doc.querySelectorAll('article .note')].map((n) => n.textContent)).toEqual([
      'Stopped by the user.',
      'This turn failed: RateLimited: Slow down',
    ]);
    expect(
      page(conversationToHtml(workedConversation(), { exportedAt })).querySelector('header .note'),
    ).toBeNull();
  });

  describe('a conversation written by an attacker', () => {
    const html = conversationToHtml(hostileConversation(), { exportedAt });

    it('holds nothing that could run: no script, no handler, no frame, no form', () => {
      const doc = page(html);
      expect(
        doc.querySelectorAll('script, iframe, img, svg, link, object, embed, form, input, base'),
      ).toHaveLength(0);
      expect(doc.querySelectorAll('style')).toHaveLength(1);
      const attributes = [...doc.querySelectorAll('*')].flatMap((el) =>
        [...el.attributes].map((a) => a.name),
      );
      expect(
        attributes.filter((name) => name.startsWith('on') || name === 'src' || name === 'style'),
      ).toEqual([]);
    });

    it('links only to web addresses and loads no image', () => {
      const doc = page(html);
      const hrefs = [...doc.querySelectorAll('[href]')].map((a) => a.getAttribute('href'));
      expect(hrefs).toEqual(['https://example.com/ok']);
      expect(doc.querySelector('a[href]')!.getAttribute('rel')).toBe('noopener noreferrer');
      // A link that was not kept still shows its text; an image is named, not fetched.
      expect(doc.body.textContent).toContain('click');
      expect(doc.body.textContent).toContain('[image: tracker (http://127.0.0.1:9/tracker.png)]');
    });

    it('shows every hostile string as the text it is', () => {
      const doc = page(html);
      expect(doc.querySelector('title')!.textContent).toBe(HOSTILE_STRINGS.join('\n'));
      const user = doc.querySelector('.user-text')!.textContent!;
      expect(user).toBe(HOSTILE_STRINGS.join('\n'));
      expect([...doc.querySelectorAll('.files li')].map((li) => li.textContent)).toEqual([
        ...HOSTILE_STRINGS,
      ]);
      const reply = doc.querySelector('.markdown')!.textContent!;
      for (const evil of ['<script>window.pwned = 1</script>', '<svg onload="window.pwned = 3">'])
        expect(reply).toContain(evil);
      expect(doc.querySelector('.model')!.textContent).toBe('<script>window.pwned = 12</script>');
      expect(doc.querySelector('.tool-name')!.textContent).toBe('<img src=x onerror="window.pwned=11">');
      expect(doc.querySelector('.tool-output')!.textContent).toBe(HOSTILE_STRINGS.join('\n'));
      // Nothing from the conversation closed the page's own elements early: one main, every message in it.
      expect(doc.querySelectorAll('main')).toHaveLength(1);
      expect(doc.querySelectorAll('main > article, main > details')).toHaveLength(3);
    });
  });
});
