import { describe, expect, it } from 'vitest';
import type { ConfigLayer, EffectiveConfig } from './config';
import { configSources } from './config-sources';

const KEY = 'sk-proj-abcdefghijklmnop-WXYZ';

const effective: EffectiveConfig = {
  provider: { baseUrl: 'https://api.example.com/v1', apiKey: KEY },
  model: 'project-model',
  prompt: 'Answer in French.',
  basePrompt: 'You are a pirate.',
  contextCmd: 'git status',
  files: ['README.md', 'docs/a.md'],
  env: { TOKEN_B: 'b', A_FLAG: '1' },
  tools: ['read', 'shell'],
  autoApprove: { shell: 'always' },
  maxSteps: 30,
  requestTimeoutMs: 60_000,
  shellTimeoutMs: 5_000,
};

const layers: ConfigLayer[] = [
  {
    source: 'defaults',
    values: { provider: { baseUrl: 'https://api.openai.com/v1' }, model: 'gpt', maxSteps: 30 },
    problems: [],
  },
  { source: 'environment', values: { provider: { apiKey: 'sk-env-0000-1111' } }, problems: [] },
  {
    source: 'user',
    path: '/data/settings.json',
    values: { provider: { baseUrl: 'https://api.example.com/v1', apiKey: KEY }, model: 'user-model' },
    problems: [],
  },
  {
    source: 'project',
    path: '/w/gptme.toml',
    values: {
      model: 'project-model',
      prompt: 'Answer in French.',
      basePrompt: 'You are a pirate.',
      contextCmd: 'git status',
      files: ['README.md', 'docs/a.md'],
      env: { TOKEN_B: 'b' },
      shellTimeoutMs: 5_000,
    },
    problems: [],
  },
  {
    source: 'project',
    path: '/w/gptme.local.toml',
    values: { env: { A_FLAG: '1' }, tools: ['read', 'shell'] },
    problems: [],
  },
  { source: 'chat', values: { autoApprove: { shell: 'always' } }, problems: [] },
];

const row = (key: string) => configSources({ effective, layers }).find((r) => r.key === key);

describe('where each effective value came from', () => {
  it('is the highest layer that holds it, with its file', () => {
    expect(row('model')).toEqual({
      key: 'model',
      value: 'project-model',
      source: 'project',
      path: '/w/gptme.toml',
    });
    expect(row('provider.baseUrl')).toEqual({
      key: 'provider.baseUrl',
      value: 'https://api.example.com/v1',
      source: 'user',
      path: '/data/settings.json',
    });
    expect(row('tools')).toMatchObject({
      value: 'read, shell',
      source: 'project',
      path: '/w/gptme.local.toml',
    });
    expect(row('autoApprove')).toEqual({ key: 'autoApprove', value: 'shell: always', source: 'chat' });
    expect(row('maxSteps')).toEqual({ key: 'maxSteps', value: '30', source: 'defaults' });
  });

  it('names each environment variable by the file that sets it', () => {
    expect(row('env.A_FLAG')).toMatchObject({ value: '1', path: '/w/gptme.local.toml' });
    expect(row('env.TOKEN_B')).toMatchObject({ value: 'b', path: '/w/gptme.toml' });
  });

  it("uses gptme's names for gptme's keys", () => {
    expect(row('context_cmd')).toMatchObject({ value: 'git status', source: 'project' });
    expect(row('base_prompt')).toMatchObject({ value: 'You are a pirate.', source: 'project' });
    expect(row('files')).toMatchObject({ value: 'README.md, docs/a.md' });
  });

  it('is the defaults for a value no layer holds (a built-in default)', () => {
    expect(row('requestTimeoutMs')).toEqual({ key: 'requestTimeoutMs', value: '60000', source: 'defaults' });
  });

  it('is a lower layer when a higher one sets another value that did not win', () => {
    const chatModel = configSources({
      effective,
      layers: [...layers, { source: 'chat', values: { model: 'other' }, problems: [] }],
    }).find((r) => r.key === 'model');
    expect(chatModel).toMatchObject({ source: 'project', path: '/w/gptme.toml' });
  });

  it('leaves out what is unset or empty, and lists the rest in a reading order', () => {
    const bare = configSources({
      effective: { ...effective, provider: { baseUrl: 'http://127.0.0.1:1/v1' }, prompt: '', env: {} },
      layers: [],
    }).map((r) => r.key);
    expect(bare).toEqual([
      'provider.baseUrl',
      'model',
      'base_prompt',
      'files',
      'context_cmd',
      'tools',
      'autoApprove',
      'maxSteps',
      'requestTimeoutMs',
      'shellTimeoutMs',
    ]);
  });

  it('shows a long prompt on one line, cut', () => {
    const long = `${'word '.repeat(100)}\n\nend`;
    const prompt = configSources({ effective: { ...effective, prompt: long }, layers: [] }).find(
      (r) => r.key === 'prompt',
    )!;
    expect(prompt.value).toBe(`${'word '.repeat(32).trimEnd()}…`);
    expect(prompt.value).not.toContain('\n');
  });

  it('names MCP servers without their env or headers', () => {
    const mcp = configSources({
      effective: {
        ...effective,
        mcp: {
          enabled: true,
          servers: [
            { name: 'files', command: 'npx', env: { SECRET: 'env-secret' } },
            { name: 'web', url: 'https://mcp.example', headers: { Authorization: 'Bearer header-secret' } },
          ],
        },
      },
      layers: [
        { source: 'project', path: '/w/gptme.toml', values: { mcp: { enabled: true } }, problems: [] },
      ],
    }).find((r) => r.key === 'mcp')!;
    expect(mcp).toEqual({
      key: 'mcp',
      value: 'enabled = true; servers: files, web',
      source: 'project',
      path: '/w/gptme.toml',
    });
  });
});

