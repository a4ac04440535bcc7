import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Message } from '../src/shared/domain';
import { ConversationStore } from '../src/main/engine/conversation-store/conversation-store';
import { progress } from './support/progress';
import type { Scope } from './support/scope';
import { median, ratio, round, since } from './support/stats';

const CONVERSATIONS = 10_000;
const BIG_MESSAGES = 10_000;
const PAGE = 50;
const RUNS = 7;
const GENERATE_CONCURRENCY = 32;
const TARGET_FIRST_PAGE_MS = 100;

function messages(count: number, seed: number, start: number): Message[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `m-${seed}-${i}`,
    role: i % 2 === 0 ? ('user' as const) : ('assistant' as const),
    content:
      i % 2 === 0
        ? `Question ${i} about conversation ${seed}: why does the parser drop carriage returns?`
        : `Answer ${i}: the tokenizer splits on \\n only, so a \\r stays at the end of each line. `.repeat(3),
    timestamp: new Date(start + i * 1000).toISOString(),
  }));
}

async function inParallel(count: number, limit: number, task: (index: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

/**
 * Writes the data set through the store's own API (create, then replaceMessages), so it is on disk in
 * exactly the store's format, whatever that becomes. A clock one minute apart per call gives every
 * conversation its own updatedAt, and ids across many days.
 */
async function generate(dataDir: string): Promise<{ bigId: string; ms: number }> {
  const start = performance.now();
  let tick = Date.parse('2024-01-01T00:00:00Z');
  const store = new ConversationStore(dataDir, { now: () => new Date((tick += 60_000)) });
  let bigId = '';
  await inParallel(CONVERSATIONS, GENERATE_CONCURRENCY, async (i) => {
    const { id } = await store.create({
      name: `Conversation ${i}`,
      workspace: i % 3 ? null : '/home/user/project',
    });
    const big = i === Math.floor(CONVERSATIONS / 2);
    await store.replaceMessages(id, messages(big ? BIG_MESSAGES : 4, i, tick));
    if (big) bigId = id;
    if ((i + 1) % 2_000 === 0) progress('list', `generated ${i + 1}/${CONVERSATIONS}`);
  });
  return { bigId, ms: since(start) };
}

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await run();
  return { ms: since(start), value };
}

const r2 = (value: number) => round(value, 2);

export async function benchList(scope: Scope) {
  const dataDir = await scope.tempDir('list');
  const root = path.join(dataDir, 'conversations');
  progress(
    'list',
    `generating ${CONVERSATIONS} conversations (one of ${BIG_MESSAGES} messages) through the store`,
  );
  const { bigId, ms: generateMs } = await generate(dataDir);

  progress('list', 'measuring');
  // Each cold call gets a store of its own, as a host starting up does. The OS page cache is warm
  // (the files were just written): this measures the store, not the disk.
  const cold: number[] = [];
  let warmStore: ConversationStore | undefined;
  for (let i = 0; i < RUNS; i++) {
    const store = new ConversationStore(dataDir);
    const { ms, value } = await timed(() => store.list({ limit: PAGE }));
    if (value.items.length !== PAGE || value.total !== CONVERSATIONS)
      throw new Error(
        `list gave ${value.items.length} items of ${value.total}, expected ${PAGE} of ${CONVERSATIONS}`,
      );
    cold.push(ms);
    warmStore = store;
  }
  const warm: number[] = [];
  for (let i = 0; i < RUNS; i++) warm.push((await timed(() => warmStore!.list({ limit: PAGE }))).ms);
  const floor: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const { ms, value } = await timed(() => readdir(root, { withFileTypes: true }));
    if (value.length < CONVERSATIONS) throw new Error(`readdir saw ${value.length} entries`);
    floor.push(ms);
  }

  const open: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const store = new ConversationStore(dataDir);
    const { ms, value } = await timed(() => store.open(bigId));
    if (value.messages.length !== BIG_MESSAGES)
      throw new Error(`open gave ${value.messages.length} messages`);
    open.push(ms);
  }
  const parse: number[] = [];
  const log = path.join(root, bigId, 'conversation.jsonl');
  for (let i = 0; i < RUNS; i++) {
    const { ms, value } = await timed(async () =>
      (await readFile(log, 'utf8'))
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as unknown),
    );
    if (value.length !== BIG_MESSAGES) throw new Error(`the log has ${value.length} lines`);
    parse.push(ms);
  }

  const firstPage = median(cold);
  return {
    dataSet: {
      conversations: CONVERSATIONS,
      bigConversationMessages: BIG_MESSAGES,
      generatedInMs: Math.round(generateMs),
      note: 'written through ConversationStore.create + replaceMessages; page cache warm',
    },
    firstPage: {
      what: `ConversationStore.list({ limit: ${PAGE} }) on a fresh store (a host starting cold)`,
      medianMs: r2(firstPage),
      runsMs: cold.map(r2),
      baseline: {
        what: 'readdir(conversations, { withFileTypes: true }): the floor any list pays',
        medianMs: r2(median(floor)),
        runsMs: floor.map(r2),
      },
      ratio: ratio(firstPage, median(floor)),
      target: `first page < ${TARGET_FIRST_PAGE_MS} ms`,
      pass: firstPage < TARGET_FIRST_PAGE_MS,
    },
    warmSecondCall: {
      what: 'the same call again on the same store',
      medianMs: r2(median(warm)),
      runsMs: warm.map(r2),
      ratio: ratio(median(warm), median(floor)),
    },
    open: {
      what: `ConversationStore.open of the ${BIG_MESSAGES}-message conversation, fresh store`,
      medianMs: r2(median(open)),
      runsMs: open.map(r2),
      baseline: {
        what: 'readFile + split + JSON.parse of every line: the floor',
        medianMs: r2(median(parse)),
      },
      ratio: ratio(median(open), median(parse)),
    },
  };
}
