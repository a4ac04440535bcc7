// Conversations for the exporters' tests: one as a user makes it (code, tool calls of every
// ending), and one written by an attacker who controls every string a model or a log can hold.
import type { ConversationDetail, Message } from '../../src/shared/domain';

const at = (second: number) => new Date(Date.UTC(2026, 10, 30, 9, 0, second)).toISOString();

export function conversationOf(
  messages: Message[],
  extra: Partial<ConversationDetail> = {},
): ConversationDetail {
  return {
    id: '2026-11-30-abc123',
    name: 'Fix the build',
    messageCount: messages.length,
    shownCount: messages.filter((m) => m.role === 'user' || m.role === 'assistant').length,
    updatedAt: at(59),
    workspace: '/home/ada/project',
    messages,
    ...extra,
  };
}

/** Code in a reply, a shell call that failed, a save that worked, an edited call, a skipped one. */
export function workedConversation(): ConversationDetail {
  return conversationOf([
    {
      id: 'u1',
      role: 'user',
      content: 'Why does the build fail?\nIt says `tsc` exited 2.',
      timestamp: at(0),
      files: ['/home/ada/project/build.log'],
    },
    {
      id: 'a1',
      role: 'assistant',
      content: 'Let me look.',
      timestamp: at(1),
      tool_calls: [{ id: 'call-ls', name: 'shell', args: { command: 'ls src && npm run build' } }],
      metadata: { model: 'gpt-test' },
    },
    {
      id: 't1',
      role: 'tool',
      call_id: 'call-ls',
      content: 'error TS2322\n[exit code 2]',
      timestamp: at(2),
      metadata: { exitCode: 2 },
    },
    {
      id: 'a2',
      role: 'assistant',
      content: 'The fix:\n\n```ts\nexport const answer: number = 42;\n```\n\nSaving it now.',
      timestamp: at(3),
      tool_calls: [
        {
          id: 'call-save',
          name: 'save',
          args: { path: 'src/answer.ts', content: 'export const answer: number = 42;\n' },
        },
        { id: 'call-edit', name: 'shell', args: { command: 'rm -rf dist' } },
        { id: 'call-skip', name: 'shell', args: { command: 'git push' } },
      ],
      metadata: { model: 'gpt-test' },
    },
    { id: 't2', role: 'tool', call_id: 'call-save', content: 'Saved src/answer.ts', timestamp: at(4) },
    {
      id: 't3',
      role: 'tool',
      call_id: 'call-edit',
      content:
        '[edited by the user before it ran; it ran as: {"command":"rm -rf dist/cache"}]\n[exit code 0]',
      timestamp: at(5),
      metadata: { args: { command: 'rm -rf dist/cache' }, edited: true, exitCode: 0 },
    },
    { id: 't4', role: 'tool', call_id: 'call-skip', content: 'Skipped by the user.', timestamp: at(6) },
    {
      id: 'a3',
      role: 'assistant',
      content: 'Done: the build passes.',
      timestamp: at(7),
      metadata: { model: 'gpt-test' },
    },
  ]);
}

/** Every place a string can reach the page, each trying to run or load something. */
export const HOSTILE_STRINGS = Object.freeze([
  '<script>window.pwned = 1</script>',
  '<img src="http://127.0.0.1:9/pixel.png" onerror="window.pwned = 2">',
  '<svg onload="window.pwned = 3"></svg>',
  '<iframe src="http://127.0.0.1:9/frame"></iframe>',
  '<link rel="stylesheet" href="http://127.0.0.1:9/style.css">',
  '<style>@import url(http://127.0.0.1:9/import.css);</style>',
  '</style></pre></details></article><script>window.pwned = 4</script>',
  '"><script>window.pwned = 5</script>',
  "' onmouseover='window.pwned = 6",
]);

export function hostileConversation(): ConversationDetail {
  const evil = HOSTILE_STRINGS.join('\n');
  return conversationOf(
    [
      { id: 'u1', role: 'user', content: evil, timestamp: at(0), files: [...HOSTILE_STRINGS] },
      {
        id: 'a1',
        role: 'assistant',
        content: [
          evil,
          '[click](javascript:window.pwned=7) [data](data:text/html,<script>alert(1)</script>) [web](https://example.com/ok)',
          '![tracker](http://127.0.0.1:9/tracker.png)',
          '[ref][1]\n\n[1]: javascript:window.pwned=8',
          '```html\n<script>window.pwned = 9</script>\n```',
          '<details open><summary>fake</summary><script>window.pwned = 10</script></details>',
        ].join('\n\n'),
        timestamp: at(1),
        tool_calls: [
          {
            id: 'call-x',
            name: '<img src=x onerror="window.pwned=11">',
            args: { command: evil, path: evil },
          },
        ],
        metadata: { model: '<script>window.pwned = 12</script>', failure: { name: '<b>', message: evil } },
      },
      {
        id: 't1',
        role: 'tool',
        call_id: 'call-x',
        content: evil,
        timestamp: '"><script>window.pwned=13</script>',
      },
      { id: 's1', role: 'system', content: evil, timestamp: at(3) },
    ],
    { name: evil, workspace: evil },
  );
}
