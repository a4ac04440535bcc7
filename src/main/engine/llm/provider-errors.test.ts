import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  NotFoundError,
} from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startScriptedProvider, type ScriptedProvider } from '../../../../test/support/scripted-provider';
import { NamedError } from '../../../shared/errors';
import { collectReply } from './model-reply';
import { Provider } from './provider';
import { providerError } from './provider-errors';

let scripted: ScriptedProvider;
beforeEach(async () => {
  scripted = await startScriptedProvider();
});
afterEach(async () => scripted.close());

const where = { baseUrl: 'http://127.0.0.1:1/v1', model: 'gpt-x' };

it('a connection that drops mid-reply says so in words, not as a low-level error name', async () => {
  scripted.enqueue({ kind: 'drop', text: 'Half a' });
  const provider = new Provider(
    { provider: { baseUrl: scripted.url }, requestTimeoutMs: 5_000 },
    { maxRetries: 0 },
  );
  const failure = await collectReply(
    provider.languageModel({ model: 'm' }).stream({
      system: '',
      messages: [{ id: 'u', role: 'user', content: 'hi', timestamp: '2026-01-01T00:00:00.000Z' }],
      tools: [],
      signal: new AbortController().signal,
    }),
    () => {},
  ).catch((error: unknown) => error);
  expect(failure).toMatchObject({ partialText: 'Half a' });
  const { name, message } = failure as Error;
  // Either the stream ends without a finish (StreamDropped) or the socket dies under it.
  expect(['StreamDropped', 'ProviderDropped']).toContain(name);
  expect(message).not.toMatch(/terminated|TypeError|ECONNRESET/);
});

it('a socket torn down under the SDK is a dropped connection; a bug is not', () => {
  const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
  expect(providerError(new TypeError('terminated', { cause: reset }), where)).toMatchObject({
    name: 'ProviderDropped',
    message: 'The connection to the provider dropped before the reply was complete. Try again.',
  });
  expect(providerError(new TypeError("Cannot read properties of undefined (reading 'x')"), where).name).toBe(
    'ProviderError',
  );
});

it('keeps its named answers for a bad key and an unknown model', () => {
  const headers = new Headers();
  expect(providerError(new AuthenticationError(401, undefined, 'bad key', headers), where).name).toBe(
    'ProviderAuth',
  );
  expect(providerError(new NotFoundError(404, undefined, 'nope', headers), where)).toMatchObject({
    name: 'ModelNotFound',
    message: expect.stringContaining('The model "gpt-x" was not found'),
  });
});

