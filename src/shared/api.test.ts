import { describe, expect, it } from 'vitest';
import { buildApi, type Transport } from './api';
import { requestNames } from './contract';

/** A transport that records what the API asks of it. */
function recordingTransport() {
  const invoked: [string, unknown][] = [];
  const listeners = new Map<string, (payload: unknown) => void>();
  let unsubscribed = 0;
  const transport: Transport = {
    invoke: (name, input) => {
      invoked.push([name, input]);
      return Promise.resolve({ ok: true, value: name });
    },
    subscribe: (name, listener) => {
      listeners.set(name, listener);
      return () => (unsubscribed += 1);
    },
  };
  return { transport, invoked, listeners, unsubscribed: () => unsubscribed };
}

describe('window.deskmate', () => {
  it('has one function per request, grouped by namespace, each sending its own name', async () => {
    const { transport, invoked } = recordingTransport();
    const api = buildApi(transport) as unknown as Record<
      string,
      Record<string, (input: unknown) => Promise<unknown>>
    >;
    for (const name of requestNames) {
      const [ns, op] = name.split('.') as [string, string];
      expect(await api[ns]![op]!({ for: name }), name).toEqual({ ok: true, value: name });
    }
    expect(invoked).toEqual(requestNames.map((name) => [name, { for: name }]));
    expect(Object.keys(api.chat!).sort()).toEqual(['delete', 'interrupt', 'retry', 'send']);
  });

  it('delivers an event’s payload to its listener until unsubscribed', () => {
    const { transport, listeners, unsubscribed } = recordingTransport();
    const api = buildApi(transport);
    const seen: unknown[] = [];
    const off = api.on('message.delta', (payload) => seen.push(payload));
    listeners.get('message.delta')!({ text: 'hi' });
    expect(seen).toEqual([{ text: 'hi' }]);
    off();
    expect(unsubscribed()).toBe(1);
  });

  it('refuses an unknown event or a listener that is not a function', () => {
    const { transport, listeners } = recordingTransport();
    const api = buildApi(transport);
    expect(() => api.on('chat.send' as never, () => undefined)).toThrow(
      new TypeError('Unknown event: chat.send'),
    );
    expect(() => api.on('toString' as never, () => undefined)).toThrow(TypeError);
    expect(() => api.on('message.delta', 'alert(1)' as never)).toThrow(
      new TypeError('listener must be a function'),
    );
    expect(listeners.size).toBe(0);
  });
});
