import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { z } from 'zod';
import { createTestEngine, makeWorkspace } from '../../../../test/support/engine';
import { requestNames, requests, type RequestInput, type RequestName } from '../../../shared/contract';
import { createEngineHandlers } from './engine-handlers';
import { Router } from './router';

// A valid payload for every request: the mapped type makes a new request a compile error here
// until it has a sample, so the fuzz below always covers the whole contract.
const ABS = '/tmp';
const valid: { [M in RequestName]: RequestInput<M> } = {
  'conversation.list': { query: 'x', offset: 0, limit: 10 },
  'conversation.new': { name: 'n' },
  'conversation.open': { id: 'c1', takeOver: true },
  'conversation.rename': { id: 'c1', name: 'n' },
  'conversation.delete': { id: 'c1' },
  'conversation.fork': { id: 'c1', atMessage: 1 },
  'conversation.export': { id: 'c1', format: 'html' },
  'conversation.import': { path: '/nowhere/gptme/logs' },
  'chat.send': { text: 'hi', attachments: [ABS] },
  'chat.interrupt': {},
  'chat.retry': {},
  'chat.delete': { messageId: 'm-1' },
  'tool.respond': { callId: 'call1', response: { action: 'auto', count: 2 } },
  'grants.revoke': { tool: 'shell' },
  'artifact.read': { name: 'shell-0a1b2c3d.txt' },
  'context.refresh': {},
  'context.get': {},
  'config.get': {},
  'config.set': { scope: 'chat', values: { model: 'm', temperature: 1 }, unset: ['tools'] },
  'workspace.open': { path: ABS },
  'workspace.pick': {},
  'workspace.recent': {},
  'workspace.trust': { trusted: true },
  'trust.list': {},
  'trust.revoke': { path: ABS },
  'settings.test': { baseUrl: 'http://127.0.0.1:1/v1', apiKey: 'k', list: true },
  'window.state': {},
  'models.list': {},
  'settings.get': {},
  'settings.set': { values: { model: 'm', provider: { baseUrl: 'http://127.0.0.1:1/v1' } } },
  'window.new': { workspace: ABS },
  'host.capabilities': {},
};

const HUGE = 'x'.repeat(5_000_000);
function deep(levels: number): unknown {
  let value: unknown = {};
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
}

const generic: Array<[string, unknown]> = [
  ['null', null],
  ['undefined', undefined],
  ['zero', 0],
  ['number', 42],
  ['NaN', Number.NaN],
  ['empty string', ''],
  ['string', 'config'],
  ['huge string', HUGE],
  ['true', true],
  ['bigint', 10n],
  ['empty array', []],
  ['array of objects', [{}]],
  ['date', new Date(0)],
  ['map', new Map([['a', 1]])],
  ['bytes', new Uint8Array(8)],
  ['__proto__ key', JSON.parse('{"__proto__": {"polluted": true}}')],
  ['constructor key', JSON.parse('{"constructor": {"prototype": {"polluted": true}}}')],
  ['prototype key', { prototype: { polluted: true } }],
  ['unknown key', { unexpected: 1 }],
  ['deep nesting', deep(2000)],
];

/** Malformed variants of a valid payload: each field given wrong types, huge or hostile values. */
function mutations(sample: Record<string, unknown>): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [
    ['valid + __proto__', { ...sample, ...JSON.parse('{"__proto__": {"polluted": true}}') }],
    ['valid + extra key', { ...sample, extra: true }],
  ];
  for (const [key, value] of Object.entries(sample)) {
    const without = { ...sample };
    delete without[key];
    out.push([`${key} wrong type`, { ...sample, [key]: typeof value === 'string' ? 123 : 'a string' }]);
    out.push([`${key} null`, { ...sample, [key]: null }]);
    out.push([`${key} array`, { ...sample, [key]: [value] }]);
    out.push([
      `${key} huge`,
      { ...sample, [key]: typeof value === 'string' ? HUGE : Array(100_000).fill(value) },
    ]);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      out.push([
        `${key}.__proto__`,
        { ...sample, [key]: { ...value, ...JSON.parse('{"__proto__": {"x": 1}}') } },
      ]);
    }
    out.push([`${key} removed`, without]);
  }
  return out;
}

