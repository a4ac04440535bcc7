import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createChatEngine, makeWorkspace, type RecordedEvent } from '../../../../test/support/engine';
import {
  startScriptedProvider,
  type RecordedRequest,
  type ScriptedProvider,
  type Step,
} from '../../../../test/support/scripted-provider';

let provider: ScriptedProvider;
afterEach(async () => provider.close());

/** Which conversation a request belongs to, from the secret word in its first user message. */
function owner(request: RecordedRequest): string {
  const first = request.body.messages?.find((m) => m.role === 'user');
  return /secret-(\w+)/.exec(String(first?.content))?.[1] ?? '?';
}

function script(request: RecordedRequest): Step {
  const who = owner(request);
  const toolResults = request.body.messages?.filter((m) => m.role === 'tool').length ?? 0;
  const slow = { delayMs: 15 };
  if (toolResults === 0) {
    return {
      kind: 'stream',
      text: `Setting up ${who}.`,
      ...slow,
      toolCalls: [
        {
          name: 'shell',
          args: { command: `mkdir -p sub-${who} && cd sub-${who} && export WHO=${who} && pwd` },
        },
        { name: 'save', args: { path: `mine-${who}.txt`, content: `belongs to ${who}` } },
      ],
    };
  }
  if (toolResults === 2) {
    return {
      kind: 'stream',
      ...slow,
      toolCalls: [{ name: 'shell', args: { command: 'echo "who=$WHO cwd=$(pwd)"; ls ..' } }],
    };
  }
  return { kind: 'stream', text: `Done for ${who}.`, ...slow };
}

beforeEach(async () => {
  provider = await startScriptedProvider({ respond: script });
});

it('two contexts run overlapping turns that never see each other', async () => {
  const engine = await createChatEngine(provider);
  const names = ['a', 'b'] as const;
  const workspaces = { a: await makeWorkspace(), b: await makeWorkspace() };
  const contexts = Object.fromEntries(
    await Promise.all(
      names.map(async (who) => {
        const context = engine.connect(who);
        await context.openWorkspace(workspaces[who]);
        context.setChatConfig({ autoApprove: 'always' });
        return [who, context] as const;
      }),
    ),
  );
  const times: Record<string, { start: number; end: number }> = {};
  await Promise.all(
    names.map(async (who) => {
      const start = Date.now();
      const { done } = await contexts[who]!.chat.send(`Please set things up, secret-${who}`);
      await done;
      times[who] = { start, end: Date.now() };
    }),
  );

  // The turns overlapped: neither waited for the other.
  expect(times.a!.start).toBeLessThan(times.b!.end);
  expect(times.b!.start).toBeLessThan(times.a!.end);

  for (const who of names) {
    const other = who === 'a' ? 'b' : 'a';
    const context = contexts[who]!;
    const log: RecordedEvent[] = engine.events.get(who)!;
    expect(log.map((e) => e.name)).toContain('turn.completed');
    expect(log.some((e) => e.name === 'turn.failed')).toBe(false);

    // Every event carries this context's conversation and nothing of the other's.
    const id = context.chat.conversationId!;
    for (const event of log) {
      const payload = event.payload as { conversationId?: string };
      if (payload.conversationId !== undefined) expect(payload.conversationId).toBe(id);
      expect(JSON.stringify(event.payload)).not.toContain(`secret-${other}`);
      expect(JSON.stringify(event.payload)).not.toContain(`sub-${other}`);
    }

    // Its shell kept its own cwd and env across calls.
    const results = log
      .filter((e) => e.name === 'tool.completed')
      .map((e) => (e.payload as { result: { output: string } }).result.output);
    const real = context.workspace!;
    expect(results[0]).toContain(path.join(real, `sub-${who}`));
    expect(results[2]).toContain(`who=${who} cwd=${path.join(real, `sub-${who}`)}`);

    // Files landed only in its own workspace.
    expect((await readdir(workspaces[who])).sort()).toEqual([`mine-${who}.txt`, `sub-${who}`]);

    // The provider never received the other's messages in this conversation's requests.
    const requests = provider.requests.filter((r) => owner(r) === who);
    expect(requests).toHaveLength(3);
    for (const request of requests) {
      const body = JSON.stringify(request.body.messages);
      expect(body).not.toContain(`secret-${other}`);
      expect(body).not.toContain(`sub-${other}`);
      expect(body).not.toContain(workspaces[other]);
    }
  }
  expect(provider.requests.every((r) => owner(r) !== '?')).toBe(true);
});
