// A patch searches its file on the main thread, where nothing else runs until it returns: not
// Stop, not another window. Through the real engine (scripted provider, real tools, two
// contexts), a patch whose ORIGINAL is `,` on a 30,000-line file, which once held it for 24 s;
// and the patch tool itself, stopped in the middle of thousands of hunks.
import { readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { EventName, EventPayload } from '../../../shared/contract';
import { NamedError } from '../../../shared/errors';
import { bounded } from '../../../../test/support/bounded';
import {
  createChatEngine,
  makeWorkspace,
  waitForEvent,
  type RecordedEvent,
  type TestEngine,
} from '../../../../test/support/engine';
import { byConversation, type ConversationScripts } from '../../../../test/support/by-conversation';
import { startScriptedProvider, type ScriptedProvider } from '../../../../test/support/scripted-provider';
import { toolContext } from '../../../../test/support/tool-context';
import { patchTool } from './patch';

const PATCH = ['<<<<<<< ORIGINAL', ',', '=======', ';', '>>>>>>> UPDATED'].join('\n');

const SCRIPTS: ConversationScripts = {
  'patch the commas': {
    first: {
      kind: 'stream',
      toolCalls: [{ id: 'p1', name: 'patch', args: { path: 'big.csv', patch: PATCH } }],
    },
    // Whatever the patch answered, the turn then waits on a provider that never answers: only
    // Stop ends it.
    then: { kind: 'hang' },
  },
  // A reply that streams for about half a second, so the other window's turn is under way while
  // the patch runs.
  hello: { first: { kind: 'stream', text: 'hello from the other window', chunkSize: 1, delayMs: 20 } },
};

let provider: ScriptedProvider | undefined;
let engine: TestEngine | undefined;
afterEach(async () => {
  engine?.registry.dispose();
  engine = undefined;
  await provider?.close();
  provider = undefined;
});

it('Stop 50 ms into a patch of `,` on a 30,000-line file ends the turn within 1 s, and another window’s turn completes meanwhile', async () => {
  provider = await startScriptedProvider({ respond: byConversation(SCRIPTS) });
  engine = await createChatEngine(provider);
  const content = `${Array.from({ length: 30_000 }, (_, index) => `entry ${index},`).join('\n')}\n`;
  const workspace = await makeWorkspace({ 'big.csv': content });

  const other = engine.connect('other');
  await other.openWorkspace(await makeWorkspace());

  let ended: (payload: EventPayload<'turn.completed'>) => void = () => undefined;
  const turnEnded = new Promise<EventPayload<'turn.completed'>>((resolve) => (ended = resolve));
  let stopped: Promise<unknown> | undefined;
  let otherTurn: Promise<unknown> | undefined;
  const log: RecordedEvent[] = [];
  const patcher = engine.registry.create(
    'patcher',
    <E extends EventName>(name: E, payload: EventPayload<E>) => {
      log.push({ name, payload });
      if (name === 'turn.completed') ended(payload as EventPayload<'turn.completed'>);
      if (name !== 'tool.started' || stopped) return;
      // Everything is set in motion as the tool starts, timers included: a search that holds the
      // main thread makes them late, and bounded() then fails rather than waiting for the search.
      setTimeout(() => patcher.chat.interrupt(), 50);
      stopped = bounded(turnEnded, 50 + 1_000, 'the turn stopped 50 ms after its patch started');
      otherTurn = bounded(
        other.chat.send('hello').then(({ done }) => done),
        2_000,
        'the other window’s turn',
      );
    },
  );
  await patcher.openWorkspace(workspace);
  patcher.setChatConfig({ autoApprove: 'always' });

  await patcher.chat.send('patch the commas');
  await waitForEvent(log, 'tool.started');
  const [stop] = await Promise.all([stopped, otherTurn]);
  expect(stop).toMatchObject({ reason: 'interrupted' });

  expect((await waitForEvent(engine.events.get('other'), 'turn.completed')).reason).toBe('stop');
  const otherMessages = (await engine.services.conversations.open(other.chat.conversationId!)).messages;
  expect(otherMessages.at(-1)).toMatchObject({ role: 'assistant', content: 'hello from the other window' });
  // The patch call has its result in the log (the ambiguity, or the interruption if Stop came
  // first), and the file is as it was.
  const patcherMessages = (await engine.services.conversations.open(patcher.chat.conversationId!)).messages;
  expect(patcherMessages.find((message) => message.role === 'tool')).toMatchObject({ call_id: 'p1' });
  expect(await readFile(path.join(workspace, 'big.csv'), 'utf8')).toBe(content);
});

it('Stop in the middle of a patch of thousands of hunks ends it between two, and the file is as it was', async () => {
  const rows = 100_000;
  const content = `${Array.from({ length: rows }, (_, index) => `row ${index} = ${index * 7}`).join('\n')}\n`;
  const workspace = await realpath(await makeWorkspace({ 'rows.txt': content }));
  // Each hunk reads the whole file (near 2 MB): seconds in all, so the signal is looked at between hunks.
  const patch = Array.from({ length: 3_000 }, (_, hunk) => {
    const row = rows - 1 - hunk;
    return `<<<<<<< ORIGINAL\nrow ${row} = ${row * 7}\n=======\nrow ${row} = 0\n>>>>>>> UPDATED`;
  }).join('\n');
  const controller = new AbortController();
  const running = patchTool.execute(
    { path: 'rows.txt', patch },
    toolContext(workspace, { signal: controller.signal }),
  );
  setTimeout(() => controller.abort(new NamedError('Interrupted', 'Interrupted by the user')), 100);
  await expect(bounded(running, 2_000, 'the stopped patch')).rejects.toMatchObject({ name: 'Interrupted' });
  expect(await readFile(path.join(workspace, 'rows.txt'), 'utf8')).toBe(content);
});
