import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseServeArgs, USAGE, type ServeArgsContext } from './serve-args';

const context: ServeArgsContext = {
  env: {},
  cwd: '/home/me/project',
  platformDataDir: '/home/me/.config/deskmate',
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

  it('takes ports and grace periods written as plain digits only, up to their limits', () => {
    expect(options(['--port', '65535']).port).toBe(65_535);
    expect(options(['--port', '0']).port).toBe(0);
    // Number() would read each of these as a port; a typo must not pick one.
    for (const port of ['1e3', '0x50', '+80', ' 80', '80 ', '-1']) {
      expect(parseServeArgs([`--port=${port}`], context), port).toEqual({
        kind: 'error',
        message: `--port must be a number from 0 to 65535, not ${port}`,
      });
    }
    expect(options(['--grace-ms', '3600000']).graceMs).toBe(3_600_000);
    for (const grace of ['1e3', '0x50', '+80', ' 80', '80 ', '-1', '3600001']) {
      expect(parseServeArgs([`--grace-ms=${grace}`], context), grace).toEqual({
        kind: 'error',
        message: `--grace-ms must be a number of milliseconds, not ${grace}`,
      });
    }
  });

  it('needs --allow-remote for a host other machines can reach', () => {
    const refused = parseServeArgs(['--host', '0.0.0.0'], context);
    expect(refused.kind).toBe('error');
    expect(refused.kind === 'error' && refused.message).toMatch(/--allow-remote/);
    expect(options(['--host', '0.0.0.0', '--allow-remote'])).toMatchObject({ host: '0.0.0.0', remote: true });
    expect(options(['--host', 'localhost'])).toMatchObject({ host: 'localhost', remote: false });
  });

  it('refuses every interface and any other machine-reachable address without --allow-remote, saying why', () => {
    for (const host of [
      '0.0.0.0',
      '::',
      '[::]',
      '0:0:0:0:0:0:0:0',
      '192.168.1.4',
      'fd00::4',
      'deskmate.lan',
    ]) {
      expect(parseServeArgs(['--host', host], context), host).toEqual({
        kind: 'error',
        message:
          `--host ${host.replace(/^\[(.*)\]$/, '$1')} would let other machines reach this server; ` +
          'add --allow-remote if that is what you want (anyone with the token can run commands here)',
      });
    }
    for (const host of ['::', '[::]', '192.168.1.4']) {
      expect(options(['--host', host, '--allow-remote']), host).toMatchObject({ remote: true });
    }
  });

  it('reads a loopback host however it is written, and a blank one as the default', () => {
    expect(options(['--host', '[::1]'])).toMatchObject({ host: '::1', remote: false });
    expect(options(['--host', '::1'])).toMatchObject({ host: '::1', remote: false });
    expect(options(['--host', ' 127.0.0.2 '])).toMatchObject({ host: '127.0.0.2', remote: false });
    expect(options(['--host', '  '])).toMatchObject({ host: '127.0.0.1', remote: false });
    // --allow-remote on a loopback host changes nothing: it is still only this machine's.
    expect(options(['--host', 'localhost', '--allow-remote'])).toMatchObject({ remote: false });
  });

  it('refuses unknown options and positionals', () => {
    expect(parseServeArgs(['--nope'], context).kind).toBe('error');
    expect(parseServeArgs(['folder'], context).kind).toBe('error');
    expect(parseServeArgs(['--help'], context).kind).toBe('help');
    expect(parseServeArgs(['-h'], context).kind).toBe('help');
    expect(parseServeArgs(['--nope'], context)).toMatchObject({ message: expect.stringMatching(/'--nope'/) });
  });

  it('names every option in its usage line', () => {
    for (const option of ['--port', '--host', '--data-dir', '--allow-remote', '--static', '--grace-ms']) {
      expect(USAGE).toContain(option);
    }
    expect(USAGE).toMatch(/^usage: npm run serve -- /);
  });
});
