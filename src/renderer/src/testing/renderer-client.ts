// The renderer's side of the IPC boundary, for component tests: records each request and lets
// the test push events, exactly as the preload or the web bridge would deliver them.
import { TOOL_NAMES } from '../../../shared/config';
import { UNTRUSTED } from '../../../shared/workspace-trust';
import type {
  EventName,
  EventPayload,
  RequestInput,
  RequestName,
  RequestOutput,
} from '../../../shared/contract';
import { RpcError, type RpcClient } from '../rpc-client';

type Answers = {
  [M in RequestName]?: (input: RequestInput<M>) => RequestOutput<M> | Promise<RequestOutput<M>>;
};

export function createRendererClient(answers: Answers = {}) {
  const calls: Array<{ method: RequestName; input: unknown }> = [];
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const defaults: Answers = {
    'window.state': () => ({
      conversation: null,
      workspace: { workspace: '/home/me/project', projectFiles: [], trust: UNTRUSTED },
      turnId: null,
      pending: [],
      providerReady: true,
    }),
    'config.get': () => ({
      workspace: '/home/me/project',
      effective: {
        provider: { baseUrl: 'http://127.0.0.1:1/v1', apiKey: '••••' },
        model: 'test-model',
        prompt: '',
        files: [],
        env: {},
        tools: [...TOOL_NAMES],
        autoApprove: 0,
        maxSteps: 30,
        requestTimeoutMs: 60000,
        shellTimeoutMs: 120000,
      },
      layers: [],
      warnings: [],
    }),
    'workspace.recent': () => ({ items: [] }),
    'conversation.list': () => ({ items: [], total: 0 }),
    'trust.list': () => ({ folders: [] }),
    'settings.get': () => ({ values: {}, hasApiKey: false, keyStorage: 'file', path: '/data/settings.json' }),
  };
  const client: RpcClient = {
    async call(method, input) {
      calls.push({ method, input });
      const answer = (answers[method] ?? defaults[method]) as ((i: unknown) => unknown) | undefined;
      if (!answer) throw new RpcError({ name: 'NotImplemented', message: `no answer for ${method}` });
      try {
        return (await answer(input)) as never;
      } catch (error) {
        const e = error as Error;
        throw new RpcError({ name: e.name, message: e.message });
      }
    },
    on(name, listener) {
      if (!listeners.has(name)) listeners.set(name, new Set());
      listeners.get(name)!.add(listener as (payload: unknown) => void);
      return () => listeners.get(name)?.delete(listener as (payload: unknown) => void);
    },
    pathForFile: (file) => `/real/${file.name}`,
  };
  return {
    client,
    calls,
    callsOf: (method: RequestName) => calls.filter((c) => c.method === method).map((c) => c.input),
    emit<E extends EventName>(name: E, payload: EventPayload<E>) {
      for (const listener of listeners.get(name) ?? []) listener(payload);
    },
  };
}
