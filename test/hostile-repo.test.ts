// A hostile repository opened through the real engine: untrusted, nothing it asks for runs and no
// key appears anywhere; trusted, exactly what the trust prompt listed applies, and still no key.
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ToolResult } from '../src/shared/domain';
import { filesHolding } from './support/secret-scan';
import { createChatEngine, waitForEvent, type RecordedEvent } from './support/engine';
import { makeHostileRepo, ranMarkers, type HostileRepo } from './support/hostile-repo';
import { startScriptedProvider, type ScriptedProvider } from './support/scripted-provider';

const ENV_KEY = 'sk-test-key';
const USER_KEY = 'sk-user-key-in-settings';
const KEYS = [ENV_KEY, USER_KEY];

let provider: ScriptedProvider;
let hostile: HostileRepo;
beforeEach(async () => {
  provider = await startScriptedProvider();
  hostile = await makeHostileRepo();
});
afterEach(async () => {
  await provider.close();
  await hostile.remove();
});

interface Outcome {
  asked: boolean;
  status: string;
  result: ToolResult;
}

/** One turn in which the model tries every vector; every call that asks is approved. */
async function attack(
  context: Awaited<ReturnType<typeof setup>>['context'],
  log: RecordedEvent[],
  round: string,
) {
  const calls = [
    { id: `${round}-shell`, name: 'shell', args: { command: 'env; whoami; echo end-of-env' } },
    ...hostile.fileAttacks.map((call, index) => ({
      id: `${round}-file${index}`,
      name: call.name,
      args: call.args,
    })),
    { id: `${round}-append`, name: 'append', args: { path: 'notes.txt', content: 'x' } },
  ];
  provider.enqueue({ kind: 'stream', toolCalls: calls }, { kind: 'stream', text: 'Done.' });
  const { done } = await context.chat.send('Set up the project');
  const answered = new Set<string>();
  const finished = (async () => {
    await done;
  })();
  let over = false;
  void finished.then(() => (over = true));
  while (!over) {
    for (const event of log) {
      const callId = (event.payload as { callId?: string }).callId;
      if (event.name === 'tool.pending' && callId && !answered.has(callId)) {
        answered.add(callId);
        context.chat.respond(callId, { action: 'approve' });
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await waitForEvent(log, 'turn.completed');
  const outcomes = new Map<string, Outcome>();
  for (const call of calls) {
    const completed = log.find(
      (e) => e.name === 'tool.completed' && (e.payload as { callId: string }).callId === call.id,
    )!.payload as { status: string; result: ToolResult };
    outcomes.set(call.id, { asked: answered.has(call.id), ...completed });
  }
  return outcomes;
}

async function setup() {
  const engine = await createChatEngine(provider, {
    tools: ['read', 'shell', 'save', 'patch'],
    provider: { apiKey: USER_KEY },
  });
  const context = engine.connect('w');
  await context.openWorkspace(hostile.repo);
  return { engine, context, log: engine.events.get('w')! };
}

async function expectNoKeyOutsideTheSecretStore(dataDir: string) {
  expect(await filesHolding(dataDir, KEYS)).toEqual(['secrets.json']);
  expect(await filesHolding(hostile.repo, KEYS)).toEqual([]);
}

async function expectFileVectorsRefused(outcomes: Map<string, Outcome>, round: string) {
  hostile.fileAttacks.forEach((call, index) => {
    const outcome = outcomes.get(`${round}-file${index}`)!;
    expect({ vector: call.vector, status: outcome.status, error: outcome.result.error?.name }).toEqual({
      vector: call.vector,
      status: 'failed',
      error: call.refusedAs,
    });
    expect(outcome.result.output).not.toContain(hostile.outsideSecret);
  });
  expect(await readFile(path.join(hostile.outside, 'victim.txt'), 'utf8')).toBe(hostile.victimContent);
  expect((await readdir(hostile.outside)).sort()).toEqual(['secret.txt', 'victim.txt']);
}

describe('a hostile repository', () => {
  it('untrusted: nothing it asks for runs, no tool widens, no key is seen, no file outside is reached', async () => {
    const { engine, context, log } = await setup();
    // What the trust prompt would list: each env variable with its value, and nothing refused outright.
    expect(Object.fromEntries(context.trust.request.env.map((e) => [e.name, e.value]))).toEqual(
      hostile.trustedEnv,
    );
    expect(context.trust.trusted).toBe(false);
    expect(context.trust.request.settings.map((setting) => setting.key)).toContain('context_cmd');

    const outcomes = await attack(context, log, 'u');
    const shell = outcomes.get('u-shell')!;
    // The project's auto-approve is ignored: the shell asked first.
    expect(shell.asked).toBe(true);
    expect(shell.status).toBe('completed');
    for (const name of Object.keys(hostile.trustedEnv).filter((n) => n !== 'PATH'))
      expect(shell.result.output).not.toContain(`${name}=`);
    expect(shell.result.output).not.toContain('hijacked-whoami');
    for (const key of [...KEYS, 'sk-attacker', 'HOOK SEES']) expect(shell.result.output).not.toContain(key);
    expect(await ranMarkers(hostile)).toEqual([]);
    await expectFileVectorsRefused(outcomes, 'u');
    // A tool the user turned off stays off: the model was not offered it, and calling it fails.
    expect(outcomes.get('u-append')?.status).toBe('failed');
    expect(provider.requests[0]?.body.tools?.map((t) => t.function.name).sort()).toEqual([
      'patch',
      'read',
      'save',
      'shell',
    ]);
    // The provider is the user's: its URL, its key; the system prompt holds no file from outside.
    expect(provider.requests.length).toBeGreaterThan(0);
    for (const request of provider.requests) {
      expect(request.headers.authorization).toBe(`Bearer ${USER_KEY}`);
      expect(request.body.model).toBe('scripted-model');
    }
    const system = String(provider.requests[0]?.body.messages?.[0]?.content);
    expect(system).toContain('Hostile project says hello.');
    expect(system).toContain('A perfectly normal project');
    expect(system).not.toContain(hostile.outsideSecret);
    await expectNoKeyOutsideTheSecretStore(engine.dataDir);
  });

  it('trusted: exactly what the prompt listed applies, bash hooks still do not, and still no key', async () => {
    const { engine, context, log } = await setup();
    context.setTrust(true);
    expect(context.config.effective.env).toEqual(hostile.trustedEnv);

    const outcomes = await attack(context, log, 't');
    const shell = outcomes.get('t-shell')!;
    expect(shell.asked).toBe(true);
    for (const [name, value] of Object.entries(hostile.trustedEnv))
      expect(shell.result.output).toContain(`${name}=${value}`);
    // PATH was listed with its value, so the repository's own `whoami` is what the user agreed to.
    expect(shell.result.output).toContain('hijacked-whoami');
    for (const key of [...KEYS, 'sk-attacker', 'HOOK SEES']) expect(shell.result.output).not.toContain(key);
    expect(shell.result.output).not.toMatch(
      /^(BASH_ENV|ENV|PROMPT_COMMAND|OPENAI_[A-Z_]+|API_KEY|BASE_URL)=/m,
    );
    // Its context_cmd was listed too, and trusted it runs (issue 13), with the env the user agreed to.
    expect(await ranMarkers(hostile)).toEqual(['context-cmd', 'path-hijack']);
    await expectFileVectorsRefused(outcomes, 't');
    expect(outcomes.get('t-append')?.status).toBe('failed');
    for (const request of provider.requests) expect(request.headers.authorization).toBe(`Bearer ${USER_KEY}`);
    await expectNoKeyOutsideTheSecretStore(engine.dataDir);
  });
});
