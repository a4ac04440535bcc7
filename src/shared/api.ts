// The API a renderer sees (window.deskmate), built from the contract: one function per request,
// grouped by the namespace before the dot, plus `on` for events. The preload builds it over
// ipcRenderer and the web bridge over a WebSocket; neither lists a request by hand.
import {
  isEventName,
  requestNames,
  type EventName,
  type EventPayload,
  type RequestInput,
  type RequestName,
  type RequestOutput,
} from './contract';
import type { RpcResult } from './errors';

type Namespace = RequestName extends `${infer NS}.${string}` ? NS : never;

type NamespaceApi<NS extends Namespace> = {
  [M in RequestName as M extends `${NS}.${infer Op}` ? Op : never]: (
    input: RequestInput<M>,
  ) => Promise<RpcResult<RequestOutput<M>>>;
};

type EventListener<E extends EventName> = (payload: EventPayload<E>) => void;

export type DeskmateApi = { [NS in Namespace]: NamespaceApi<NS> } & {
  on<E extends EventName>(name: E, listener: EventListener<E>): () => void;
};

export interface Transport {
  invoke(name: RequestName, input: unknown): Promise<RpcResult<unknown>>;
  subscribe(name: EventName, listener: (payload: unknown) => void): () => void;
}

export function buildApi(transport: Transport): DeskmateApi {
  const api: Record<string, Record<string, unknown>> = {};
  for (const name of requestNames) {
    const parts = name.split('.');
    const [ns, op] = parts as [string, string];
    api[ns] ??= {};
    api[ns][op] = (input: unknown) => transport.invoke(name, input);
  }
  const on = (name: unknown, listener: unknown) => {
    if (!isEventName(name)) throw new TypeError(`Unknown event: ${String(name)}`);
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    return transport.subscribe(name, (payload) => (listener as (p: unknown) => void)(payload));
  };
  const built = { ...api, on };
  return built as unknown as DeskmateApi;
}
