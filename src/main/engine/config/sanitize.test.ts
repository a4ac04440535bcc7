import { describe, expect, it } from 'vitest';
import { configValuesSchema } from '../../../shared/config';
import { sanitizeLayer } from './sanitize';

describe('sanitizeLayer', () => {
  it('drops prototype-pollution keys at any level and reports them', () => {
    const raw = JSON.parse(
      '{"__proto__": {"polluted": 1}, "env": {"__proto__": "x", "constructor": "y", "OK": "1"}, "model": "m"}',
    );
    const layer = sanitizeLayer(configValuesSchema, raw, { source: 'user' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(layer.values).toEqual({ model: 'm' });
    expect(Object.getPrototypeOf(layer.values)).toBe(Object.prototype);
    const messages = layer.problems.map((p) => p.message).join('\n');
    expect(messages).toMatch(/^__proto__: unknown setting/m);
    expect(messages).toMatch(/^env: constructor: Invalid key/m);
  });

  it('reports a non-table value', () => {
    const layer = sanitizeLayer(configValuesSchema, ['model'], { source: 'user', path: '/x/settings.json' });
    expect(layer.values).toEqual({});
    expect(layer.problems).toEqual([
      { path: '/x/settings.json', message: 'expected a table of settings; ignored' },
    ]);
  });

  it('reports text, null or a list where a table belongs, and nothing for no value at all', () => {
    for (const raw of ['model = "m"', null, 42]) {
      const layer = sanitizeLayer(configValuesSchema, raw, { source: 'user' });
      expect(layer.problems, String(raw)).toEqual([{ message: 'expected a table of settings; ignored' }]);
      expect(layer.values).toEqual({});
    }
    expect(sanitizeLayer(configValuesSchema, undefined, { source: 'user' })).toEqual({
      source: 'user',
      values: {},
      problems: [],
    });
  });

  it('keeps the problems it was given first, and names no file when it has none', () => {
    const layer = sanitizeLayer(
      configValuesSchema,
      { bogus: 1 },
      { source: 'environment', problems: [{ message: 'found before' }] },
    );
    expect(layer.problems).toEqual([
      { message: 'found before' },
      { message: 'bogus: unknown setting, ignored' },
    ]);
    expect('path' in layer).toBe(false);
    expect('path' in layer.problems[1]!).toBe(false);
  });

  it('refuses keys with the reason given, and stays quiet about known foreign keys', () => {
    const layer = sanitizeLayer(
      configValuesSchema,
      { provider: {}, rag: {}, model: 'm' },
      { source: 'project', path: '/w/gptme.toml', refused: { provider: 'not here' }, foreign: ['rag'] },
    );
    expect(layer).toEqual({
      source: 'project',
      path: '/w/gptme.toml',
      values: { model: 'm' },
      problems: [{ path: '/w/gptme.toml', message: 'provider: not here' }],
    });
  });

  it('lists every issue of a bad value, and keeps no key for a value that is absent', () => {
    const layer = sanitizeLayer(
      configValuesSchema,
      { files: [1, 'ok.md', 2], model: undefined },
      { source: 'user' },
    );
    expect(Object.keys(layer.values)).toEqual([]);
    expect(layer.problems).toEqual([{ message: expect.stringMatching(/^files: 0: .+; 2: .+; ignored$/) }]);
  });
});