describe('every request validates its payload in main', () => {
  for (const method of requestNames) {
    it(`${method} rejects malformed payloads with InvalidRequest and changes nothing`, async () => {
      const engine = await createTestEngine();
      const ws = await makeWorkspace({ 'gptme.toml': 'model = "project"' });
      const context = engine.connect('client');
      await context.openWorkspace(ws);
      const configBefore = JSON.stringify(context.config);
      const settingsBefore = await readFile(engine.settings.path, 'utf8').catch(() => '');
      const schema = requests[method].input as z.ZodType;

      const cases = [...generic, ...mutations(valid[method] as Record<string, unknown>)].filter(
        // Dropping an optional field leaves a valid payload; it is not a malformed case.
        ([, payload]) => !schema.safeParse(payload).success,
      );
      expect(cases.length).toBeGreaterThanOrEqual(20);
      for (const [label, payload] of cases) {
        const result = await engine.router.handle('client', method, payload);
        expect(result.ok, label).toBe(false);
        if (result.ok) continue;
        expect(result.error.name, label).toBe('InvalidRequest');
        expect(result.error.message, label).toContain(method);
        expect(result.error.message.length, label).toBeLessThan(2000);
      }

      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(JSON.stringify(context.config)).toBe(configBefore);
      expect(await readFile(engine.settings.path, 'utf8').catch(() => '')).toBe(settingsBefore);
      expect(
        engine.events
          .get('client')
          ?.filter((e) => e.name !== 'workspace.changed' && e.name !== 'config.changed'),
      ).toEqual([]);
      // The context still serves well-formed requests.
      const after = await engine.router.handle('client', 'config.get', {});
      expect(after.ok).toBe(true);
    });
  }

  it('accepts each valid sample (the fuzz starts from payloads that parse)', () => {
    for (const method of requestNames) {
      expect(requests[method].input.safeParse(valid[method]).success, method).toBe(true);
    }
  });

  it('names the field and the reason', async () => {
    const engine = await createTestEngine();
    engine.connect('c');
    const result = await engine.router.handle('c', 'config.set', {
      scope: 'chat',
      values: { temperature: 'hot' },
    });
    expect(result).toMatchObject({ ok: false, error: { name: 'InvalidRequest' } });
    if (!result.ok) {
      expect(result.error.message).toMatch(/values\.temperature: .*number/);
      expect(result.error.data).toEqual({
        issues: [{ path: 'values.temperature', message: expect.any(String) }],
      });
    }
  });

  it('refuses an unknown method, including inherited property names', async () => {
    const engine = await createTestEngine();
    engine.connect('c');
    for (const method of ['nope', 'toString', '__proto__', 'constructor', 42, null]) {
      const result = await engine.router.handle('c', method, {});
      expect(result, String(method)).toMatchObject({ ok: false, error: { name: 'InvalidRequest' } });
    }
  });

  it('answers NoContext for a client without a context, even with a valid payload', async () => {
    const engine = await createTestEngine();
    expect(await engine.router.handle('ghost', 'config.get', {})).toMatchObject({
      ok: false,
      error: { name: 'NoContext' },
    });
  });

  it("passes a handler's named error through: an unknown conversation is NotFound", async () => {
    const engine = await createTestEngine();
    engine.connect('c');
    expect(
      await engine.router.handle('c', 'conversation.open', { id: 'no-such-conversation' }),
    ).toMatchObject({
      ok: false,
      error: { name: 'NotFound' },
    });
  });
});

