import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseServeArgs, type ServeArgsContext } from './serve-args';

const context: ServeArgsContext = {
  env: {},
  cwd: '/home/me/project',
  platformDataDir: '/home/me/.local/share/deskmate',
  defaultStaticDir: '/opt/deskmate/out/renderer',
};

function options(argv: string[], overrides: Partial<ServeArgsContext> = {}) {
  const parsed = parseServeArgs(argv, { ...context, ...overrides });
  if (parsed.kind !== 'options') throw new Error(`expected options, got ${JSON.stringify(parsed)}`);
  return parsed.options;
}

describe('parseServeArgs', () => {
  it('defaults to loopback, a free port and the platform data dir', () => {
    expect(options([])).toEqual({
      host: '127.0.0.1',
      port: 0,
      dataDir: context.platformDataDir,
      staticDir: context.defaultStaticDir,
      remote: false,
      graceMs: 5_000,
    });
  });

  it('takes --data-dir over DESKMATE_DATA_DIR over the platform folder, relative to cwd', () => {
    const env = { DESKMATE_DATA_DIR: '/srv/deskmate' };
    expect(options([], { env }).dataDir).toBe('/srv/deskmate');
    expect(options(['--data-dir', 'data'], { env }).dataDir).toBe(path.resolve('/home/me/project/data'));
    expect(options(['--static', 'fixture']).staticDir).toBe(path.resolve('/home/me/project/fixture'));
  });

  it('reads the port and the grace period, and refuses bad ones', () => {
    expect(options(['--port', '8123']).port).toBe(8123);
    for (const port of ['-1', '65536', 'abc', '1.5', '']) {
      expect(parseServeArgs(['--port', port], context).kind, port).toBe('error');
    }
    expect(options(['--grace-ms', '300']).graceMs).toBe(300);
    for (const grace of ['-1', 'soon', '99999999']) {
      expect(parseServeArgs(['--grace-ms', grace], context).kind, grace).toBe('error');
    }
  });

  it('needs --allow-remote for a host other machines can reach', () => {
    const refused = parseServeArgs(['--host', '0.0.0.0'], context);
    expect(refused.kind).toBe('error');
    expect(refused.kind === 'error' && refused.message).toMatch(/--allow-remote/);
    expect(options(['--host', '0.0.0.0', '--allow-remote'])).toMatchObject({ host: '0.0.0.0', remote: true });
    expect(options(['--host', 'localhost'])).toMatchObject({ host: 'localhost', remote: false });
  });

  it('refuses unknown options and positionals', () => {
    expect(parseServeArgs(['--nope'], context).kind).toBe('error');
    expect(parseServeArgs(['folder'], context).kind).toBe('error');
    expect(parseServeArgs(['--help'], context).kind).toBe('help');
  });
});
