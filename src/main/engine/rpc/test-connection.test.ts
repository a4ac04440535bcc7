import { afterEach, describe, expect, it } from 'vitest';
import { createChatEngine } from '../../../../test/support/engine';
import { startScriptedProvider, type ScriptedProvider } from '../../../../test/support/scripted-provider';

const servers: ScriptedProvider[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function server(apiKey: string) {
  const started = await startScriptedProvider({ apiKey, models: ['a', 'b'] });
  servers.push(started);
  return started;
}

describe('settings.test', () => {
  it('sends the stored key to the stored URL only; another URL needs its key typed', async () => {
    const stored = await server('sk-test-key');
    // A server that would accept the stored key: answering it at all would prove the key reached it.
    const stranger = await server('sk-test-key');
    const engine = await createChatEngine(stored);
    engine.connect('w');
    const test = (input: object) => engine.router.handle('w', 'settings.test', input);

    expect(await test({})).toEqual({ ok: true, value: { ok: true, models: 2 } });
    expect(await test({ baseUrl: `${stored.url}/` })).toEqual({ ok: true, value: { ok: true, models: 2 } });

    const refused = await test({ baseUrl: stranger.url });
    expect(refused).toMatchObject({ ok: false, error: { name: 'ProviderAuth' } });
    expect(JSON.stringify(refused)).toContain(
      `No API key was sent to ${stranger.url}: the stored key only goes to ${stored.url}`,
    );
    expect(JSON.stringify(refused)).not.toContain('sk-test-key');

    // Asked to, it names them: the settings view offers them as the default model.
    expect(await test({ list: true })).toEqual({ ok: true, value: { ok: true, models: 2, ids: ['a', 'b'] } });

    const typed = await server('sk-typed');
    expect(await test({ baseUrl: typed.url, apiKey: 'sk-typed' })).toMatchObject({ ok: true });
  });

  it('to the OpenAI URL without a typed key, says the stored key stays with its own URL', async () => {
    const stored = await server('sk-test-key');
    const engine = await createChatEngine(stored);
    engine.connect('w');
    const result = await engine.router.handle('w', 'settings.test', { baseUrl: 'https://api.openai.com/v1' });
    expect(result).toMatchObject({ ok: false, error: { name: 'ProviderNotConfigured' } });
    expect(JSON.stringify(result)).toContain('Type the key for https://api.openai.com/v1 to test it');
  });
});
