import { cp, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createChatEngine } from '../../../../test/support/engine';
import { startScriptedProvider, type ScriptedProvider } from '../../../../test/support/scripted-provider';

const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures');
const TIDY = '2026-03-02-tidy-project';

let provider: ScriptedProvider;
beforeEach(async () => {
  provider = await startScriptedProvider();
});
afterEach(async () => {
  await provider.close();
});

/** A chat engine whose data folder holds the fixture's folders as they are (what an import copies). */
async function engineWith(...folders: Array<[from: string, id: string]>) {
  const engine = await createChatEngine(provider);
  for (const [from, id] of folders)
    await cp(path.join(FIXTURES, from), path.join(engine.dataDir, 'conversations', id), { recursive: true });
  return engine;
}

describe('a conversation gptme wrote', () => {
  it('is listed with its name from config.toml and its real counts', async () => {
    const engine = await engineWith([`gptme-logs/${TIDY}`, TIDY]);
    const { items } = await engine.services.conversations.list();
    expect(items).toEqual([
      expect.objectContaining({
        id: TIDY,
        name: 'Tidy the project',
        // 13 lines, one of them cut: 12 messages; 2 from the user and 4 from the assistant are shown.
        messageCount: 12,
        shownCount: 6,
        workspace: '/srv/gptme-fixture/project',
      }),
    ]);
  });

  it('opens in a window with every message, the cut line said, and continuing it sends what gptme would', async () => {
    const engine = await engineWith([`gptme-logs/${TIDY}`, TIDY]);
    const before = await readFile(
      path.join(engine.dataDir, 'conversations', TIDY, 'conversation.jsonl'),
      'utf8',
    );
    const context = engine.connect('w');
    const opened = await context.chat.open(TIDY);
    expect(opened.skippedLines).toBe(1);
    expect(opened.messages.map((m) => [m.role, m.hide ?? false])).toEqual([
      ['system', true],
      ['system', true],
      ['user', false],
      ['assistant', false],
      ['tool', false],
      ['assistant', false],
      ['system', false],
      ['tool', false],
      ['tool', false],
      ['assistant', false],
      ['user', false],
      ['assistant', false],
    ]);
    expect(opened.messages[3]).toMatchObject({
      content: 'Let me look.',
      tool_calls: [{ id: 'call_ls01', name: 'shell', args: { command: 'ls' } }],
      metadata: {
        model: 'openai/gpt-4o',
        cost: 0.0012,
        usage: { promptTokens: 1200, completionTokens: 30, cacheReadTokens: 800, cacheCreationTokens: 0 },
      },
    });
    // The old flat token form reads as the nested one.
    expect(opened.messages[5]?.metadata?.usage).toEqual({ promptTokens: 1500, completionTokens: 40 });
    // A zone, `Z`, or none (local time, as gptme wrote it).
    expect(opened.messages[2]?.timestamp).toBe('2026-03-02T09:01:00.000Z');
    expect(opened.messages[3]?.timestamp).toBe('2026-03-02T09:01:05.500Z');
    expect(opened.messages[5]?.timestamp).toBe(new Date(2026, 2, 2, 10, 1, 10).toISOString());

    provider.enqueue({ kind: 'stream', text: 'Nothing more to do.' });
    await (
      await context.chat.send('Anything else?')
    ).done;
    const body = provider.requests[0]!.body;
    // The model in config.toml, as gptme sent it to the API (its provider prefix is gptme's own).
    expect(body.model).toBe('gpt-4o');
    const [deskmatePrompt, ...history] = body.messages!;
    expect(deskmatePrompt?.role).toBe('system');
    expect(history).toEqual([
      { role: 'system', content: 'You are gptme v0.28, a general-purpose AI assistant powered by LLMs.' },
      { role: 'system', content: '# Selected files\n\n```README.md\n# Project\n```' },
      { role: 'user', content: 'List the files, then read the README.' },
      {
        role: 'assistant',
        content: 'Let me look.',
        tool_calls: [
          { id: 'call_ls01', type: 'function', function: { name: 'shell', arguments: '{"command":"ls"}' } },
        ],
      },
      {
        role: 'tool',
        tool_call_id: 'call_ls01',
        content: 'Ran command: `ls`\n\n```stdout\nREADME.md\nsrc\n```',
      },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_rd02',
            type: 'function',
            function: { name: 'read', arguments: '{"path":"README.md"}' },
          },
          {
            id: 'call_wc03',
            type: 'function',
            function: { name: 'shell', arguments: '{"command":"wc -l README.md"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'call_rd02', content: '```README.md\n# Project\nHello\n```' },
      {
        role: 'tool',
        tool_call_id: 'call_wc03',
        content: 'Ran command: `wc -l README.md`\n\n```stdout\n2 README.md\n```',
      },
      // Between the calls and their results in the log; after the results on the wire, as gptme sends it.
      { role: 'system', content: 'Warning: shellcheck found SC2086 in the command.' },
      { role: 'assistant', content: 'The README is two lines: a title and a greeting.' },
      { role: 'user', content: 'Thanks!' },
      { role: 'assistant', content: "You're welcome." },
      { role: 'user', content: 'Anything else?' },
    ]);
    // The calls in the history are history: nothing ran.
    expect(engine.events.get('w')!.some((e) => e.name.startsWith('tool.'))).toBe(false);
    // The old lines are still there byte for byte, the cut one included; the new ones follow.
    const after = await readFile(
      path.join(engine.dataDir, 'conversations', TIDY, 'conversation.jsonl'),
      'utf8',
    );
    expect(after.startsWith(before)).toBe(true);
    expect(after.split('\n').filter(Boolean)).toHaveLength(15);
  });

  it('in the markdown format, with no config.toml, is named after its first question', async () => {
    const engine = await engineWith(['gptme-logs/2026-03-01-markdown-tools', '2026-03-01-markdown-tools']);
    const opened = await engine.services.conversations.open('2026-03-01-markdown-tools');
    expect(opened).toMatchObject({
      name: 'What day is it?',
      messageCount: 6,
      shownCount: 3,
      skippedLines: 0,
    });
    // A line without a timestamp takes the file's time, as gptme does; the code block stays text.
    expect(opened.messages[1]?.timestamp).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(opened.messages[3]).toMatchObject({
      role: 'assistant',
      content: "I'll check.\n\n```shell\ndate\n```",
    });
    expect(opened.messages[3]).not.toHaveProperty('tool_calls');
  });
});

describe('a conversation Deskmate wrote before the gptme form', () => {
  it('keeps opening, its tool result a result of its call', async () => {
    const engine = await engineWith(['deskmate-logs/2026-02-01-a1b2c3', '2026-02-01-a1b2c3']);
    const context = engine.connect('w');
    const opened = await context.chat.open('2026-02-01-a1b2c3');
    expect(opened.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
    expect(opened.messages[1]?.tool_calls).toEqual([
      { id: 'call_d1', name: 'shell', args: { command: 'date' } },
    ]);
    expect(opened.messages[2]).toMatchObject({ call_id: 'call_d1', metadata: { exitCode: 0 } });
    provider.enqueue({ kind: 'stream', text: 'Still Sunday.' });
    await (
      await context.chat.send('And now?')
    ).done;
    expect(provider.requests[0]!.body.messages!.slice(1, 4)).toEqual([
      { role: 'user', content: 'Show the date' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_d1', type: 'function', function: { name: 'shell', arguments: '{"command":"date"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_d1', content: 'Sun Feb  1 09:00:03 UTC 2026\n[exit code 0]' },
    ]);
  });
});
