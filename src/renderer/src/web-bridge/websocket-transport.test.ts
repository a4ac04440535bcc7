// @vitest-environment node
import { afterEach, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../../shared/contract';
import { TOKEN_HELP } from './token-problem';
import { connectWebBridge, type WebBridge } from './web-bridge';
import type { BridgeStatus, WebBridgeOptions } from './websocket-transport';

// A renderer file may not import main code, and the renderer's tsconfig has no Node types: this test
// starts the real headless host as a child process, as a user would, through the few Node built-ins
// it needs, typed here.
interface Child {
  stdout: { on(event: 'data', listener: (chunk: { toString(): string }) => void): void };
  stderr: { on(event: 'data', listener: (chunk: { toString(): string }) => void): void };
  once(event: 'exit', listener: (code: number | null) => void): void;
  kill(signal?: string): boolean;
  exitCode: number | null;
}
interface NodeBuiltins {
  'node:child_process': {
    spawn(command: string, args: string[], options: { env: Record<string, string>; stdio: string[] }): Child;
  };
  'node:fs/promises': {
    mkdtemp(prefix: string): Promise<string>;
    rm(path: string, options: { recursive: boolean; force: boolean }): Promise<void>;
  };
  'node:os': { tmpdir(): string };
}
declare const process: {
  execPath: string;
  env: Record<string, string | undefined>;
  getBuiltinModule<K extends keyof NodeBuiltins>(id: K): NodeBuiltins[K];
};
/** Node's WebSocket takes headers, which a browser's sets itself (Origin). */
type NodeWebSocket = new (url: string, init: { headers: Record<string, string> }) => WebSocket;

const TOKEN = 'bridge-test-token-0123456789-abcdefghij';
const READY = /http:\/\/127\.0\.0\.1:(\d+)\/\?token=(\S+)/;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startHost(): Promise<{ port: number }> {
  const fs = process.getBuiltinModule('node:fs/promises');
  const dataDir = await fs.mkdtemp(`${process.getBuiltinModule('node:os').tmpdir()}/deskmate-bridge-`);
  cleanups.push(() => fs.rm(dataDir, { recursive: true, force: true }));
  const child = process
    .getBuiltinModule('node:child_process')
    .spawn(
      process.execPath,
      ['--import', 'tsx', 'src/main/web/index.ts', '--port', '0', '--data-dir', dataDir],
      {
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', DESKMATE_TOKEN: TOKEN },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
  cleanups.push(() => {
    if (child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    return exited;
  });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk.toString();
      const match = output.match(READY);
      if (match) resolve({ port: Number(match[1]) });
    });
    child.stderr.on('data', (chunk) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`host exited (${code}): ${output}`)));
  });
}

function bridgeTo(port: number, options: Partial<WebBridgeOptions> = {}): WebBridge {
  const origin = `http://127.0.0.1:${port}`;
  const NodeSocket = WebSocket as unknown as NodeWebSocket;
  const bridge = connectWebBridge({
    url: `ws://127.0.0.1:${port}/ws?token=${TOKEN}`,
    createSocket: (url) => new NodeSocket(url, { headers: { origin } }),
    minReconnectDelayMs: 20,
    maxReconnectDelayMs: 200,
    ...options,
  });
  cleanups.push(() => bridge.bridge.close());
  return bridge;
}

function nextStatus(bridge: WebBridge, match: (status: BridgeStatus) => boolean): Promise<BridgeStatus> {
  return new Promise((resolve) => {
    const stop = bridge.bridge.onStatus((status) => {
      if (!match(status)) return;
      stop();
      resolve(status);
    });
  });
}

