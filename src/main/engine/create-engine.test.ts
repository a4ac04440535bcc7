import { readFileSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/support/temp-dir';
import type { SecretStore } from './config/secret-store';
import { openConfBackend } from './config/conf-backend';
import { createEngine, type EngineOptions } from './create-engine';

async function engineIn(options: Partial<EngineOptions> = {}) {
  const dataDir = await tempDir('deskmate-engine-');
  const engine = createEngine({ dataDir, env: { PATH: '/usr/bin:/bin' }, ...options });
  const context = engine.registry.create('w', () => undefined);
  const call = (method: string, payload: unknown = {}) => engine.router.handle('w', method, payload);
  return { dataDir, engine, context, call };
}

/** A keyring as a host has one: keys kept in memory, never in a file. */
function memoryKeyring(): SecretStore & { keys: Map<string, string> } {
  const keys = new Map<string, string>();
  return {
    storage: 'keyring',
    keys,
    get: (name) => keys.get(name),
    set: (name, value) => (value === undefined ? keys.delete(name) : keys.set(name, value)),
  };
}

describe('one engine for every host', () => {
  it('answers a client through its router, with its conversations in the data folder given', async () => {
    const { dataDir, call } = await engineIn();
    const created = await call('conversation.new', { name: 'From the factory' });
    expect(created).toMatchObject({ ok: true, value: { name: 'From the factory' } });
    const listed = await call('conversation.list');
    expect(listed).toMatchObject({ ok: true, value: { total: 1, items: [{ name: 'From the factory' }] } });
    expect(await readdir(path.join(dataDir, 'conversations'))).toContain(
      (created as { value: { id: string } }).value.id,
    );
    // The payload is checked against the contract before any handler sees it.
    expect(await call('conversation.new', { name: 'x', extra: 1 })).toMatchObject({
      ok: false,
      error: { name: 'InvalidRequest' },
    });
  });

  it('keeps settings in settings.json and, by default, the key in a 0600 secrets.json beside it', async () => {
    const { dataDir, call, engine } = await engineIn();
    const saved = await call('settings.set', { values: { model: 'm1', provider: { apiKey: 'sk-factory' } } });
    expect(saved).toMatchObject({
      ok: true,
      value: { hasApiKey: true, keyStorage: 'file', path: path.join(dataDir, 'settings.json') },
    });
    expect(readFileSync(path.join(dataDir, 'settings.json'), 'utf8')).not.toContain('sk-factory');
    expect(readFileSync(path.join(dataDir, 'secrets.json'), 'utf8')).toContain('sk-factory');
    expect(engine.settings.layer().values.model).toBe('m1');
  });

  it("uses the host's settings store and key store when it brings them", async () => {
    const keyring = memoryKeyring();
    const opened: string[] = [];
    const { dataDir, call } = await engineIn({
      secrets: keyring,
      openSettings: (options) => {
        opened.push(path.join(options.cwd, options.name));
        return openConfBackend(options);
      },
    });
    expect(opened).toEqual([path.join(dataDir, 'settings')]);
    expect(await call('settings.set', { values: { provider: { apiKey: 'sk-in-keyring' } } })).toMatchObject({
      ok: true,
      value: { hasApiKey: true, keyStorage: 'keyring' },
    });
    expect([...keyring.keys.values()]).toEqual(['sk-in-keyring']);
    expect(await readdir(dataDir)).not.toContain('secrets.json');
  });

  it('offers what the host can do, and nothing it cannot', async () => {
    const bare = await engineIn();
    expect(await bare.call('host.capabilities')).toEqual({
      ok: true,
      value: { view: 'tab', folderDialog: false, openWindow: false, focusWindow: false, filePaths: false },
    });
    expect(await bare.call('window.new', {})).toMatchObject({ ok: false, error: { name: 'Unsupported' } });
    const opened: unknown[] = [];
    const windowed = await engineIn({
      hooks: {
        openWindow: async (options) => Boolean(opened.push(options)),
        pickWorkspace: async () => null,
        focusClient: () => undefined,
        filePaths: true,
      },
    });
    expect(await windowed.call('host.capabilities')).toEqual({
      ok: true,
      value: { view: 'window', folderDialog: true, openWindow: true, focusWindow: true, filePaths: true },
    });
    expect(await windowed.call('window.new', {})).toEqual({ ok: true, value: { opened: true } });
    expect(opened).toEqual([{}]);
  });

  it('says when settings.json could not be read, and starts on a fresh one', async () => {
    const dataDir = await tempDir('deskmate-engine-');
    await writeFile(path.join(dataDir, 'settings.json'), '{ not json');
    const warnings: string[] = [];
    const engine = createEngine({ dataDir, env: {}, warn: (message) => warnings.push(message) });
    expect(warnings).toEqual([
      expect.stringMatching(/^settings: could not be read \(.*\); kept as .*broken-/),
    ]);
    expect(engine.settings.layer().values).toEqual({});
    expect(createEngine({ dataDir, env: {}, warn: (message) => warnings.push(message) })).toBeDefined();
    expect(warnings).toHaveLength(1);
    // A host that listens for none still starts on a fresh file.
    await writeFile(path.join(dataDir, 'settings.json'), '{ not json either');
    expect(createEngine({ dataDir, env: {} }).settings.layer().values).toEqual({});
  });

  it("gives tools the host's environment without its secrets", async () => {
    const dataDir = await tempDir('deskmate-engine-');
    const engine = createEngine({
      dataDir,
      env: {
        PATH: '/bin',
        HOME: '/home/ann',
        OPENAI_API_KEY: 'sk-host',
        GITHUB_TOKEN: 'ghp',
        BASH_ENV: '/x',
      },
    });
    expect(engine.baseEnv).toEqual({ PATH: '/bin', HOME: '/home/ann' });
    expect(engine.services.baseEnv).toBe(engine.baseEnv);
    expect(engine.services.environment.values.provider).toEqual({ apiKey: 'sk-host' });
  });

  it('disposes every context with one dispose, and its clients are answered NoContext after', async () => {
    const { engine, context, call } = await engineIn();
    const other = engine.registry.create('other', () => undefined);
    engine.dispose();
    expect(context.disposed).toBe(true);
    expect(other.disposed).toBe(true);
    expect(engine.registry.size).toBe(0);
    expect(await call('conversation.list')).toMatchObject({ ok: false, error: { name: 'NoContext' } });
  });
});
