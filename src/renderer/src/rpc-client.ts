import type { DeskmateApi } from '../../shared/api';
import type {
  EventName,
  EventPayload,
  RequestInput,
  RequestName,
  RequestOutput,
} from '../../shared/contract';
import type { RpcErrorShape } from '../../shared/errors';

/** What `window.deskmate` holds: from the preload in Electron, from the web bridge in a browser tab. */
export type WindowApi = DeskmateApi & {
  pathForFile?: (file: File) => string;
  /** The web bridge's: problems not tied to a request (the address's conversation would not open). */
  bridge?: { onServerError(listener: (error: RpcErrorShape) => void): () => void };
};

/** A failed request, recognised by `name` (InvalidRequest, NotFound, ...), as the contract promises. */
export class RpcError extends Error {
  readonly data: unknown;
  constructor(shape: RpcErrorShape) {
    super(shape.message);
    this.name = shape.name;
    this.data = shape.data;
  }
}

export interface RpcClient {
  call<M extends RequestName>(method: M, input: RequestInput<M>): Promise<RequestOutput<M>>;
  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void;
  pathForFile(file: File): string | undefined;
  /** Problems the host reports outside any request; a host without such problems never calls. */
  onHostError?(listener: (error: RpcError) => void): () => void;
}

export function createRpcClient(api: WindowApi): RpcClient {
  return {
    async call(method, input) {
      const [ns, op] = method.split('.') as [keyof DeskmateApi, string];
      const fn = (api[ns] as unknown as Record<string, (input: unknown) => Promise<unknown>>)[op];
      if (!fn) throw new RpcError({ name: 'NotImplemented', message: `${method} is not exposed` });
      const result = (await fn(input)) as { ok: true; value: never } | { ok: false; error: RpcErrorShape };
      if (!result.ok) throw new RpcError(result.error);
      return result.value;
    },
    on: (name, listener) => api.on(name, listener),
    pathForFile: (file) => api.pathForFile?.(file),
    onHostError: (listener) =>
      api.bridge?.onServerError((shape) => listener(new RpcError(shape))) ?? (() => {}),
  };
}
