import { writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { makeWorkspace } from '../../../test/support/engine';
import { freePort } from '../../../test/support/free-port';
import { notPrivate, walk } from '../../../test/support/file-modes';
import { usePermissiveUmask } from '../../../test/support/permissive-umask';
import {
  startScriptedProvider,
  type RecordedRequest,
  type Step,
} from '../../../test/support/scripted-provider';
import { tempDir } from '../../../test/support/temp-dir';
import { serve, type ServeIo } from './serve';
import type { ServeOptions } from './serve-args';
import { makeStaticFixture, TestClient } from '../../../test/support/web-test-support';

usePermissiveUmask();

const TOKEN = 'serve-test-token-0123456789-abcdefghij';

/** One shell call whose output is long enough to be kept as an artifact, then a closing reply. */
function longOutputTurn(request: RecordedRequest): Step {
  const answered = request.body.messages?.some((m) => m.role === 'tool');
  return answered
    ? { kind: 'stream', text: 'Counted.' }
    : { kind: 'stream', toolCalls: [{ id: 'count', name: 'shell', args: { command: 'seq 1 20000' } }] };
}

describe('serve', () => {
  it('creates its data folder 0700; a turn through a tab leaves only 0600 files and 0700 folders', async () => {
    const provider = await startScriptedProvider({ respond: longOutputTurn });
    onTestFinished(() => provider.close());
    const dataDir = path.join(await tempDir('deskmate-serve-'), 'not', 'yet', 'there');
    const { root } = await makeStaticFixture();
    let stderr = '';
    const running = await serve(
      { host: '127.0.0.1', port: 0, dataDir, staticDir: root, remote: false, graceMs: 1_000 },
      {
        env: {
          PATH: process.env.PATH,
          OPENAI_BASE_URL: provider.url,
          OPENAI_API_KEY: 'sk-env-key',
          DESKMATE_MODEL: 'scripted-model',
          DESKMATE_TOKEN: TOKEN,
        },
        stdout: { write: () => true },
        stderr: { write: (text: string) => (stderr += text) },
      },
    );
    onTestFinished(() => running.close());
    expect(stderr).not.toContain('warning');
    expect((await walk(dataDir)).find((entry) => entry.path === '.')?.mode).toBe(0o700);
    expect(notPrivate(await walk(dataDir))).toEqual([]);

    const client = await TestClient.connect(
      { server: running.server, token: TOKEN },
      { query: { workspace: await makeWorkspace() } },
    );
    const stored = await client.request('settings.set', {
      values: { provider: { apiKey: 'sk-stored-key' } },
    });
    expect(stored.ok).toBe(true);
    expect((await client.request('chat.send', { text: 'Count to twenty thousand' })).ok).toBe(true);
    await client.waitFor((frame) => frame.type === 'event' && frame.name === 'tool.pending');
    await client.request('tool.respond', { callId: 'count', response: { action: 'approve' } });
    await client.waitFor((frame) => frame.type === 'event' && frame.name === 'turn.completed', 10_000);

    const entries = await walk(dataDir);
    const paths = entries.map((entry) => entry.path);
    expect(paths).toEqual(
      expect.arrayContaining(['settings.json', 'secrets.json', 'conversations/index.jsonl']),
    );
    expect(
      paths.filter((p) => /^conversations\/[^/]+\/(conversation\.jsonl|chat\.json)$/.test(p)),
    ).toHaveLength(2);
    expect(paths.some((p) => /^conversations\/[^/]+\/artifacts\/shell-.*\.txt$/.test(p))).toBe(true);
    expect(notPrivate(entries)).toEqual([]);
  });
});

/** What serve printed, and its options over a fresh data folder and the static fixture. */
async function setUp(overrides: Partial<ServeOptions> = {}, env: ServeIo['env'] = {}) {
  const { root } = await makeStaticFixture();
  const options: ServeOptions = {
    host: '127.0.0.1',
    port: 0,
    dataDir: await tempDir('deskmate-serve-'),
    staticDir: root,
    remote: false,
    graceMs: 1_000,
    ...overrides,
  };
  const out = { stdout: '', stderr: '' };
  const io: ServeIo = {
    env: { PATH: process.env.PATH, ...env },
    stdout: { write: (text: string) => (out.stdout += text) },
    stderr: { write: (text: string) => (out.stderr += text) },
  };
  return { options, io, out };
}

async function started(overrides: Partial<ServeOptions> = {}, env: ServeIo['env'] = {}) {
  const { options, io, out } = await setUp(overrides, env);
  const running = await serve(options, io);
  onTestFinished(() => running.close());
  return { running, out, options };
}

describe('serve on every interface (--allow-remote)', () => {
  it.each(['0.0.0.0', '::'])(
    'bound to %s, warns that other machines reach it and that the token runs commands, and prints a loopback address',
    async (host) => {
      const { running, out } = await started({ host, remote: true }, { DESKMATE_TOKEN: TOKEN });
      expect(out.stderr).toContain(
        `deskmate: warning: listening on ${host}, reachable from other machines over plain HTTP; ` +
          'anyone with the token can run commands as you\n',
      );
      const port = running.server.port;
      expect(out.stdout).toBe(`Deskmate is ready: http://127.0.0.1:${port}/?token=${TOKEN}\n`);
      // The printed address works, with its own origin, and still needs the token.
      const client = await TestClient.connect({ server: running.server, token: TOKEN });
      expect(await client.request('config.get', {})).toMatchObject({ ok: true });
    },
  );

  it('warns of nothing on a loopback address', async () => {
    const { out } = await started({ host: '::1' });
    expect(out.stderr).not.toContain('warning');
    expect(out.stdout).toMatch(/^Deskmate is ready: http:\/\/\[::1\]:\d+\/\?token=[\w-]{43}\n$/);
  });
});

describe('serve says what the user should know', () => {
  it('where its data is', async () => {
    const { out, options } = await started();
    expect(out.stderr).toContain(`deskmate: data in ${options.dataDir}\n`);
  });

  it('that there is no built renderer to serve', async () => {
    const { out } = await started({ staticDir: await tempDir('deskmate-empty-') });
    expect(out.stderr).toMatch(
      /^deskmate: warning: no built renderer in .*deskmate-empty-.*; run `npm run build`$/m,
    );
  });

  it('that its settings file could not be read, and that it started anyway', async () => {
    const { options, io, out } = await setUp();
    await writeFile(path.join(options.dataDir, 'settings.json'), '{ "config": ');
    const running = await serve(options, io);
    onTestFinished(() => running.close());
    expect(out.stderr).toMatch(/^deskmate: settings: could not be read \(.*\); kept as .*, starting fresh$/m);
    expect(out.stdout).toMatch(/^Deskmate is ready: /);
  });

  it('that a fixed DESKMATE_TOKEN on a fixed port can be collected, and only then', async () => {
    const port = await freePort();
    const fixed = await started({ port }, { DESKMATE_TOKEN: TOKEN });
    expect(fixed.out.stderr).toContain(
      `deskmate: note: DESKMATE_TOKEN with a fixed --port: whoever listens on port ${port} while Deskmate ` +
        'is down gets the token from any tab left open on it; leave DESKMATE_TOKEN unset for a new random ' +
        'token each start\n',
    );
    await fixed.running.close();
    expect((await started({ port: await freePort() })).out.stderr).not.toContain('note:');
    expect((await started({ port: 0 }, { DESKMATE_TOKEN: TOKEN })).out.stderr).not.toContain('note:');
    expect((await started({ port: await freePort() }, { DESKMATE_TOKEN: '  ' })).out.stderr).not.toContain(
      'note:',
    );
  });

  it('fails to start on a port another program holds, and says so', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', () => resolve()));
    onTestFinished(() => new Promise<void>((resolve) => holder.close(() => resolve())));
    const { port } = holder.address() as AddressInfo;
    const { options, io, out } = await setUp({ port });
    await expect(serve(options, io)).rejects.toMatchObject({ code: 'EADDRINUSE' });
    expect(out.stdout).toBe('');
  });
});
