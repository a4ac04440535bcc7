import { describe, expect, it } from 'vitest';
import { environmentLayer } from './environment-layer';

describe('the environment layer', () => {
  it('takes the provider key and URL and the model from the environment the host started with', () => {
    const layer = environmentLayer({
      OPENAI_API_KEY: 'sk-env',
      OPENAI_BASE_URL: 'http://127.0.0.1:8080/v1',
      DESKMATE_MODEL: 'local-model',
      HOME: '/home/me',
      OPENAI_ORG: 'ignored',
    });
    expect(layer).toEqual({
      source: 'environment',
      values: {
        provider: { apiKey: 'sk-env', baseUrl: 'http://127.0.0.1:8080/v1' },
        model: 'local-model',
      },
      problems: [],
    });
  });

  it('takes each one on its own', () => {
    expect(environmentLayer({ OPENAI_API_KEY: 'sk-env' }).values).toEqual({ provider: { apiKey: 'sk-env' } });
    expect(environmentLayer({ OPENAI_BASE_URL: 'http://127.0.0.1:1/v1' }).values).toEqual({
      provider: { baseUrl: 'http://127.0.0.1:1/v1' },
    });
    expect(environmentLayer({ DESKMATE_MODEL: 'm' }).values).toEqual({ model: 'm' });
  });

  it('sets nothing for variables that are unset or empty, so the user and defaults apply', () => {
    expect(environmentLayer({})).toEqual({ source: 'environment', values: {}, problems: [] });
    expect(environmentLayer({ OPENAI_API_KEY: '', OPENAI_BASE_URL: '', DESKMATE_MODEL: '' })).toEqual({
      source: 'environment',
      values: {},
      problems: [],
    });
  });

  it('reports a provider URL that is not one, and keeps the rest', () => {
    const layer = environmentLayer({ OPENAI_BASE_URL: 'not a url', DESKMATE_MODEL: 'm' });
    expect(layer.values).toEqual({ model: 'm' });
    expect(layer.problems).toEqual([{ message: expect.stringMatching(/^provider: baseUrl: .*; ignored$/) }]);
  });
});
