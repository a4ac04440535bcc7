import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../../test/support/temp-dir';
import { openConfBackend } from './conf-backend';
import { openUserSettings } from './open-settings';

describe('user settings', () => {
  it('persists updates and unsets across reopen', async () => {
    const dir = await tempDir();
    const first = openUserSettings(dir, openConfBackend);
    first.update({ model: 'm1', provider: { baseUrl: 'http://127.0.0.1:1/v1', apiKey: 'sk-1' } });
    first.update({ provider: { apiKey: 'sk-2' } });
    first.update({}, ['model']);
    const reopened = openUserSettings(dir, openConfBackend);
    expect(reopened.layer().values).toEqual({
      provider: { baseUrl: 'http://127.0.0.1:1/v1', apiKey: 'sk-2' },
    });
  });

  it('moves a broken settings file aside instead of losing it, and reports it', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'settings.json'), '{ "config": { "model": "keep me"');
    const settings = openUserSettings(dir, openConfBackend);
    expect(settings.layer().values).toEqual({});
    const [problem] = settings.layer().problems;
    expect(problem?.path).toBe(path.join(dir, 'settings.json'));
    const aside = (await readdir(dir)).find((f) => f.startsWith('settings.json.broken-'));
    expect(aside).toBeDefined();
    expect(await readFile(path.join(dir, aside!), 'utf8')).toContain('keep me');
    expect(problem?.message).toContain(aside);
  });

  it('ignores and reports invalid values found in the file', async () => {
    const dir = await tempDir();
    await writeFile(
      path.join(dir, 'settings.json'),
      JSON.stringify({ config: { model: 42, maxSteps: 5, bogus: 1 } }),
    );
    const settings = openUserSettings(dir, openConfBackend);
    expect(settings.layer().values).toEqual({ maxSteps: 5 });
    expect(settings.layer().problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/^model:/),
      expect.stringMatching(/^bogus: unknown setting/),
    ]);
  });

  it('notifies listeners and forgets them once disposed', async () => {
    const settings = openUserSettings(await tempDir(), openConfBackend);
    const seen: unknown[] = [];
    const subscription = settings.onDidChange((layer) => seen.push(layer.values.model));
    settings.update({ model: 'a' });
    subscription.dispose();
    settings.update({ model: 'b' });
    expect(seen).toEqual(['a']);
    expect(settings.listenerCount).toBe(0);
  });
});

describe('the API key', () => {
  it('is kept in a 0600 secrets file, never in settings.json, and survives a reopen', async () => {
    const { FileSecretStore } = await import('./secret-store');
    const { stat } = await import('node:fs/promises');
    const dir = await tempDir();
    const settings = openUserSettings(dir, openConfBackend, new FileSecretStore(dir));
    settings.update({ provider: { baseUrl: 'http://127.0.0.1:1/v1', apiKey: 'sk-very-secret' }, model: 'm' });
    expect(await readFile(path.join(dir, 'settings.json'), 'utf8')).not.toContain('sk-very-secret');
    expect((await stat(path.join(dir, 'secrets.json'))).mode & 0o777).toBe(0o600);
    const reopened = openUserSettings(dir, openConfBackend, new FileSecretStore(dir));
    expect(reopened.layer().values.provider).toEqual({
      baseUrl: 'http://127.0.0.1:1/v1',
      apiKey: 'sk-very-secret',
    });
    // The same URL written differently keeps the key; another URL without a key forgets it (a key
    // belongs to its URL); unsetting the provider forgets it too.
    reopened.update({ provider: { baseUrl: 'http://127.0.0.1:1/v1/' } });
    expect(reopened.layer().values.provider?.apiKey).toBe('sk-very-secret');
    reopened.update({ provider: { baseUrl: 'http://127.0.0.1:2/v1' } });
    expect(reopened.layer().values.provider).toEqual({ baseUrl: 'http://127.0.0.1:2/v1' });
    expect(await readFile(path.join(dir, 'secrets.json'), 'utf8')).not.toContain('sk-very-secret');
    reopened.update({ provider: { baseUrl: 'http://127.0.0.1:3/v1', apiKey: 'sk-for-3' } });
    expect(reopened.layer().values.provider?.apiKey).toBe('sk-for-3');
    reopened.update({ model: 'other' });
    expect(reopened.layer().values.provider?.apiKey).toBe('sk-for-3');
    reopened.update({}, ['provider']);
    expect(
      openUserSettings(dir, openConfBackend, new FileSecretStore(dir)).layer().values.provider,
    ).toBeUndefined();
  });
});

