import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  chatConfigSchema,
  configValuesSchema,
  envNameSchema,
  isProviderReady,
  projectConfigSchema,
  providerSchema,
  TOOL_NAMES,
  toolNameSchema,
  userConfigSchema,
} from './config';

/** The first issue a payload gets: where, and why. Undefined when it is accepted. */
function refusal(schema: z.ZodType, value: unknown): { path: PropertyKey[]; message: string } | undefined {
  const result = schema.safeParse(value);
  if (result.success) return undefined;
  const [issue] = result.error.issues;
  return { path: issue!.path, message: issue!.message };
}

describe('environment variable names', () => {
  it('are a letter or _ then letters, digits and _, up to 128', () => {
    for (const name of ['PATH', '_x', 'a1_B', `A${'b'.repeat(127)}`])
      expect(refusal(envNameSchema, name), name).toBeUndefined();
    for (const name of ['', '1ABC', 'A-B', 'A B', 'A=B', `A${'b'.repeat(128)}`, 'PATH\n']) {
      expect(refusal(envNameSchema, name), name).toEqual({
        path: [],
        message: 'must be an environment variable name',
      });
    }
  });

  it('refuse the names that would reach Object.prototype', () => {
    for (const name of ['__proto__', 'constructor', 'prototype']) {
      expect(refusal(envNameSchema, name), name).toEqual({ path: [], message: 'is a reserved name' });
    }
    expect(refusal(configValuesSchema, JSON.parse('{"env":{"constructor":"x"}}'))?.path).toEqual([
      'env',
      'constructor',
    ]);
    // zod drops a `__proto__` key itself: nothing of it comes through.
    const parsed = configValuesSchema.parse(JSON.parse('{"env":{"__proto__":{"polluted":"yes"},"A":"b"}}'));
    expect(Object.keys(parsed.env!)).toEqual(['A']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('the provider', () => {
  it('is an http(s) URL and a key, nothing else', () => {
    expect(
      refusal(providerSchema, { baseUrl: 'https://api.example.com/v1', apiKey: 'sk-1' }),
    ).toBeUndefined();
    expect(refusal(providerSchema, { baseUrl: 'http://localhost:11434/v1' })).toBeUndefined();
    for (const baseUrl of [
      'ftp://example.com',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'not a url',
      `https://x.example/${'a'.repeat(2048)}`,
    ]) {
      expect(refusal(providerSchema, { baseUrl })?.path, baseUrl).toEqual(['baseUrl']);
    }
    // A scheme that only contains "http" is another protocol, whichever end it is on.
    for (const baseUrl of ['git+https://x.example/v1', 'xhttp://x.example/v1', 'https+unix://x.example/v1']) {
      expect(refusal(providerSchema, { baseUrl })?.path, baseUrl).toEqual(['baseUrl']);
    }
    for (const apiKey of ['', 'k'.repeat(4097)])
      expect(refusal(providerSchema, { apiKey })?.path).toEqual(['apiKey']);
    expect(refusal(providerSchema, { apiKey: 'k'.repeat(4096) })).toBeUndefined();
    expect(refusal(providerSchema, { headers: { x: 1 } })?.message).toMatch(/headers/);
  });

  it('is ready with a key, or without one anywhere but OpenAI', () => {
    expect(isProviderReady({ provider: { baseUrl: 'https://api.openai.com/v1', apiKey: 'sk-1' } })).toBe(
      true,
    );
    expect(isProviderReady({ provider: { baseUrl: 'https://api.openai.com/v1' } })).toBe(false);
    expect(isProviderReady({ provider: { baseUrl: 'https://api.openai.com/v1', apiKey: '' } })).toBe(false);
    expect(isProviderReady({ provider: { baseUrl: 'http://localhost:11434/v1' } })).toBe(true);
    expect(
      isProviderReady({ provider: { baseUrl: 'https://proxy.example/https://api.openai.com/v1' } }),
    ).toBe(true);
  });
});

describe('config values', () => {
  it('take every setting within its bounds', () => {
    const values = {
      provider: { baseUrl: 'https://api.example.com/v1' },
      model: ' gpt-x ',
      temperature: 2,
      prompt: 'p'.repeat(100_000),
      files: ['f'.repeat(4096)],
      env: { A: 'v'.repeat(32_768) },
      tools: [...TOOL_NAMES],
      autoApprove: { shell: 'always' },
      maxSteps: 500,
      requestTimeoutMs: 600_000,
      shellTimeoutMs: 3_600_000,
    };
    expect(configValuesSchema.parse(values)).toMatchObject({ model: 'gpt-x' });
    expect(
      refusal(configValuesSchema, {
        temperature: 0,
        maxSteps: 1,
        requestTimeoutMs: 100,
        shellTimeoutMs: 100,
      }),
    ).toBeUndefined();
  });

  it('refuse each value out of bounds, naming the field', () => {
    const refused: [string, unknown][] = [
      ['model', ''],
      ['model', '   '],
      ['model', 'm'.repeat(201)],
      ['temperature', -0.1],
      ['temperature', 2.1],
      ['temperature', '1'],
      ['prompt', 'p'.repeat(100_001)],
      ['files', Array.from({ length: 201 }, () => 'f')],
      ['files', ['']],
      ['files', ['f'.repeat(4097)]],
      ['env', { A: 'v'.repeat(32_769) }],
      ['env', { A: 1 }],
      ['tools', ['rm']],
      ['tools', [...TOOL_NAMES, 'shell']],
      ['autoApprove', { rm: 'always' }],
      ['autoApprove', { shell: 'sometimes' }],
      ['autoApprove', 'never'],
      ['autoApprove', -1],
      ['autoApprove', 10_001],
      ['autoApprove', 2.5],
      ['maxSteps', 0],
      ['maxSteps', 501],
      ['maxSteps', 1.5],
      ['requestTimeoutMs', 99],
      ['requestTimeoutMs', 600_001],
      ['shellTimeoutMs', 99],
      ['shellTimeoutMs', 3_600_001],
      ['shellTimeoutMs', 1000.5],
    ];
    for (const [key, value] of refused) {
      expect(
        refusal(configValuesSchema, { [key]: value })?.path[0],
        `${key}: ${JSON.stringify(value)?.slice(0, 40)}`,
      ).toBe(key);
    }
    expect(refusal(configValuesSchema, { colour: 'red' })?.message).toMatch(/colour/);
  });

  it('take "auto next N" as a count from 0 to 10,000', () => {
    for (const autoApprove of [0, 5, 10_000])
      expect(configValuesSchema.parse({ autoApprove }), String(autoApprove)).toEqual({ autoApprove });
  });

  it('name the tools Deskmate has', () => {
    expect(TOOL_NAMES).toEqual(['shell', 'read', 'save', 'append', 'patch']);
    expect(toolNameSchema.safeParse('shell').success).toBe(true);
    expect(toolNameSchema.safeParse('exec').success).toBe(false);
  });
});

describe('what each layer may set', () => {
  const everything = {
    provider: { apiKey: 'sk-1' },
    model: 'm',
    temperature: 1,
    prompt: 'p',
    files: ['a'],
    env: { A: 'b' },
    tools: ['read'],
    autoApprove: 'always',
    maxSteps: 3,
    requestTimeoutMs: 1000,
    shellTimeoutMs: 1000,
  };
  const allowed = (schema: z.ZodType) =>
    Object.entries(everything)
      .filter(([key, value]) => schema.safeParse({ [key]: value }).success)
      .map(([key]) => key);

  it('a conversation: its model, temperature, tools and approvals', () => {
    expect(allowed(chatConfigSchema)).toEqual(['model', 'temperature', 'tools', 'autoApprove']);
  });

  it('a conversation keeps its grants but refuses a count, which belongs on a tool card', () => {
    for (const autoApprove of ['always', { shell: 'always', patch: 'always' }])
      expect(chatConfigSchema.parse({ autoApprove })).toEqual({ autoApprove });
    for (const autoApprove of [0, 3]) {
      expect(refusal(chatConfigSchema, { autoApprove })).toEqual({
        path: ['autoApprove'],
        message: expect.stringMatching(
          /^must be "always" or per-tool grants .*"auto next N" is given on a tool card$/,
        ),
      });
    }
  });

  it('the user: everything but files, env and approvals', () => {
    expect(allowed(userConfigSchema)).toEqual([
      'provider',
      'model',
      'temperature',
      'prompt',
      'tools',
      'maxSteps',
      'requestTimeoutMs',
      'shellTimeoutMs',
    ]);
  });

  it('a project file: never the provider, approvals or limits on the model', () => {
    expect(allowed(projectConfigSchema)).toEqual([
      'model',
      'temperature',
      'prompt',
      'files',
      'env',
      'tools',
      'shellTimeoutMs',
    ]);
    expect(refusal(projectConfigSchema, { provider: { baseUrl: 'https://evil.example' } })?.message).toMatch(
      /provider/,
    );
  });
});
