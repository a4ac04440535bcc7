import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startScriptedProvider, type ScriptedProvider } from '../../../../test/support/scripted-provider';
import { NamedError } from '../../../shared/errors';
import { collectReply } from './model-reply';
import { Provider } from './provider';

let scripted: ScriptedProvider;
beforeEach(async () => {
  scripted = await startScriptedProvider({ models: ['zeta', 'alpha', 'mid'] });
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await scripted.close();
});

const config = (provider: { baseUrl: string; apiKey?: string }, requestTimeoutMs = 5_000) => ({
  provider,
  requestTimeoutMs,
});

function ask(provider: Provider, signal = new AbortController().signal) {
  const deltas: string[] = [];
  const result = collectReply(
    provider.languageModel({ model: 'gpt-x' }).stream({
      system: 'Be brief.',
      messages: [{ id: 'u', role: 'user', content: 'hi', timestamp: '2026-01-01T00:00:00.000Z' }],
      tools: [],
      signal,
    }),
    (delta) => deltas.push(delta),
  );
  return { result, deltas };
}

async function failureOf(promise: Promise<unknown>): Promise<NamedError & { partialText?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as NamedError & { partialText?: string };
  }
  throw new Error('expected a failure');
}

describe('which provider, with which key', () => {
  it('OpenAI itself without a key is refused before anything is sent', () => {
    for (const baseUrl of ['https://api.openai.com/v1', 'https://api.openai.com']) {
      let failure: unknown;
      try {
        new Provider(config({ baseUrl }));
      } catch (error) {
        failure = error;
      }
      expect(failure, baseUrl).toBeInstanceOf(NamedError);
      expect((failure as NamedError).name).toBe('ProviderNotConfigured');
      expect((failure as NamedError).message).toBe(
        'No API key is set. Add one in Settings, or set OPENAI_API_KEY.',
      );
    }
    expect(
      () => new Provider(config({ baseUrl: 'https://api.openai.com/v1', apiKey: 'sk-k' })),
    ).not.toThrow();
  });

  it('a server whose address only resembles OpenAI is a local server, which may need no key', () => {
    for (const baseUrl of [
      'https://api.openai.community/v1',
      'http://api.openai.com/v1',
      'http://127.0.0.1:8080/https://api.openai.com/v1',
    ]) {
      expect(() => new Provider(config({ baseUrl })), baseUrl).not.toThrow();
    }
  });

  it('a local server without a key gets a placeholder, never a key from the environment', async () => {
    vi.stubEnv('OPENAI_API_KEY', 'sk-from-the-process');
    vi.stubEnv('OPENAI_ORG_ID', 'org-from-the-process');
    vi.stubEnv('OPENAI_PROJECT_ID', 'proj-from-the-process');
    scripted.enqueue({ kind: 'stream', text: 'ok' });
    const provider = new Provider(config({ baseUrl: scripted.url }));
    await ask(provider).result;
    const { headers } = scripted.requests[0]!;
    expect(headers.authorization).toBe('Bearer no-key');
    expect(headers).not.toHaveProperty('openai-organization');
    expect(headers).not.toHaveProperty('openai-project');
  });

  it('sends the configured key to the configured URL', async () => {
    scripted.enqueue({ kind: 'stream', text: 'ok' });
    await ask(new Provider(config({ baseUrl: scripted.url, apiKey: 'sk-mine' }))).result;
    expect(scripted.requests[0]?.headers.authorization).toBe('Bearer sk-mine');
  });
});