describe('trusted folders', () => {
  it('are kept per folder with what was granted, survive a reopen, and can be revoked', async () => {
    const dir = await tempDir();
    const settings = openUserSettings(dir, openConfBackend);
    let notified = 0;
    settings.onDidChange(() => notified++);
    expect(settings.setTrust('/work/a', 'f1', new Date('2026-01-02T03:04:05Z'))).toBe(true);
    settings.setTrust('/work/b', 'f2');
    settings.setTrust('/work/a', 'f3', new Date('2026-02-02T00:00:00Z'));
    const reopened = openUserSettings(dir, openConfBackend);
    expect(reopened.trustOf('/work/a')).toEqual({
      path: '/work/a',
      fingerprint: 'f3',
      grantedAt: '2026-02-02T00:00:00.000Z',
    });
    expect(reopened.trustedFolders().map((r) => r.path)).toEqual(['/work/b', '/work/a']);
    expect(reopened.setTrust('/work/a', undefined)).toBe(true);
    expect(reopened.setTrust('/work/a', undefined)).toBe(false);
    expect(reopened.trustOf('/work/a')).toBeUndefined();
    expect(notified).toBe(3);
    // Trust is not config: no layer carries it, so no project or chat layer can set it.
    expect(JSON.stringify(reopened.layer())).not.toContain('/work/b');
  });

  it('ignores malformed entries in the settings file', async () => {
    const dir = await tempDir();
    const settings = openUserSettings(dir, openConfBackend);
    settings.setTrust('/ok', 'f');
    const file = path.join(dir, 'settings.json');
    const raw = JSON.parse(await readFile(file, 'utf8'));
    raw.trustedFolders.push(
      { path: '/evil' },
      { path: '/no-date', fingerprint: 'f' },
      { path: '/no-fingerprint', grantedAt: '2026-01-01T00:00:00.000Z' },
      { path: 7, fingerprint: 'f', grantedAt: '2026-01-01T00:00:00.000Z' },
      { path: '/date-not-text', fingerprint: 'f', grantedAt: 1 },
      'nonsense',
      null,
    );
    const { writeFile } = await import('node:fs/promises');
    await writeFile(file, JSON.stringify(raw));
    expect(
      openUserSettings(dir, openConfBackend)
        .trustedFolders()
        .map((r) => r.path),
    ).toEqual(['/ok']);
  });
});

describe('recent folders', () => {
  it('lists the last ten opened, newest first, each once, and survive a reopen', async () => {
    const dir = await tempDir();
    const settings = openUserSettings(dir, openConfBackend);
    expect(settings.recentWorkspaces()).toEqual([]);
    for (let i = 0; i < 12; i++) settings.addRecentWorkspace(`/work/${i}`);
    settings.addRecentWorkspace('/work/5');
    const expected = [
      '/work/5',
      '/work/11',
      '/work/10',
      '/work/9',
      '/work/8',
      '/work/7',
      '/work/6',
      '/work/4',
      '/work/3',
      '/work/2',
    ];
    expect(settings.recentWorkspaces()).toEqual(expected);
    expect(openUserSettings(dir, openConfBackend).recentWorkspaces()).toEqual(expected);
  });

  it('ignores what in the file is not a folder path, or not a list', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'settings.json');
    await writeFile(file, JSON.stringify({ recentWorkspaces: ['/a', 3, null, '/b'] }));
    expect(openUserSettings(dir, openConfBackend).recentWorkspaces()).toEqual(['/a', '/b']);
    await writeFile(file, JSON.stringify({ recentWorkspaces: '/a', trustedFolders: { path: '/x' } }));
    const settings = openUserSettings(dir, openConfBackend);
    expect(settings.recentWorkspaces()).toEqual([]);
    expect(settings.trustedFolders()).toEqual([]);
  });
});

describe('what the settings say about themselves', () => {
  it('name their file, how the key is kept, and how many listen', async () => {
    const dir = await tempDir();
    const { FileSecretStore } = await import('./secret-store');
    const plain = openUserSettings(dir, openConfBackend);
    expect(plain.path).toBe(path.join(dir, 'settings.json'));
    expect(plain.keyStorage).toBe('file');
    const keyring = { storage: 'keyring' as const, get: () => undefined, set: () => undefined };
    expect(openUserSettings(dir, openConfBackend, keyring).keyStorage).toBe('keyring');
    expect(openUserSettings(dir, openConfBackend, new FileSecretStore(dir)).keyStorage).toBe('file');
    const a = plain.onDidChange(() => undefined);
    plain.onDidChange(() => undefined);
    expect(plain.listenerCount).toBe(2);
    a.dispose();
    expect(plain.listenerCount).toBe(1);
  });

  it('report a config that is not a table, even with a stored key beside it', async () => {
    const dir = await tempDir();
    const { FileSecretStore } = await import('./secret-store');
    await writeFile(path.join(dir, 'settings.json'), JSON.stringify({ config: 'model=m' }));
    new FileSecretStore(dir).set('apiKey', 'sk-kept');
    const layer = openUserSettings(dir, openConfBackend, new FileSecretStore(dir)).layer();
    expect(layer.values).toEqual({});
    expect(layer.problems).toEqual([
      { path: path.join(dir, 'settings.json'), message: 'expected a table of settings; ignored' },
    ]);
  });

  it('keep the stored key with a provider set in the file without one', async () => {
    const dir = await tempDir();
    const { FileSecretStore } = await import('./secret-store');
    await writeFile(path.join(dir, 'settings.json'), JSON.stringify({ config: { model: 'm' } }));
    new FileSecretStore(dir).set('apiKey', 'sk-kept');
    expect(openUserSettings(dir, openConfBackend, new FileSecretStore(dir)).layer().values).toEqual({
      model: 'm',
      provider: { apiKey: 'sk-kept' },
    });
  });
});
