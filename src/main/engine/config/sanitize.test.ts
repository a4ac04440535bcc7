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
});
