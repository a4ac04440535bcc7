import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/support/temp-dir';
import { subcommand } from './cli-subcommand';

function io(env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  return {
    io: {
      env,
      cwd: '/somewhere',
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
    },
    out: () => stdout,
    err: () => stderr,
  };
}

describe('a CLI subcommand', () => {
  it('answers --help with its usage on stdout and exit 0, running nothing', () => {
    const t = io();
    const command = subcommand(t.io, 'usage: npm run cli -- thing');
    expect(command.parse(['--help'], {})).toBe(0);
    expect(t.out()).toBe('usage: npm run cli -- thing\n');
    expect(t.err()).toBe('');
  });

  it('refuses an unknown option with the reason and the usage on stderr, exit 1', () => {
    const t = io();
    const command = subcommand(t.io, 'usage: npm run cli -- thing');
    expect(command.parse(['--bogus'], {})).toBe(1);
    expect(t.err()).toMatch(/^deskmate: .*--bogus.*\nusage: npm run cli -- thing\n$/);
    expect(t.out()).toBe('');
  });

  it('takes its own options beside --data-dir, and paths from where the user typed (INIT_CWD)', () => {
    const t = io({ INIT_CWD: '/typed/here' });
    const command = subcommand(t.io, 'usage');
    const parsed = command.parse(['--out', 'x', '--data-dir', 'd', 'ID'], { out: { type: 'string' } });
    expect(parsed).toMatchObject({ values: { out: 'x', 'data-dir': 'd' }, positionals: ['ID'] });
    expect(command.here).toBe('/typed/here');
    expect(subcommand(io().io, 'usage').here).toBe('/somewhere');
  });

  it('runs on an engine over the data folder, and an error becomes the reason and exit 1, the engine disposed', async () => {
    const t = io();
    const dataDir = await tempDir('deskmate-sub-');
    const command = subcommand(t.io, 'usage');
    let registry: { size: number } | undefined;
    const code = await command.withEngine(dataDir, async (engine) => {
      expect(engine.services.dataDir).toBe(dataDir);
      engine.registry.create('probe', () => {});
      registry = engine.registry;
      throw new Error('the provider is down');
    });
    expect(code).toBe(1);
    expect(t.err()).toBe('deskmate: the provider is down\n');
    // Disposed: the window it held is gone, its shell with it.
    expect(registry?.size).toBe(0);
  });
});
