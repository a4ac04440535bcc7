// The turn loop with a tool source that is not the built-in one: listed asynchronously, with a
// tool name Deskmate does not have (as an MCP server's would be). The model is the real OpenAI
// model on the scripted provider, the only fake.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toolContext } from '../../../../test/support/tool-context';
import { startScriptedProvider, type ScriptedProvider } from '../../../../test/support/scripted-provider';
import type { Message } from '../../../shared/domain';
import { NamedError } from '../../../shared/errors';
import { DEFAULT_CONFIG } from '../config/defaults';
import { Provider } from '../llm/provider';
import type { SourcedTool, ToolSource } from '../tools/tool-source';
import { ApprovalGate } from './approval-gate';
import { runTurn, type TurnDeps } from './turn-loop';

let scripted: ScriptedProvider;
beforeEach(async () => {
  scripted = await startScriptedProvider();
});
afterEach(async () => scripted.close());

const at = new Date('2026-01-01T00:00:00.000Z');

/** A source that answers after a pause, counting how often it is asked. */
function slowSource(tools: readonly SourcedTool[]) {
  const source = {
    listings: 0,
    async list(signal: AbortSignal) {
      source.listings++;
      await new Promise((resolve) => setTimeout(resolve, 20));
      signal.throwIfAborted();
      return tools;
    },
  };
  return source satisfies ToolSource;
}

const lookup = (seen: unknown[]): SourcedTool => ({
  spec: {
    name: 'wiki_lookup',
    description: 'Looks a word up.',
    parameters: { type: 'object', properties: { word: { type: 'string' } }, required: ['word'] },
  },
  needsApproval: false,
  check: (args) =>
    typeof args.word === 'string'
      ? { execute: async () => (seen.push(args.word), `${String(args.word)}: a small bird`) }
      : new NamedError('InvalidToolArguments', 'word must be a string'),
});

async function turn(tools: ToolSource) {
  const config = { ...DEFAULT_CONFIG, model: 'scripted-model', maxSteps: 4 };
  const saved: Message[] = [];
  const deps: TurnDeps = {
    turnId: 't1',
    conversationId: 'c1',
    config,
    model: new Provider({ provider: { baseUrl: scripted.url }, requestTimeoutMs: 5_000 }).languageModel(
      config,
    ),
    tools,
    gate: new ApprovalGate(),
    signal: new AbortController().signal,
    history: [{ id: 'u1', role: 'user', content: 'What is a wren?', timestamp: at.toISOString() }],
    systemPrompt: 'You are Deskmate.',
    append: async (message) => void saved.push(message),
    emit: () => undefined,
    // No workspace: the tools of this source need none.
    toolContext: () => toolContext('/nonexistent'),
    workspace: () => null,
    now: () => at,
  };
  return { outcome: await runTurn(deps), saved };
}

describe('a turn with a tool source of its own', () => {
  it('lists the source once, offers the model its tools, and runs the one called', async () => {
    scripted.enqueue(
      { kind: 'stream', toolCalls: [{ id: 'call_1', name: 'wiki_lookup', args: { word: 'wren' } }] },
      { kind: 'stream', text: 'A small bird.' },
    );
    const seen: unknown[] = [];
    const source = slowSource([lookup(seen)]);
    const { outcome, saved } = await turn(source);
    expect(outcome).toEqual({ reason: 'stop' });
    expect(source.listings).toBe(1);
    expect(scripted.requests.map((r) => r.body.tools?.map((t) => t.function.name))).toEqual([
      ['wiki_lookup'],
      ['wiki_lookup'],
    ]);
    expect(seen).toEqual(['wren']);
    expect(saved.map((m) => [m.role, m.content])).toEqual([
      ['assistant', ''],
      ['tool', 'wren: a small bird'],
      ['assistant', 'A small bird.'],
    ]);
  });

  it("arguments its tool refuses are the model's to fix, and a tool it lacks is named with those it has", async () => {
    scripted.enqueue(
      {
        kind: 'stream',
        toolCalls: [
          { id: 'call_1', name: 'wiki_lookup', args: { word: 7 } },
          { id: 'call_2', name: 'shell', args: { command: 'ls' } },
        ],
      },
      { kind: 'stream', text: 'Sorry.' },
    );
    const seen: unknown[] = [];
    const { saved } = await turn(slowSource([lookup(seen)]));
    expect(saved.filter((m) => m.role === 'tool').map((m) => m.content)).toEqual([
      'Error (InvalidToolArguments): word must be a string',
      'Error (UnknownTool): There is no tool named shell. Available: wiki_lookup.',
    ]);
    expect(seen).toEqual([]);
  });
});
