import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, defaultsLayer } from './defaults';

describe('the defaults', () => {
  // What a fresh install does before the user sets anything: OpenAI's API, a small model, every
  // tool offered, every call that writes or runs asked about first, bounded turns and commands.
  it('are what a fresh install runs with', () => {
    expect(DEFAULT_CONFIG).toEqual({
      provider: { baseUrl: 'https://api.openai.com/v1' },
      model: 'gpt-4.1-mini',
      prompt: '',
      // No files: left unset, the files a gptme user expects are included (system-prompt.ts).
      env: {},
      tools: ['shell', 'read', 'save', 'append', 'patch'],
      autoApprove: 0,
      maxSteps: 30,
      requestTimeoutMs: 60_000,
      shellTimeoutMs: 120_000,
    });
    expect(DEFAULT_CONFIG.provider.apiKey).toBeUndefined();
  });

  it('are a frozen layer of their own, which no one can change for everyone', () => {
    const layer = defaultsLayer();
    expect(layer).toEqual({ source: 'defaults', values: DEFAULT_CONFIG, problems: [] });
    expect(layer.values).not.toBe(DEFAULT_CONFIG);
    expect(() => layer.values.tools?.push('shell')).toThrow(TypeError);
    expect(() => ((DEFAULT_CONFIG.env as Record<string, string>).X = '1')).toThrow(TypeError);
    expect(() => layer.problems.push({ message: 'x' })).toThrow(TypeError);
  });
});