describe('config and settings through the router', () => {
  it('config.get returns the effective config and every layer, with keys redacted', async () => {
    const engine = await createTestEngine({ OPENAI_API_KEY: 'sk-secret-abcd1234' });
    const ws = await makeWorkspace({ 'gptme.toml': 'model = "p"\n[provider]\napiKey = "sk-nope"\n' });
    const context = engine.connect('c');
    await context.openWorkspace(ws);
    const result = await engine.router.handle('c', 'config.get', {});
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const snapshot = result.value as typeof context.config;
    expect(snapshot.layers.map((l) => l.source)).toEqual([
      'defaults',
      'environment',
      'user',
      'project',
      'chat',
    ]);
    expect(snapshot.effective.model).toBe('p');
    expect(JSON.stringify(snapshot)).not.toContain('sk-secret');
    expect(snapshot.effective.provider.apiKey).toBe('••••1234');
    expect(snapshot.warnings.map((w) => w.message).join()).toMatch(
      /provider: a project file cannot set the provider/,
    );
    // The engine itself still has the real key.
    expect(context.config.effective.provider.apiKey).toBe('sk-secret-abcd1234');
  });

  it('settings.set writes the user layer; settings.get never returns the key', async () => {
    const engine = await createTestEngine();
    const a = engine.connect('a');
    engine.connect('b');
    const set = await engine.router.handle('a', 'settings.set', {
      values: { model: 'u', provider: { baseUrl: 'http://127.0.0.1:5/v1', apiKey: 'sk-user-key' } },
    });
    expect(set).toMatchObject({ ok: true, value: { hasApiKey: true, values: { model: 'u' } } });
    expect(JSON.stringify(set)).not.toContain('sk-user-key');
    expect(a.config.effective.provider).toEqual({ baseUrl: 'http://127.0.0.1:5/v1', apiKey: 'sk-user-key' });
    expect(engine.events.get('b')?.at(-1)?.name).toBe('config.changed');
    expect(JSON.stringify(engine.events.get('b'))).not.toContain('sk-user-key');
  });

  it('config.set with chat scope changes only the sender', async () => {
    const engine = await createTestEngine();
    engine.connect('a');
    const b = engine.connect('b');
    const result = await engine.router.handle('a', 'config.set', {
      scope: 'chat',
      values: { model: 'mine' },
    });
    expect(result).toMatchObject({ ok: true, value: { effective: { model: 'mine' } } });
    expect(b.config.effective.model).not.toBe('mine');
  });
});