describe('a reply through the provider', () => {
  it('streams text out and returns the whole reply', async () => {
    scripted.enqueue({ kind: 'stream', text: 'Hello world', chunkSize: 6 });
    const { result, deltas } = ask(new Provider(config({ baseUrl: scripted.url })));
    expect(await result).toMatchObject({ text: 'Hello world', finishReason: 'stop' });
    expect(deltas).toEqual(['Hello ', 'world']);
    expect(scripted.requests[0]?.body.model).toBe('gpt-x');
  });

  it('retries a busy provider (429, 5xx) as often as asked, then answers', async () => {
    // retry-after-ms keeps the SDK's backoff short.
    const busy = { kind: 'error', status: 503, headers: { 'retry-after-ms': '1' } } as const;
    scripted.enqueue(busy, busy, busy, { kind: 'stream', text: 'at last' });
    const provider = new Provider(config({ baseUrl: scripted.url }));
    expect((await ask(provider).result).text).toBe('at last');
    expect(scripted.requests).toHaveLength(4);
  });

  it('gives up after its retries and says the provider failed', async () => {
    const busy = { kind: 'error', status: 503, headers: { 'retry-after-ms': '1' } } as const;
    scripted.enqueue(busy, busy, { kind: 'stream', text: 'too late' });
    const provider = new Provider(config({ baseUrl: scripted.url }), { maxRetries: 1 });
    const failure = await failureOf(ask(provider).result);
    expect(failure.name).toBe('ProviderUnavailable');
    expect(failure.partialText).toBe('');
    expect(scripted.requests).toHaveLength(2);
  });

  it('a bad key is named, with the URL it was sent to and the model', async () => {
    scripted.enqueue({ kind: 'error', status: 401, message: 'bad key' });
    scripted.enqueue({ kind: 'error', status: 404, message: 'no such model' });
    const provider = new Provider(config({ baseUrl: scripted.url }), { maxRetries: 0 });
    const auth = await failureOf(ask(provider).result);
    expect(auth.name).toBe('ProviderAuth');
    expect(auth.message).toContain(`The provider at ${scripted.url} rejected the API key`);
    const missing = await failureOf(ask(provider).result);
    expect(missing.name).toBe('ModelNotFound');
    expect(missing.message).toContain(`The model "gpt-x" was not found at ${scripted.url}`);
  });

  it('a stream cut mid-reply is named and keeps the text so far', async () => {
    scripted.enqueue({ kind: 'cut', text: 'Half a sentence' });
    const provider = new Provider(config({ baseUrl: scripted.url }), { maxRetries: 0 });
    const failure = await failureOf(ask(provider).result);
    expect(failure).toBeInstanceOf(NamedError);
    expect(failure.name).toBe('StreamDropped');
    expect(failure.partialText).toBe('Half a sentence');
  });

  it('a provider that goes quiet fails after the idle time given, else the request timeout', async () => {
    scripted.enqueue({ kind: 'stall', text: 'Hmm' }, { kind: 'stall', text: 'Well' });
    const byOption = new Provider(config({ baseUrl: scripted.url }, 60_000), { idleTimeoutMs: 300 });
    const first = await failureOf(ask(byOption).result);
    expect(first).toMatchObject({ name: 'ProviderTimeout', partialText: 'Hmm' });
    const byConfig = new Provider(config({ baseUrl: scripted.url }, 300), { maxRetries: 0 });
    const second = await failureOf(ask(byConfig).result);
    expect(second).toMatchObject({ name: 'ProviderTimeout', partialText: 'Well' });
  });

  it('Stop is passed on as the reason for stopping, not as a provider failure', async () => {
    scripted.enqueue({ kind: 'stall', text: 'Partial' });
    const stop = new AbortController();
    const reason = new NamedError('Interrupted', 'Stopped by the user');
    const provider = new Provider(config({ baseUrl: scripted.url }));
    const { result, deltas } = ask(provider, stop.signal);
    while (deltas.join('') !== 'Partial') await new Promise((resolve) => setTimeout(resolve, 5));
    stop.abort(reason);
    const failure = await failureOf(result);
    expect(failure.cause).toBe(reason);
    expect(failure.partialText).toBe('Partial');
  });
});

describe('stopping', () => {
  it('Stop with no reason given is still a stop, not a provider failure', async () => {
    scripted.enqueue({ kind: 'stall', text: 'Partial' });
    const stop = new AbortController();
    const { result, deltas } = ask(new Provider(config({ baseUrl: scripted.url })), stop.signal);
    while (deltas.join('') !== 'Partial') await new Promise((resolve) => setTimeout(resolve, 5));
    stop.abort();
    const failure = await failureOf(result);
    expect(failure.cause).toBe(stop.signal.reason);
    expect((failure.cause as Error).name).toBe('AbortError');
  });

  it('a model list the window stopped asking for does not answer', async () => {
    const stop = new AbortController();
    stop.abort();
    const failure = await failureOf(new Provider(config({ baseUrl: scripted.url })).listModels(stop.signal));
    expect(failure).toBeInstanceOf(NamedError);
    expect(failure.name).toBe('ProviderError');
  });
});

describe('the models a provider offers', () => {
  it('are listed by id, sorted, with their owner', async () => {
    const provider = new Provider(config({ baseUrl: scripted.url }));
    expect(await provider.listModels(new AbortController().signal)).toEqual([
      { id: 'alpha', ownedBy: 'scripted' },
      { id: 'mid', ownedBy: 'scripted' },
      { id: 'zeta', ownedBy: 'scripted' },
    ]);
  });

  it('a refused list says why, naming the URL', async () => {
    const guarded = await startScriptedProvider({ apiKey: 'sk-right' });
    try {
      const provider = new Provider(config({ baseUrl: guarded.url, apiKey: 'sk-wrong' }), { maxRetries: 0 });
      const failure = await failureOf(provider.listModels(new AbortController().signal));
      expect(failure).toBeInstanceOf(NamedError);
      expect(failure.name).toBe('ProviderAuth');
      expect(failure.message).toContain(`The provider at ${guarded.url} rejected the API key (401)`);
    } finally {
      await guarded.close();
    }
  });
});