describe('the API key', () => {
  it('never appears, neither whole nor in part; only that one is set, and where', () => {
    const rows = configSources({ effective, layers });
    const text = JSON.stringify(rows);
    expect(text).not.toContain(KEY);
    expect(text).not.toContain('WXYZ');
    expect(text).not.toContain('sk-env');
    expect(row('provider.apiKey')).toEqual({
      key: 'provider.apiKey',
      value: 'set (hidden)',
      source: 'user',
      path: '/data/settings.json',
    });
  });

  it('has no row when there is none', () => {
    const rows = configSources({ effective: { ...effective, provider: { baseUrl: 'http://x/v1' } }, layers });
    expect(rows.map((r) => r.key)).not.toContain('provider.apiKey');
  });
});

describe('how values are shown', () => {
  const only = (effectiveOverrides: Partial<EffectiveConfig>, rowLayers: ConfigLayer[] = []) =>
    configSources({ effective: { ...effective, ...effectiveOverrides }, layers: rowLayers });

  it('puts a prompt on one trimmed line, and cuts only past 160 characters', () => {
    expect(only({ prompt: '  Answer\n\n  in   French.  ' }).find((r) => r.key === 'prompt')?.value).toBe(
      'Answer in French.',
    );
    const exact = 'p'.repeat(160);
    expect(only({ prompt: exact }).find((r) => r.key === 'prompt')?.value).toBe(exact);
  });

  it('leaves out an empty base prompt, as the system prompt does', () => {
    expect(only({ basePrompt: '' }).map((r) => r.key)).not.toContain('base_prompt');
  });

  it('lists every grant, and environment variables by name', () => {
    expect(
      only({ autoApprove: { shell: 'always', save: 'always' } }).find((r) => r.key === 'autoApprove')?.value,
    ).toBe('shell: always, save: always');
    expect(
      only({})
        .filter((r) => r.key.startsWith('env.'))
        .map((r) => r.key),
    ).toEqual(['env.A_FLAG', 'env.TOKEN_B']);
  });

  it('names only the MCP switches that are set', () => {
    expect(only({ mcp: { auto_start: false } }).find((r) => r.key === 'mcp')?.value).toBe(
      'auto_start = false',
    );
    expect(only({ mcp: { enabled: false, servers: [] } }).find((r) => r.key === 'mcp')?.value).toBe(
      'enabled = false',
    );
  });

  it('a layer above that sets no MCP table is not its source', () => {
    const rows = only({ mcp: { enabled: true } }, [
      { source: 'project', path: '/w/gptme.toml', values: { mcp: { enabled: true } }, problems: [] },
      { source: 'chat', values: { model: 'm' }, problems: [] },
    ]);
    expect(rows.find((r) => r.key === 'mcp')).toMatchObject({ source: 'project' });
  });

  it('a layer that does not set a key is never its source, whatever the value reads as', () => {
    const rows = only({ model: 'undefined' }, [
      { source: 'user', path: '/data/settings.json', values: { model: 'undefined' }, problems: [] },
      { source: 'chat', values: {}, problems: [] },
    ]);
    expect(rows.find((r) => r.key === 'model')).toMatchObject({ source: 'user' });
  });

  it('is the highest of two layers that set the same value', () => {
    const rows = only({ maxSteps: 12 }, [
      { source: 'user', path: '/data/settings.json', values: { maxSteps: 12 }, problems: [] },
      { source: 'project', path: '/w/gptme.toml', values: { maxSteps: 12 }, problems: [] },
    ]);
    expect(rows.find((r) => r.key === 'maxSteps')).toMatchObject({ source: 'project' });
  });

  it('says an empty list is empty', () => {
    expect(only({ tools: [] }).find((r) => r.key === 'tools')?.value).toBe('(none)');
  });

  it('leaves the layers it is given as they were', () => {
    const frozen = Object.freeze([...layers]);
    expect(() => configSources({ effective, layers: frozen })).not.toThrow();
    expect(frozen.map((l) => l.source)).toEqual(layers.map((l) => l.source));
  });
});
