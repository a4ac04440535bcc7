import { describe, expect, it } from 'vitest';
import {
  isSessionId,
  parseClientFrame,
  parseServerFrame,
  WS_CLOSE,
  WS_MAX_PAYLOAD,
  WS_PARAMS,
  WS_PATH,
} from './ws-protocol';

const json = (value: unknown) => JSON.stringify(value);

describe('the WebSocket wire constants', () => {
  it('name the path, the query parameters and the close codes both ends use', () => {
    expect(WS_PATH).toBe('/ws');
    expect(WS_MAX_PAYLOAD).toBe(8 * 1024 * 1024);
    expect(WS_PARAMS).toEqual({
      token: 'token',
      session: 'session',
      resume: 'resume',
      workspace: 'workspace',
      conversation: 'conversation',
    });
    expect(Object.isFrozen(WS_PARAMS)).toBe(true);
    expect(WS_CLOSE).toEqual({ unsupportedData: 1003, tooBig: 1009, goingAway: 1001 });
  });
});

describe('session ids', () => {
  it('are 16 to 128 URL-safe characters, nothing else', () => {
    for (const id of ['a'.repeat(16), 'A-b_9'.repeat(4), 'x'.repeat(128)])
      expect(isSessionId(id), id).toBe(true);
    for (const id of [
      'a'.repeat(15),
      'x'.repeat(129),
      `${'a'.repeat(16)}/`,
      `../${'a'.repeat(16)}`,
      `${'a'.repeat(16)}\n`,
      'a'.repeat(8) + ' ' + 'a'.repeat(8),
      1234567890123456,
      null,
      undefined,
    ]) {
      expect(isSessionId(id), String(id)).toBe(false);
    }
  });
});

describe('a client frame', () => {
  it('is a request with a non-negative integer id and a method name', () => {
    expect(parseClientFrame(json({ type: 'request', id: 0, method: 'config.get', input: { a: 1 } }))).toEqual(
      {
        ok: true,
        frame: { type: 'request', id: 0, method: 'config.get', input: { a: 1 } },
      },
    );
  });

  it('that is malformed is refused with why, and its id when one can be read', () => {
    const cases: [string, { id: number | null; message: string }][] = [
      ['not json', { id: null, message: 'Frame is not JSON' }],
      ['[1,2]', { id: null, message: 'Frame is not an object' }],
      ['null', { id: null, message: 'Frame is not an object' }],
      ['"request"', { id: null, message: 'Frame is not an object' }],
      [json({ type: 'event', id: 7 }), { id: 7, message: 'Frame type must be "request"' }],
      [json({ id: 7, method: 'config.get' }), { id: 7, message: 'Frame type must be "request"' }],
      [
        json({ type: 'request', id: -1, method: 'config.get' }),
        { id: null, message: 'Request id must be a non-negative integer' },
      ],
      [
        json({ type: 'request', id: 1.5, method: 'config.get' }),
        { id: null, message: 'Request id must be a non-negative integer' },
      ],
      [
        json({ type: 'request', id: '1', method: 'config.get' }),
        { id: null, message: 'Request id must be a non-negative integer' },
      ],
      [
        json({ type: 'request', id: 2 ** 53, method: 'config.get' }),
        { id: null, message: 'Request id must be a non-negative integer' },
      ],
      [json({ type: 'request', id: 3, method: 42 }), { id: 3, message: 'Request method must be a string' }],
      [json({ type: 'request', id: 3 }), { id: 3, message: 'Request method must be a string' }],
    ];
    for (const [text, expected] of cases) {
      expect(parseClientFrame(text), text).toEqual({ ok: false, ...expected });
    }
  });
});

describe('a server frame', () => {
  it('is read when it is one this side understands', () => {
    const frames = [
      { type: 'response', id: 4, result: { ok: true, value: { x: 1 } } },
      { type: 'response', id: 0, result: { ok: false, error: { name: 'NotFound', message: 'gone' } } },
      { type: 'event', name: 'message.delta', payload: { text: 'hi' } },
      { type: 'session', session: 's'.repeat(16), resumed: false },
      { type: 'error', error: { name: 'EventsLost', message: 'reload' } },
    ];
    for (const frame of frames) expect(parseServerFrame(json(frame)), frame.type).toEqual(frame);
    // An undefined value is dropped by JSON; the result is still a result.
    expect(parseServerFrame(json({ type: 'response', id: 1, result: { ok: true } }))).toEqual({
      type: 'response',
      id: 1,
      result: { ok: true },
    });
  });

  it('is ignored when it is anything else', () => {
    const frames: unknown[] = [
      'not json',
      [1],
      null,
      { type: 'nope' },
      { type: 'response', id: -1, result: { ok: true } },
      { type: 'response', id: 1, result: 'ok' },
      { type: 'response', id: 1, result: null },
      { type: 'response', id: 1, result: { ok: 'yes' } },
      { type: 'response', id: 1, result: { ok: false, error: { name: 'X' } } },
      { type: 'response', id: 1, result: { ok: false } },
      { type: 'response', id: 1, result: { ok: 'no', error: { name: 'X', message: 'm' } } },
      { type: 'event', name: 'not.an.event', payload: {} },
      { type: 'event', name: 'toString', payload: {} },
      { type: 'session', session: 'short', resumed: true },
      { type: 'session', session: 's'.repeat(16), resumed: 'yes' },
      { type: 'error', error: { message: 'no name' } },
    ];
    for (const frame of frames) {
      const text = typeof frame === 'string' ? frame : json(frame);
      expect(parseServerFrame(text), text).toBeNull();
    }
  });
});