describe('connectWebBridge', () => {
  it('round-trips requests and receives its events', async () => {
    const { port } = await startHost();
    const api = bridgeTo(port);
    const config = await api.config.get({});
    expect(config.ok).toBe(true);
    expect(api.bridge.status).toMatchObject({ state: 'open', resumed: false, reconnected: false });

    const changed = new Promise<EventPayload<'config.changed'>>((resolve) => {
      const stop = api.on('config.changed', (payload) => {
        stop();
        resolve(payload);
      });
    });
    const set = await api.config.set({ scope: 'chat', values: { model: 'bridge-model' } });
    expect(set).toMatchObject({ ok: true, value: { effective: { model: 'bridge-model' } } });
    expect((await changed).effective.model).toBe('bridge-model');

    const invalid = await api.config.set({ scope: 'chat', values: { temperature: 9 } });
    expect(invalid).toMatchObject({ ok: false, error: { name: 'InvalidRequest' } });
  });

  it('reconnects with its session and finds its context again', async () => {
    const { port } = await startHost();
    const api = bridgeTo(port);
    await api.config.set({ scope: 'chat', values: { model: 'survives-the-drop' } });
    const back = nextStatus(api, (status) => status.state === 'open' && status.reconnected);

    // An oversized frame makes the server close this connection (1009): a real drop.
    const dropped = await api.chat.send({ text: 'x'.repeat(9 * 1024 * 1024) });
    expect(dropped).toMatchObject({ ok: false, error: { name: 'Disconnected' } });

    const config = await api.config.get({});
    expect(config).toMatchObject({ ok: true, value: { effective: { model: 'survives-the-drop' } } });
    expect(await back).toMatchObject({ resumed: true, reconnected: true });
  });

  it('stops with Unauthorized when the server refuses its token, as after a restart', async () => {
    const { port } = await startHost();
    // A token of an earlier start: every handshake is refused, and /ws over HTTP says why (401).
    const api = connectWebBridge({
      url: `ws://127.0.0.1:${port}/ws?token=from-an-earlier-start`,
      minReconnectDelayMs: 20,
      maxReconnectDelayMs: 50,
    });
    cleanups.push(() => api.bridge.close());
    const refused = nextStatus(api, (status) => status.state === 'refused');
    const result = await api.config.get({});
    expect(result).toMatchObject({ ok: false, error: { name: 'Unauthorized' } });
    expect(!result.ok && result.error.message).toMatch(
      /^Open the address Deskmate printed when it started\. Deskmate refused the token this tab holds/,
    );
    expect(await refused).toMatchObject({ state: 'refused', problem: 'refused' });
    // It has stopped: later requests fail the same way at once, without a socket.
    expect(await api.config.get({})).toMatchObject({ ok: false, error: { name: 'Unauthorized' } });
  });

  it('is refused at once, saying what to open, when the tab has no token at all', async () => {
    const created: string[] = [];
    const api = connectWebBridge({
      token: null,
      createSocket: (url) => {
        created.push(url);
        throw new Error('no socket may be opened without a token');
      },
    });
    cleanups.push(() => api.bridge.close());
    expect(api.bridge.status).toMatchObject({ state: 'refused', problem: 'missing' });
    const result = await api.config.get({});
    expect(result).toMatchObject({ ok: false, error: { name: 'Unauthorized' } });
    expect(!result.ok && result.error.message).toBe(
      `${TOKEN_HELP}. This tab has no token: its address carries none, and it was not opened from a Deskmate tab.`,
    );
    expect(created).toEqual([]);
  });

  it('keeps trying while no server answers, failing a request with Disconnected meanwhile', async () => {
    // Nothing listens on port 9: not a refusal, so the bridge goes on knocking.
    const api = connectWebBridge({
      url: 'ws://127.0.0.1:9/ws?token=whatever',
      requestTimeoutMs: 150,
      minReconnectDelayMs: 20,
      maxReconnectDelayMs: 50,
    });
    cleanups.push(() => api.bridge.close());
    const result = await api.config.get({});
    expect(result).toMatchObject({ ok: false, error: { name: 'Disconnected' } });
    expect(api.bridge.status.state).toBe('connecting');
  });

  it("keeps a server's problem from before the page listened for its first listener", async () => {
    const { port } = await startHost();
    const api = bridgeTo(port, {
      url: `ws://127.0.0.1:${port}/ws?token=${TOKEN}&workspace=%2Fno%2Fsuch%2Ffolder-here`,
    });
    // A request answers after the address's folder was tried: its error frame came first.
    expect(await api.config.get({})).toMatchObject({ ok: true });
    const heard: string[] = [];
    api.bridge.onServerError((error) => heard.push(`${error.name}: ${error.message}`));
    expect(heard).toEqual(['NotFound: Folder not found: /no/such/folder-here']);
    const later: string[] = [];
    api.bridge.onServerError((error) => later.push(error.name));
    expect(later).toEqual([]);
  });

  it('fails everything pending once closed', async () => {
    const { port } = await startHost();
    const api = bridgeTo(port);
    api.bridge.close();
    expect(await api.config.get({})).toMatchObject({ ok: false, error: { name: 'Disconnected' } });
    expect(api.bridge.status.state).toBe('closed');
  });
});
