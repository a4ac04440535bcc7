import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { eventChannel, requestChannel } from '../shared/channels';
import { eventNames, requestNames } from '../shared/contract';

const BUILT = path.resolve('out/preload/index.cjs');

/** Loads the built preload the way a sandboxed renderer does: CommonJS, `require('electron')` only. */
function loadPreload() {
  const exposed: Record<string, unknown> = {};
  const invoked: Array<[string, unknown]> = [];
  const listeners = new Map<string, Set<(...args: unknown[]) => void>>();
  const electron = {
    contextBridge: {
      exposeInMainWorld: (key: string, value: unknown) => {
        exposed[key] = value;
      },
    },
    ipcRenderer: {
      invoke: async (channel: string, payload: unknown) => {
        invoked.push([channel, payload]);
        return { ok: true, value: channel };
      },
      on: (channel: string, fn: (...args: unknown[]) => void) => {
        if (!listeners.has(channel)) listeners.set(channel, new Set());
        listeners.get(channel)!.add(fn);
      },
      removeListener: (channel: string, fn: (...args: unknown[]) => void) =>
        listeners.get(channel)?.delete(fn),
    },
    webUtils: { getPathForFile: (file: { name: string }) => `/real/${file.name}` },
  };
  const required: string[] = [];
  const module = { exports: {} };
  const sandbox = {
    module,
    exports: module.exports,
    require: (id: string) => {
      required.push(id);
      if (id === 'electron') return electron;
      throw new Error(`A sandboxed preload cannot require ${id}`);
    },
  };
  vm.runInNewContext(readFileSync(BUILT, 'utf8'), sandbox, { filename: BUILT });
  return { exposed, invoked, listeners, required };
}

describe('the built preload', () => {
  it('exists (run `npm run build` first)', () => {
    expect(existsSync(BUILT), `${BUILT} is missing: run npm run build`).toBe(true);
  });

  it('is CommonJS that needs nothing but electron', () => {
    const source = readFileSync(BUILT, 'utf8');
    expect(source).not.toMatch(/^\s*(import|export)\s/m);
    const { required } = loadPreload();
    expect([...new Set(required)]).toEqual(['electron']);
  });

  it("exposes exactly the contract's API and nothing else", () => {
    const { exposed } = loadPreload();
    expect(Object.keys(exposed)).toEqual(['deskmate']);
    const api = exposed.deskmate as Record<string, Record<string, unknown>>;
    const namespaces = [...new Set(requestNames.map((n) => n.split('.')[0]))];
    expect(Object.keys(api).sort()).toEqual([...namespaces, 'on', 'pathForFile'].sort());
    for (const ns of namespaces) {
      const ops = requestNames.filter((n) => n.startsWith(`${ns}.`)).map((n) => n.slice(ns!.length + 1));
      expect(Object.keys(api[ns!]!).sort(), ns).toEqual(ops.sort());
      for (const op of ops) expect(typeof api[ns!]![op]).toBe('function');
    }
    // The namespaces are plain objects of functions: no raw ipcRenderer hides behind a prototype.
    // (The preload runs in its own realm, so compare prototype depth rather than identity.)
    for (const ns of namespaces) expect(Object.getPrototypeOf(Object.getPrototypeOf(api[ns!]))).toBeNull();
  });

  it('sends each request on its own channel and returns the result as is', async () => {
    const { exposed, invoked } = loadPreload();
    const api = exposed.deskmate as Record<string, Record<string, (input: unknown) => Promise<unknown>>>;
    for (const name of requestNames) {
      const [ns, op] = name.split('.') as [string, string];
      await expect(api[ns]![op]!({ probe: name })).resolves.toEqual({
        ok: true,
        value: requestChannel(name),
      });
    }
    expect(invoked.map(([channel]) => channel)).toEqual(requestNames.map(requestChannel));
  });

  it('delivers events without the IPC event object, and unsubscribes', () => {
    const { exposed, listeners } = loadPreload();
    const api = exposed.deskmate as { on: (name: string, fn: (payload: unknown) => void) => () => void };
    const received: unknown[][] = [];
    const off = api.on('message.delta', (...args) => received.push(args));
    const channel = eventChannel('message.delta');
    for (const fn of listeners.get(channel) ?? []) fn({ sender: 'secret' }, { text: 'hi' });
    expect(received).toEqual([[{ text: 'hi' }]]);
    off();
    expect(listeners.get(channel)?.size).toBe(0);
    expect(() => api.on('not.an.event', () => {})).toThrow(/Unknown event/);
    expect(eventNames.length).toBeGreaterThan(10);
  });

  it('resolves dropped files through webUtils', () => {
    const { exposed } = loadPreload();
    const api = exposed.deskmate as { pathForFile: (file: { name: string }) => string };
    expect(api.pathForFile({ name: 'project' })).toBe('/real/project');
  });
});
