import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EventName } from '../../shared/contract';
import { makeWorkspace } from '../../../test/support/engine';
import { startScriptedProvider, type ScriptedProvider } from '../../../test/support/scripted-provider';
import { tempDir } from '../../../test/support/temp-dir';
import { createEngine, type Engine } from '../engine/create-engine';
import { connectCliClient } from './cli-client';

let provider: ScriptedProvider | undefined;
let engine: Engine | undefined;
afterEach(async () => {
  engine?.dispose();
  await provider?.close();
});

async function connect() {
  provider = await startScriptedProvider();
  engine = createEngine({
    dataDir: await tempDir('deskmate-cli-client-'),
    env: {
      PATH: process.env.PATH,
      OPENAI_BASE_URL: provider.url,
      OPENAI_API_KEY: 'sk-client',
      DESKMATE_MODEL: 'm',
    },
  });
  const events: EventName[] = [];
  const client = connectCliClient(engine, 'cli', (name) => events.push(name));
  await client.request('workspace.open', { path: await makeWorkspace() });
  return { client, events, engine, provider };
}

describe('the CLI as a client of the router', () => {
  it('has its own context in the registry, under its client id', async () => {
    const { client, engine } = await connect();
    expect(engine.registry.get('cli')).toBe(client.context);
  });

  it('answers with the value, and throws a failure as the NamedError the router names', async () => {
    const { client } = await connect();
    const created = await client.request('conversation.new', { name: 'Mine' });
    expect(created.name).toBe('Mine');
    await expect(client.request('conversation.open', { id: 'no-such-conversation' })).rejects.toMatchObject({
      name: 'NotFound',
    });
    // Checked against the contract on the way in, as a window's request is.
    await expect(client.request('conversation.new', { name: 'x', extra: 1 } as never)).rejects.toMatchObject({
      name: 'InvalidRequest',
      message: expect.stringContaining('extra'),
    });
  });

  it('knows when a turn ended, and in which conversation, however late it asks', async () => {
    const { client, events, provider } = await connect();
    provider.enqueue({ kind: 'stream', text: 'Hello.' });
    const { turnId } = await client.request('chat.send', { text: 'hi' });
    const conversationId = await client.turnEnded(turnId);
    const state = await client.request('window.state', {});
    expect(conversationId).toBe(state.conversation?.id);
    expect(events).toEqual(expect.arrayContaining(['turn.started', 'message.completed', 'turn.completed']));
    // Asked again after the end: answered at once, from what was seen.
    await expect(client.turnEnded(turnId)).resolves.toBe(conversationId);
  });

  it('keeps the end of a turn no one was waiting for, and the turn ends as it should', async () => {
    const { client, events, provider } = await connect();
    provider.enqueue({ kind: 'stream', text: 'Hello.' });
    const { turnId } = await client.request('chat.send', { text: 'hi' });
    await vi.waitFor(() => expect(events).toContain('turn.completed'));
    await expect(client.turnEnded(turnId)).resolves.toEqual(expect.any(String));
    expect(events).not.toContain('turn.failed');
  });

  it('knows a failed turn ended too', async () => {
    const { client, events, provider } = await connect();
    provider.enqueue({ kind: 'error', status: 401 });
    const { turnId } = await client.request('chat.send', { text: 'hi' });
    await expect(client.turnEnded(turnId)).resolves.toEqual(expect.any(String));
    expect(events).toContain('turn.failed');
    expect(events).not.toContain('turn.completed');
  });

  it('does not take the end of one turn for another', async () => {
    const { client, provider } = await connect();
    provider.enqueue({ kind: 'stream', text: 'One.' }, { kind: 'stream', text: 'Two.' });
    const first = await client.request('chat.send', { text: 'one' });
    await client.turnEnded(first.turnId);
    let second = false;
    const waiting = client.turnEnded('another-turn').then(() => (second = true));
    const next = await client.request('chat.send', { text: 'two' });
    await client.turnEnded(next.turnId);
    expect(second).toBe(false);
    void waiting;
  });
});
