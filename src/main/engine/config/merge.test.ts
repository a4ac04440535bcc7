import { describe, expect, it } from 'vitest';
import type { ConfigLayer, ConfigValues, LayerSource } from '../../../shared/config';
import { defaultsLayer, DEFAULT_CONFIG } from './defaults';
import { environmentLayer } from './environment-layer';
import { mergeLayers } from './merge';

const layer = (source: LayerSource, values: ConfigValues): ConfigLayer => ({ source, values, problems: [] });

describe('config precedence: defaults < environment < user < project < chat', () => {
  // Each row adds one layer on top of the rows before it; the effective value must follow.
  const env = environmentLayer({
    DESKMATE_MODEL: 'env-model',
    OPENAI_BASE_URL: 'http://127.0.0.1:9/env',
    OPENAI_API_KEY: 'sk-env',
  });
  const user = layer('user', {
    model: 'user-model',
    provider: { baseUrl: 'http://127.0.0.1:9/user' },
    maxSteps: 7,
  });
  const project = layer('project', { model: 'project-model', env: { A: 'project' }, files: ['README.md'] });
  const chat = layer('chat', { model: 'chat-model', temperature: 0.3, autoApprove: 2 });

  const table: Array<[string, ConfigLayer[], Partial<Record<string, unknown>>]> = [
    [
      'defaults only',
      [defaultsLayer()],
      {
        model: DEFAULT_CONFIG.model,
        baseUrl: DEFAULT_CONFIG.provider.baseUrl,
        apiKey: undefined,
        maxSteps: 30,
      },
    ],
    [
      '+ environment',
      [defaultsLayer(), env],
      { model: 'env-model', baseUrl: 'http://127.0.0.1:9/env', apiKey: 'sk-env', maxSteps: 30 },
    ],
    [
      '+ user',
      [defaultsLayer(), env, user],
      // The user points elsewhere without a key: the environment's key stays with its own URL.
      { model: 'user-model', baseUrl: 'http://127.0.0.1:9/user', apiKey: undefined, maxSteps: 7 },
    ],
    [
      '+ a user key only',
      [defaultsLayer(), env, layer('user', { provider: { apiKey: 'sk-user' } })],
      { baseUrl: 'http://127.0.0.1:9/env', apiKey: 'sk-user' },
    ],
    [
      '+ the same URL again, written differently',
      [defaultsLayer(), env, layer('user', { provider: { baseUrl: 'http://127.0.0.1:9/env/' } })],
      { baseUrl: 'http://127.0.0.1:9/env/', apiKey: 'sk-env' },
    ],
    [
      '+ another URL with its own key',
      [
        defaultsLayer(),
        env,
        layer('user', { provider: { baseUrl: 'http://127.0.0.1:9/u', apiKey: 'sk-u' } }),
      ],
      { baseUrl: 'http://127.0.0.1:9/u', apiKey: 'sk-u' },
    ],
    [
      '+ project',
      [defaultsLayer(), env, user, project],
      { model: 'project-model', baseUrl: 'http://127.0.0.1:9/user', maxSteps: 7, files: ['README.md'] },
    ],
    [
      '+ chat',
      [defaultsLayer(), env, user, project, chat],
      { model: 'chat-model', temperature: 0.3, autoApprove: 2, files: ['README.md'], maxSteps: 7 },
    ],
  ];

  it.each(table)('%s', (_name, layers, expected) => {
    const effective = mergeLayers(layers);
    const flat: Record<string, unknown> = {
      ...effective,
      baseUrl: effective.provider.baseUrl,
      apiKey: effective.provider.apiKey,
    };
    for (const [key, value] of Object.entries(expected)) expect(flat[key], key).toEqual(value);
  });

  it('merges env maps key by key and replaces lists whole', () => {
    const effective = mergeLayers([
      defaultsLayer(),
      layer('user', { tools: ['read', 'shell'] }),
      layer('project', { env: { A: '1', B: '1' }, tools: ['read'] }),
      layer('project', { env: { B: '2' } }),
    ]);
    expect(effective.env).toEqual({ A: '1', B: '2' });
    expect(effective.tools).toEqual(['read']);
  });

  it('returns a frozen value that does not alias any layer', () => {
    const files = ['a.md'];
    const source = layer('project', { files });
    const effective = mergeLayers([defaultsLayer(), source]);
    expect(Object.isFrozen(effective)).toBe(true);
    expect(() => (effective.files as string[]).push('b.md')).toThrow(TypeError);
    expect(files).toEqual(['a.md']);
  });

  it('reports a malformed environment value and keeps the rest of the layer', () => {
    const env2 = environmentLayer({ OPENAI_BASE_URL: 'not a url', DESKMATE_MODEL: 'm' });
    expect(env2.values).toEqual({ model: 'm' });
    expect(env2.problems.map((p) => p.message).join()).toMatch(/provider/);
  });

  describe('problems of every layer', () => {
    it('are collected in layer order', async () => {
      const { collectProblems } = await import('./merge');
      expect(
        collectProblems([
          { source: 'user', values: {}, problems: [{ message: 'u1' }, { message: 'u2' }] },
          { source: 'project', values: {}, problems: [] },
          { source: 'chat', values: {}, problems: [{ message: 'c1' }] },
        ]).map((p) => p.message),
      ).toEqual(['u1', 'u2', 'c1']);
    });
  });
});