describe('what a window hears when something breaks', () => {
  it('a plain error under a handler answers Internal with its message, and the window keeps working', async () => {
    const engine = await createTestEngine();
    engine.connect('c');
    // The conversations folder is a file: creating one fails with the file system's own error, a
    // bug-class failure no handler names. The window hears Internal rather than a dropped request.
    await writeFile(path.join(engine.dataDir, 'conversations'), 'not a folder');
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const result = await engine.router.handle('c', 'conversation.new', {});
      expect(result).toMatchObject({
        ok: false,
        error: { name: 'Internal', message: expect.stringMatching(/EEXIST|ENOTDIR/) },
      });
      if (!result.ok) expect(result.error).not.toHaveProperty('data');
      expect(quiet).toHaveBeenCalledTimes(1);
    } finally {
      quiet.mockRestore();
    }
    expect(await engine.router.handle('c', 'config.get', {})).toMatchObject({ ok: true });
  });

  it('a handler that throws something other than an Error still answers Internal, in words', async () => {
    const engine = await createTestEngine();
    engine.connect('c');
    const router = new Router(engine.registry, {
      ...createEngineHandlers(engine.registry),
      'config.get': () => {
        throw 'the disk is on fire';
      },
    });
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      expect(await router.handle('c', 'config.get', {})).toEqual({
        ok: false,
        error: { name: 'Internal', message: 'the disk is on fire' },
      });
    } finally {
      quiet.mockRestore();
    }
  });

  it('a thrown value with no text form still answers Internal, and the router never rejects', async () => {
    const engine = await createTestEngine();
    engine.connect('c');
    const router = new Router(engine.registry, {
      ...createEngineHandlers(engine.registry),
      'config.get': () => {
        // String() of a null-prototype object throws: the answer must not depend on it.
        throw Object.create(null);
      },
    });
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      expect(await router.handle('c', 'config.get', {})).toEqual({
        ok: false,
        error: { name: 'Internal', message: 'The request failed' },
      });
      expect(quiet).toHaveBeenCalledTimes(1);
    } finally {
      quiet.mockRestore();
    }
    expect(await router.handle('c', 'settings.get', {})).toMatchObject({ ok: true });
  });

  it('a named error keeps its data: the window can act on it', async () => {
    const engine = await createTestEngine();
    engine.connect('c');
    const result = await engine.router.handle('c', 'workspace.open', { path: '/no/such/folder/here' });
    expect(result).toEqual({
      ok: false,
      error: {
        name: 'NotFound',
        message: 'Folder not found: /no/such/folder/here',
        data: { path: '/no/such/folder/here' },
      },
    });
  });

  it('lists at most five problems of a payload, counts the rest, and saves nothing', async () => {
    const engine = await createTestEngine();
    engine.connect('c');
    const before = await readFile(engine.settings.path, 'utf8').catch(() => '');
    const result = await engine.router.handle('c', 'settings.set', {
      values: {
        provider: 1,
        model: 1,
        temperature: 'hot',
        prompt: 1,
        tools: 1,
        maxSteps: 'many',
        requestTimeoutMs: 'long',
        shellTimeoutMs: 'longer',
      },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.name).toBe('InvalidRequest');
    const { issues } = result.error.data as { issues: Array<{ path: string; message: string }> };
    expect(issues).toHaveLength(5);
    expect(issues.map((issue) => issue.path)).toEqual([
      'values.provider',
      'values.model',
      'values.temperature',
      'values.prompt',
      'values.tools',
    ]);
    expect(result.error.message).toMatch(
      /^Invalid settings\.set request: values\.provider: [^;]+; values\.model: [^;]+; values\.temperature: [^;]+; values\.prompt: [^;]+; values\.tools: [^;]+ \(and 3 more\)$/,
    );
    expect(await readFile(engine.settings.path, 'utf8').catch(() => '')).toBe(before);
  });

  it('five problems are listed whole, with nothing "more"', async () => {
    const engine = await createTestEngine();
    engine.connect('c');
    const result = await engine.router.handle('c', 'settings.set', {
      values: { provider: 1, model: 1, temperature: 'hot', prompt: 1, tools: 1 },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const { issues } = result.error.data as { issues: Array<{ path: string; message: string }> };
    expect(result.error.message).not.toMatch(/more/);
    expect(result.error.message.endsWith(`values.tools: ${issues[4]!.message}`)).toBe(true);
  });

  it('a payload that is not an object at all is named as the payload', async () => {
    const engine = await createTestEngine();
    engine.connect('c');
    const result = await engine.router.handle('c', 'config.get', null);
    expect(result).toMatchObject({
      ok: false,
      error: { name: 'InvalidRequest', data: { issues: [{ path: '' }] } },
    });
    if (!result.ok) expect(result.error.message).toMatch(/^Invalid config\.get request: \(payload\): /);
  });

  it('an unknown request is named back, cut to 100 characters', async () => {
    const engine = await createTestEngine();
    engine.connect('c');
    expect(await engine.router.handle('c', 'x'.repeat(5000), {})).toEqual({
      ok: false,
      error: { name: 'InvalidRequest', message: `Unknown request: ${'x'.repeat(100)}` },
    });
  });

  it('a closed window has no context: its requests answer NoContext and run nothing', async () => {
    const engine = await createTestEngine();
    const context = engine.connect('c');
    context.dispose();
    expect(await engine.router.handle('c', 'conversation.new', {})).toEqual({
      ok: false,
      error: { name: 'NoContext', message: 'No conversation is attached to this window' },
    });
    expect((await engine.services.conversations.list()).total).toBe(0);
  });
});
