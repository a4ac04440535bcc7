import { describe, expect, it } from 'vitest';
import type { ConfigSnapshot } from '../../../shared/config';
import { DEFAULT_CONFIG } from './defaults';
import { redactKey, redactSnapshot } from './redact';

const KEY = 'sk-proj-abcdefghijklmnop-WXYZ';

function snapshot(apiKey: string | undefined): ConfigSnapshot {
  const provider =
    apiKey === undefined
      ? { baseUrl: 'http://127.0.0.1:1/v1' }
      : { baseUrl: 'http://127.0.0.1:1/v1', apiKey };
  return {
    workspace: '/work/w',
    effective: { ...DEFAULT_CONFIG, provider },
    layers: [
      { source: 'defaults', values: { model: 'm' }, problems: [] },
      { source: 'environment', values: { provider: { apiKey: 'sk-env-0000-1111' } }, problems: [] },
      { source: 'user', path: '/data/settings.json', values: { provider }, problems: [{ message: 'p' }] },
    ],
    warnings: [{ message: 'w' }],
  };
}

describe('what a window sees of an API key', () => {
  it('is that one is set and its last four characters', () => {
    expect(redactKey(KEY)).toBe('••••WXYZ');
    expect(redactKey('123456789')).toBe('••••6789');
  });

  it('is nothing of a short key, whose last four would be half of it', () => {
    expect(redactKey('12345678')).toBe('••••');
    expect(redactKey('sk-1')).toBe('••••');
  });

  it('is redacted in the effective config and in every layer, and nothing else changes', () => {
    const original = snapshot(KEY);
    const redacted = redactSnapshot(original);
    expect(JSON.stringify(redacted)).not.toContain(KEY);
    expect(JSON.stringify(redacted)).not.toContain('sk-env');
    expect(redacted).toEqual({
      ...original,
      effective: {
        ...original.effective,
        provider: { baseUrl: 'http://127.0.0.1:1/v1', apiKey: '••••WXYZ' },
      },
      layers: [
        original.layers[0],
        { source: 'environment', values: { provider: { apiKey: '••••1111' } }, problems: [] },
        {
          source: 'user',
          path: '/data/settings.json',
          values: { provider: { baseUrl: 'http://127.0.0.1:1/v1', apiKey: '••••WXYZ' } },
          problems: [{ message: 'p' }],
        },
      ],
    });
    // The engine's own copy keeps the key: only what is sent is redacted.
    expect(original.effective.provider.apiKey).toBe(KEY);
    expect(original.layers[2]?.values.provider?.apiKey).toBe(KEY);
    expect(Object.isFrozen(redacted.effective.provider)).toBe(true);
  });

  it('leaves a snapshot without a key as it was', () => {
    const original = snapshot(undefined);
    const redacted = redactSnapshot(original);
    expect(redacted.effective).toEqual(original.effective);
    expect(redacted.effective.provider).not.toHaveProperty('apiKey');
    expect(redacted.layers[2]?.values.provider).not.toHaveProperty('apiKey');
    expect(redacted.layers[0]).toBe(original.layers[0]);
  });
});
