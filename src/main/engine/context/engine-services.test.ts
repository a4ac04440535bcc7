import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../../test/support/temp-dir';
import { openConfBackend } from '../config/conf-backend';
import { openUserSettings } from '../config/open-settings';
import { FileSecretStore } from '../config/secret-store';
import { ALL_TOOLS } from '../tools/all-tools';
import { createEngineServices } from './engine-services';

async function build(env: Record<string, string | undefined>) {
  const dataDir = await tempDir('deskmate-services-');
  const settings = openUserSettings(dataDir, openConfBackend, new FileSecretStore(dataDir));
  return { dataDir, settings, services: createEngineServices({ dataDir, env, settings }) };
}

describe('what every window of one host shares', () => {
  it("reads the host's environment once: the provider layer gets the key, tools never do", async () => {
    const { dataDir, settings, services } = await build({
      PATH: '/usr/bin:/bin',
      OPENAI_API_KEY: 'sk-host-key',
      OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
      DESKMATE_MODEL: 'host-model',
    });
    expect(services.dataDir).toBe(dataDir);
    expect(services.settings).toBe(settings);
    expect(services.defaults.source).toBe('defaults');
    expect(services.environment).toMatchObject({
      source: 'environment',
      values: {
        model: 'host-model',
        provider: { apiKey: 'sk-host-key', baseUrl: 'http://127.0.0.1:9/v1' },
      },
    });
    expect(services.baseEnv).toEqual({ PATH: '/usr/bin:/bin' });
    expect(services.tools).toBe(ALL_TOOLS);
    expect(services.owners.size).toBe(0);
  });

  it('keeps conversations in its own data folder', async () => {
    const { services } = await build({});
    const created = await services.conversations.create();
    expect((await services.conversations.list()).items.map((item) => item.id)).toEqual([created.id]);
    const other = await build({});
    expect((await other.services.conversations.list()).total).toBe(0);
    expect(other.services.owners).not.toBe(services.owners);
  });

  it('cannot be changed afterwards: no window swaps what every window shares', async () => {
    const { services } = await build({});
    expect(Object.isFrozen(services)).toBe(true);
    expect(() => Object.assign(services, { dataDir: '/elsewhere' })).toThrow(TypeError);
  });
});
