import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTestEngine, makeWorkspace } from '../../../../test/support/engine';
import { toDisposable } from '../base/disposable';

describe('contexts side by side', () => {
  it('hold their own workspace, model and project config', async () => {
    const engine = await createTestEngine({ DESKMATE_MODEL: 'env-model' });
    const wsA = await makeWorkspace({
      'gptme.toml': 'prompt = "A rules"\nmodel = "model-a"\n[env]\nWHO = "a"\n',
    });
    const wsB = await makeWorkspace({ '.deskmate.toml': 'prompt = "B rules"\nfiles = ["b.md"]\n' });
    const a = engine.connect('window-a');
    const b = engine.connect('window-b');
    await Promise.all([a.openWorkspace(wsA), b.openWorkspace(wsB)]);
    // A project's env applies only once its folder is trusted.
    a.setTrust(true);
    b.setChatConfig({ model: 'model-b' });

    expect(a.workspace).toBe(await realpath(wsA));
    expect(b.workspace).toBe(await realpath(wsB));
    expect(a.config.effective).toMatchObject({
      model: 'model-a',
      prompt: 'A rules',
      env: { WHO: 'a' },
    });
    expect(a.config.effective.files).toBeUndefined();
    expect(b.config.effective).toMatchObject({
      model: 'model-b',
      prompt: 'B rules',
      env: {},
      files: ['b.md'],
    });
    expect(a.config.layers.filter((l) => l.source === 'project').map((l) => path.basename(l.path!))).toEqual([
      'gptme.toml',
    ]);
    expect(b.config.layers.filter((l) => l.source === 'project').map((l) => path.basename(l.path!))).toEqual([
      '.deskmate.toml',
    ]);
  });

  it("changing one context's chat config never changes the other's", async () => {
    const engine = await createTestEngine();
    const a = engine.connect('a');
    const b = engine.connect('b');
    const before = b.config;
    a.setChatConfig({ model: 'only-a', temperature: 1.5, tools: ['read'], autoApprove: 'always' });
    expect(a.config.effective).toMatchObject({
      model: 'only-a',
      temperature: 1.5,
      tools: ['read'],
      autoApprove: 'always',
    });
    expect(b.config).toBe(before);
    expect(engine.events.get('b')).toEqual([]);
    expect(engine.events.get('a')?.map((e) => e.name)).toEqual(['config.changed']);
  });

  it('a user settings change reaches every context, each through its own event', async () => {
    const engine = await createTestEngine();
    const a = engine.connect('a');
    const b = engine.connect('b');
    b.setChatConfig({ model: 'chat-wins' });
    engine.settings.update({ model: 'user-model' });
    expect(a.config.effective.model).toBe('user-model');
    expect(b.config.effective.model).toBe('chat-wins');
    expect(engine.events.get('a')?.at(-1)?.name).toBe('config.changed');
  });

  it('a slow workspace load cannot overwrite a newer one', async () => {
    const engine = await createTestEngine();
    const first = await makeWorkspace({ 'gptme.toml': 'model = "first"' });
    const second = await makeWorkspace({ 'gptme.toml': 'model = "second"' });
    const a = engine.connect('a');
    const results = await Promise.allSettled([a.openWorkspace(first), a.openWorkspace(second)]);
    expect(results[0]).toMatchObject({ status: 'rejected', reason: { name: 'Cancelled' } });
    expect(a.workspace).toBe(await realpath(second));
    expect(a.config.effective.model).toBe('second');
  });

  it('refuses a workspace that is missing or a file', async () => {
    const engine = await createTestEngine();
    const ws = await makeWorkspace({ 'file.txt': 'x' });
    const a = engine.connect('a');
    await expect(a.openWorkspace(path.join(ws, 'nope'))).rejects.toMatchObject({ name: 'NotFound' });
    await expect(a.openWorkspace(path.join(ws, 'file.txt'))).rejects.toMatchObject({
      name: 'InvalidRequest',
    });
    expect(a.workspace).toBeNull();
  });
});

describe('disposing a context', () => {
  it('releases everything it registered and emits nothing after', async () => {
    const engine = await createTestEngine();
    const context = engine.connect('w');
    const released: string[] = [];
    context.register(toDisposable(() => released.push('shell')));
    context.register(toDisposable(() => released.push('timer')));
    expect(engine.settings.listenerCount).toBe(1);

    engine.registry.release('w');

    expect(released).toEqual(['timer', 'shell']);
    expect(context.disposed).toBe(true);
    expect(context.signal.aborted).toBe(true);
    expect(context.resourceCount).toBe(0);
    expect(engine.registry.size).toBe(0);
    expect(engine.settings.listenerCount).toBe(0);
    engine.settings.update({ model: 'after' });
    expect(engine.events.get('w')).toEqual([]);
    // A resource registered on a dead context is released at once rather than leaked.
    context.register(toDisposable(() => released.push('late')));
    expect(released).toContain('late');
    expect(() => context.setChatConfig({ model: 'x' })).toThrow(/closed/);
  });

  it('leaves the registry empty after many create/dispose cycles', async () => {
    const engine = await createTestEngine();
    const ws = await makeWorkspace({ 'gptme.toml': 'model = "m"' });
    const N = 200;
    let released = 0;
    for (let i = 0; i < N; i++) {
      const a = engine.connect(`a${i}`);
      const b = engine.connect(`b${i}`);
      a.register(toDisposable(() => released++));
      await a.openWorkspace(ws);
      b.setChatConfig({ model: `m${i}` });
      engine.registry.release(`a${i}`);
      b.dispose(); // disposing directly also drops the registry entry
    }
    expect(engine.registry.size).toBe(0);
    expect([...engine.registry.contexts()]).toEqual([]);
    expect(engine.settings.listenerCount).toBe(0);
    expect(released).toBe(N);
  });

  it('refuses a second context for the same client', async () => {
    const engine = await createTestEngine();
    engine.connect('dup');
    expect(() => engine.registry.create('dup', () => {})).toThrow(/already has a context/);
  });
});

describe('finding a window by its client', () => {
  it('finds each client its own context, and none for a stranger', async () => {
    const engine = await createTestEngine();
    const a = engine.connect('a');
    expect(engine.registry.services).toBe(engine.services);
    expect(engine.registry.get('a')).toBe(a);
    expect(engine.registry.get('stranger')).toBeUndefined();
  });

  it('releasing a client that has no context changes nothing and says so', async () => {
    const engine = await createTestEngine();
    const a = engine.connect('a');
    expect(engine.registry.release('stranger')).toBe(false);
    expect(a.disposed).toBe(false);
    expect(engine.registry.release('a')).toBe(true);
    expect(engine.registry.release('a')).toBe(false);
  });

  it('a refused second context leaves the first one serving its client', async () => {
    const engine = await createTestEngine();
    const first = engine.connect('dup');
    expect(() => engine.registry.create('dup', () => {})).toThrow(
      expect.objectContaining({ name: 'InvalidRequest', message: 'Client dup already has a context' }),
    );
    expect(engine.registry.get('dup')).toBe(first);
    expect(first.disposed).toBe(false);
  });

  it('disposing the registry (the host quitting) closes every window', async () => {
    const engine = await createTestEngine();
    const a = engine.connect('a');
    const b = engine.connect('b');
    engine.registry.dispose();
    expect(a.disposed && b.disposed).toBe(true);
    expect(engine.registry.size).toBe(0);
    expect(engine.settings.listenerCount).toBe(0);
  });
});
