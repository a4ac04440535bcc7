import { describe, expect, it } from 'vitest';
import {
  conversationOf,
  hostileConversation,
  workedConversation,
} from '../../../../test/support/export-fixtures';
import type { Message } from '../../../shared/domain';
import { conversationToMarkdown, fenced } from './to-markdown';

const exportedAt = new Date('2026-12-01T08:00:00Z');

describe('conversationToMarkdown', () => {
  it('is a document with a title, a line about where it came from, and a heading per message', () => {
    const md = conversationToMarkdown(workedConversation(), { exportedAt });
    expect(
      md.startsWith(
        '# Fix the build\n\n_Exported from Deskmate on 2026-12-01 · 8 messages · in `/home/ada/project`_\n\n',
      ),
    ).toBe(true);
    expect(md.match(/^## .*$/gm)).toEqual([
      '## You · 2026-11-30 09:00',
      '## Deskmate · gpt-test · 2026-11-30 09:00',
      '## Deskmate · gpt-test · 2026-11-30 09:00',
      '## Deskmate · gpt-test · 2026-11-30 09:00',
    ]);
    expect(md).toContain(
      'Why does the build fail?\nIt says `tsc` exited 2.\n\nAttached: `/home/ada/project/build.log`',
    );
    expect(md).toContain('```ts\nexport const answer: number = 42;\n```');
    expect(md.endsWith('Done: the build passes.\n')).toBe(true);
  });

  it('gives each tool call what ran and how it ended, and folds its output', () => {
    const md = conversationToMarkdown(workedConversation(), { exportedAt });
    expect(md).toContain(
      '**shell**: exit 2\n\n```bash\nls src && npm run build\n```\n\n<details><summary>Output</summary>\n\n```text\nerror TS2322\n[exit code 2]\n```\n\n</details>',
    );
    expect(md).toContain('**save**: done\n\n```json\n{\n  "path": "src/answer.ts",');
    expect(md).toContain('**shell** (edited by the user): done\n\n```bash\nrm -rf dist/cache\n```');
    expect(md).toContain('**shell**: skipped');
  });

  it('folds system messages and results without a call, and says what failed, stopped or is missing', () => {
    const md = conversationToMarkdown(
      conversationOf([
        { id: 's', role: 'system', content: 'You are gptme.', timestamp: '2026-11-30T09:00:00' },
        { id: 'r', role: 'tool', call_id: 'gone', content: 'lost', timestamp: '2026-11-30T09:01:00' },
        { id: 'a', role: 'assistant', content: 'half', timestamp: 't', metadata: { interrupted: true } },
        {
          id: 'b',
          role: 'assistant',
          content: '',
          timestamp: 't',
          metadata: { failure: { name: 'ProviderError', message: 'bad <gateway>' } },
        },
      ]),
      { exportedAt, unreadableLines: 1 },
    );
    expect(md).toContain("> 1 line of this conversation's log could not be read and is not shown here");
    expect(md).toContain(
      '<details><summary>System message · 2026-11-30 09:00</summary>\n\n```text\nYou are gptme.\n```\n\n</details>',
    );
    expect(md).toContain('<details><summary>Tool result for call gone · 2026-11-30 09:01</summary>');
    expect(md).toContain('half\n\n_Stopped by the user._');
    expect(md).toContain('_This turn failed: ProviderError: bad &lt;gateway&gt;_');
  });

  it('keeps a message as written, and escapes what it writes itself: no heading or summary opens markup', () => {
    const md = conversationToMarkdown(hostileConversation(), { exportedAt });
    const title = md.split('\n')[0]!;
    expect(title.startsWith('# &lt;script&gt;window.pwned = 1&lt;/script&gt; &lt;img')).toBe(true);
    expect(md).toContain('## Deskmate · &lt;script&gt;window.pwned = 12&lt;/script&gt;');
    expect(md).toContain('**&lt;img src=x onerror=&quot;window.pwned=11&quot;&gt;**: done');
  });
});

describe('conversationToMarkdown, in the details', () => {
  const message = (extra: Partial<Message>): Message => ({
    id: 'm',
    role: 'assistant',
    content: 'text',
    timestamp: '2026-11-30T09:00:00',
    ...extra,
  });

  it('writes a path holding backticks as code that the backticks cannot end', () => {
    const md = conversationToMarkdown(
      conversationOf([message({ role: 'user', files: ['a`b.txt', '`x`', 'c``d'] })], { workspace: 'w`s' }),
      { exportedAt },
    );
    expect(md).toContain('Attached: ``a`b.txt``, `` `x` ``, ```c``d```');
    expect(md).toContain('· in ``w`s``_');
  });

  it('leaves out what a conversation does not have: a workspace, a model, an empty text', () => {
    const md = conversationToMarkdown(
      conversationOf([message({ content: ' \n ' }), message({ role: 'tool', content: 'plain' })], {
        workspace: undefined,
      }),
      { exportedAt },
    );
    expect(md).toBe(
      [
        '# Fix the build',
        '_Exported from Deskmate on 2026-12-01 · 2 messages_',
        '## Deskmate · 2026-11-30 09:00',
        '<details><summary>Tool message · 2026-11-30 09:00</summary>\n\n```text\nplain\n```\n\n</details>\n',
      ].join('\n\n'),
    );
  });

  it('shows a shell call without a command as its arguments, and a call never run without output', () => {
    const md = conversationToMarkdown(
      conversationOf([message({ tool_calls: [{ id: 'c', name: 'shell', args: { cmd: 'ls' } }] })]),
      { exportedAt },
    );
    expect(md).toContain('**shell**: not run\n\n```json\n{\n  "cmd": "ls"\n}\n```');
    expect(md).not.toContain('<summary>Output');
  });
});

describe('fenced', () => {
  it('uses a fence longer than any run of backticks inside, so the text cannot close it', () => {
    expect(fenced('plain')).toBe('```\nplain\n```');
    expect(fenced('a\n', 'sh')).toBe('```sh\na\n```');
    expect(fenced('```js\nx\n```')).toBe('````\n```js\nx\n```\n````');
    expect(fenced('`````')).toBe('``````\n`````\n``````');
  });
});
