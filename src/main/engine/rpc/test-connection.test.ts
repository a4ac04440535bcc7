import { afterEach, describe, expect, it } from 'vitest';
import { createChatEngine, createTestEngine } from '../../../../test/support/engine';
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

describe('settings.test, what each failure says', () => {
  it('a wrong key typed for another URL is that key refused, not a withheld one', async () => {
    const stored = await server('sk-test-key');
    const stranger = await server('sk-right');
    const engine = await createChatEngine(stored);
    engine.connect('w');
    const result = await engine.router.handle('w', 'settings.test', {
      baseUrl: stranger.url,
      apiKey: 'sk-wrong',
    });
    expect(result).toMatchObject({ ok: false, error: { name: 'ProviderAuth' } });
    expect(JSON.stringify(result)).toContain(`The provider at ${stranger.url} rejected the API key (401)`);
    expect(JSON.stringify(result)).not.toMatch(/No API key was sent|asks for an API key/);
  });

  it('OpenAI stored without a key says to add one, not that a key was withheld', async () => {
    const engine = await createTestEngine({ OPENAI_BASE_URL: 'https://api.openai.com/v1' });
    engine.connect('w');
    const result = await engine.router.handle('w', 'settings.test', {});
    expect(result).toEqual({
      ok: false,
      error: {
        name: 'ProviderNotConfigured',
        message: 'No API key is set. Add one in Settings, or set OPENAI_API_KEY.',
      },
    });
  });

  it('another URL that nothing answers at is unreachable, whatever the key', async () => {
    const stored = await server('sk-test-key');
    const gone = await startScriptedProvider();
    await gone.close();
    const engine = await createChatEngine(stored);
    engine.connect('w');
    const result = await engine.router.handle('w', 'settings.test', { baseUrl: gone.url });
    expect(result).toMatchObject({ ok: false, error: { name: 'ProviderUnreachable' } });
    expect(JSON.stringify(result)).not.toContain('No API key was sent');
  });

  it('a failing provider is reported at once, not retried', async () => {
    const failing = await startScriptedProvider({ modelsStatus: 503 });
    servers.push(failing);
    const engine = await createChatEngine(failing);
    engine.connect('w');
    const result = await engine.router.handle('w', 'settings.test', {});
    expect(result).toMatchObject({ ok: false, error: { name: 'ProviderUnavailable' } });
    expect(failing.modelListings).toBe(1);
  });

  it('lists at most 2,000 model ids, and counts them all', async () => {
    const models = Array.from({ length: 2_001 }, (_, i) => `model-${String(i).padStart(4, '0')}`);
    const many = await startScriptedProvider({ models });
    servers.push(many);
    const engine = await createChatEngine(many);
    engine.connect('w');
    const result = await engine.router.handle('w', 'settings.test', { list: true });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const value = result.value as { models: number; ids: string[] };
    expect(value.models).toBe(2_001);
    expect(value.ids).toHaveLength(2_000);
    expect(value.ids.at(-1)).toBe('model-1999');
  });
});