describe('what the user reads when a provider fails', () => {
  const headers = new Headers();
  const api = (status: number, message: string) =>
    APIError.generate(status, { error: { message } }, undefined, headers);

  it('each kind of refusal gets its own name, status and advice, with the provider’s own words', () => {
    expect(providerError(api(401, 'Incorrect API key'), where).toShape()).toEqual({
      name: 'ProviderAuth',
      message:
        'The provider at http://127.0.0.1:1/v1 rejected the API key (401). Check the key in Settings. (401 Incorrect API key)',
      data: { status: 401 },
    });
    expect(providerError(api(403, 'no access'), where).toShape()).toEqual({
      name: 'ProviderAuth',
      message: 'The API key has no access to this model or endpoint (403). (403 no access)',
      data: { status: 403 },
    });
    expect(providerError(api(404, 'nope'), where).toShape()).toEqual({
      name: 'ModelNotFound',
      message:
        'The model "gpt-x" was not found at http://127.0.0.1:1/v1 (404). Pick another model or check the base URL. (404 nope)',
      data: { status: 404 },
    });
    expect(providerError(api(429, 'slow down'), where).toShape()).toEqual({
      name: 'RateLimited',
      message:
        'The provider is rate limiting requests (429), still after retrying. Wait a moment and try again. (429 slow down)',
      data: { status: 429 },
    });
    expect(providerError(api(500, 'oops'), where).toShape()).toEqual({
      name: 'ProviderUnavailable',
      message: 'The provider failed (500), still after retrying. Try again later. (500 oops)',
      data: { status: 500 },
    });
    expect(providerError(api(400, 'bad input'), where).toShape()).toEqual({
      name: 'ProviderError',
      message: 'The provider refused the request (400). (400 bad input)',
      data: { status: 400 },
    });
    expect(providerError(api(499, 'odd'), where).name).toBe('ProviderError');
  });

  it('a 404 on a request for no model (the model list) blames the endpoint', () => {
    expect(providerError(api(404, 'nope'), { baseUrl: 'http://h/v1' }).message).toMatch(
      /^The endpoint was not found at http:\/\/h\/v1 \(404\)/,
    );
  });

  it("the provider's own words are cut to 300 characters", () => {
    const message = providerError(api(400, 'x'.repeat(1000)), where).message;
    expect(message).toBe(`The provider refused the request (400). (400 ${'x'.repeat(296)})`);
  });

  it('no answer in time, and no answer at all, say so with the URL', () => {
    expect(providerError(new APIConnectionTimeoutError(), where).toShape()).toEqual({
      name: 'ProviderTimeout',
      message: 'The provider at http://127.0.0.1:1/v1 did not answer in time.',
    });
    expect(providerError(new APIConnectionError({ message: 'Connection error.' }), where).toShape()).toEqual({
      name: 'ProviderUnreachable',
      message: 'Cannot reach the provider at http://127.0.0.1:1/v1. Check the base URL and your connection.',
    });
  });

  it('a request we cancelled is not an unreachable provider, nor a refusal', () => {
    expect(providerError(new APIUserAbortError(), where).toShape()).toEqual({
      name: 'ProviderError',
      message: "The provider's reply could not be read (Request was aborted.).",
    });
  });

  it("only the SDK's API errors carry the provider's status", () => {
    for (const status of [400, 503]) {
      const odd = Object.assign(new Error('odd'), { status });
      expect(providerError(odd, where).toShape()).toEqual({
        name: 'ProviderError',
        message: "The provider's reply could not be read (odd).",
      });
    }
  });

  it('a provider nothing listens for is unreachable', async () => {
    const closed = await startScriptedProvider();
    await closed.close();
    const provider = new Provider(
      { provider: { baseUrl: closed.url }, requestTimeoutMs: 5_000 },
      { maxRetries: 0 },
    );
    const failure = await provider.listModels(new AbortController().signal).catch((error: unknown) => error);
    expect(failure).toMatchObject({ name: 'ProviderUnreachable' });
    expect((failure as Error).message).toContain(closed.url);
  });

  it('an error that already has a name passes through as it is', () => {
    const named = new NamedError('Interrupted', 'Stopped');
    expect(providerError(named, where)).toBe(named);
  });

  it('a reply that could not be read says why, cut short; anything thrown is put in words', () => {
    expect(providerError(new SyntaxError('Unexpected token < in JSON'), where).toShape()).toEqual({
      name: 'ProviderError',
      message: "The provider's reply could not be read (Unexpected token < in JSON).",
    });
    expect(providerError('y'.repeat(400), where).message).toBe(
      `The provider's reply could not be read (${'y'.repeat(300)}).`,
    );
  });

  it('every way a socket dies counts as a dropped connection, as deep as undici nests it', () => {
    for (const code of ['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']) {
      const socket = Object.assign(new Error(`socket ${code}`), { code });
      expect(providerError(socket, where).name, code).toBe('ProviderDropped');
    }
    const nested = (depth: number): Error => {
      let error: Error = Object.assign(new Error('reset'), { code: 'ECONNRESET' });
      for (let i = 0; i < depth; i++) error = new Error(`wrapper ${i}`, { cause: error });
      return error;
    };
    expect(providerError(nested(3), where)).toMatchObject({
      name: 'ProviderDropped',
      data: { cause: 'wrapper 2' },
    });
    // Deeper than that it is not recognised; nothing loops on a cyclic chain.
    expect(providerError(nested(4), where).name).toBe('ProviderError');
    const cyclic: Error & { cause?: unknown } = new Error('self');
    cyclic.cause = cyclic;
    expect(providerError(cyclic, where).name).toBe('ProviderError');
    expect(providerError(Object.assign(new Error('odd'), { code: 42 }), where).name).toBe('ProviderError');
    expect(providerError(Object.assign(new Error('odd'), { code: 'EACCES' }), where).name).toBe(
      'ProviderError',
    );
    // "terminated" means a dropped socket only from undici's TypeError.
    expect(providerError(new Error('terminated'), where).name).toBe('ProviderError');
    expect(providerError(new TypeError('terminated'), where).name).toBe('ProviderDropped');
  });

  it('a dropped connection keeps its low-level cause for a bug report, cut to 300 characters', () => {
    const long = Object.assign(new Error('z'.repeat(500)), { code: 'EPIPE' });
    expect(providerError(long, where).data).toEqual({ cause: 'z'.repeat(300) });
  });
});
