import { AuthenticationError, NotFoundError } from 'openai';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startScriptedProvider, type ScriptedProvider } from '../../../../test/support/scripted-provider';
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
  const failure = await provider
    .stream({
      model: 'm',
      messages: [{ role: 'user', content: 'hi' }],
      tools: [],
      signal: new AbortController().signal,
      onText: () => {},
    })
    .catch((error: unknown) => error);
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
