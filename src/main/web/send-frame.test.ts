import type { AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import type { ServerFrame } from '../../shared/ws-protocol';
import { sendFrame } from './send-frame';

/** A real socket pair on 127.0.0.1: the server's end, and what the client end received. */
async function socketPair(): Promise<{ server: WebSocket; client: WebSocket; received: string[] }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  onTestFinished(() => new Promise<void>((resolve) => wss.close(() => resolve())));
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const { port } = wss.address() as AddressInfo;
  const accepted = new Promise<WebSocket>((resolve) => wss.once('connection', resolve));
  const client = new WebSocket(`ws://127.0.0.1:${port}`);
  onTestFinished(() => client.terminate());
  const received: string[] = [];
  client.on('message', (data: Buffer) => received.push(data.toString('utf8')));
  await new Promise<void>((resolve) => client.once('open', () => resolve()));
  const server = await accepted;
  onTestFinished(() => server.terminate());
  return { server, client, received };
}

/** Waits for a ping's answer: the client has read everything the server sent before it. */
async function flushed(server: WebSocket): Promise<void> {
  const pong = new Promise<void>((resolve) => server.once('pong', () => resolve()));
  server.ping();
  await pong;
}

const SESSION: ServerFrame = { type: 'session', session: 'abcdefghijklmnop', resumed: false };

describe('sendFrame', () => {
  it('sends one frame as JSON on an open socket', async () => {
    const { server, received } = await socketPair();
    expect(sendFrame(server, SESSION)).toBe(true);
    await flushed(server);
    expect(received.map((text) => JSON.parse(text) as unknown)).toEqual([SESSION]);
  });

  it('sends nothing on a socket that is closing or closed, and says so', async () => {
    const { server, client, received } = await socketPair();
    server.close();
    expect(sendFrame(server, SESSION)).toBe(false);
    await new Promise<void>((resolve) => client.once('close', () => resolve()));
    expect(sendFrame(server, SESSION)).toBe(false);
    expect(received).toEqual([]);
  });

  it('sends nothing for a frame that cannot be serialized, logs why, and keeps the socket', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    onTestFinished(() => error.mockRestore());
    const { server, received } = await socketPair();
    const frame: ServerFrame = { type: 'response', id: 1, result: { ok: true, value: 10n } };
    expect(sendFrame(server, frame)).toBe(false);
    expect(error).toHaveBeenCalledWith(
      'deskmate: could not serialize a response frame:',
      expect.any(TypeError),
    );
    expect(server.readyState).toBe(WebSocket.OPEN);
    expect(sendFrame(server, SESSION)).toBe(true);
    await flushed(server);
    expect(received.map((text) => JSON.parse(text) as unknown)).toEqual([SESSION]);
  });
});
