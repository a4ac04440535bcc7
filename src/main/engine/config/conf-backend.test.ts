import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { usePermissiveUmask } from '../../../../test/support/permissive-umask';
import { tempDir } from '../../../../test/support/temp-dir';
import { openConfBackend } from './conf-backend';

usePermissiveUmask();

describe('the settings file of the Node hosts', () => {
  it('is <folder>/<name>.json, written on every set and readable by its owner only', async () => {
    const dir = await tempDir();
    const backend = openConfBackend({ cwd: dir, name: 'settings' });
    expect(backend.path).toBe(path.join(dir, 'settings.json'));
    backend.set('config', { model: 'm' });
    backend.set('recentWorkspaces', ['/a']);
    expect(JSON.parse(readFileSync(backend.path, 'utf8'))).toEqual({
      config: { model: 'm' },
      recentWorkspaces: ['/a'],
    });
    expect(statSync(backend.path).mode & 0o777).toBe(0o600);
  });

  it('reads back what it wrote, in another instance too, and forgets what is deleted', async () => {
    const dir = await tempDir();
    const backend = openConfBackend({ cwd: dir, name: 'settings' });
    backend.set('config', { model: 'm' });
    backend.set('trustedFolders', []);
    backend.delete('trustedFolders');
    expect(backend.get('config')).toEqual({ model: 'm' });
    const reopened = openConfBackend({ cwd: dir, name: 'settings' });
    expect(reopened.get('config')).toEqual({ model: 'm' });
    expect(reopened.get('trustedFolders')).toBeUndefined();
  });
});
