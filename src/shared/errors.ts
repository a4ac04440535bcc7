// Errors cross IPC and WebSocket boundaries as plain data; structured clone drops prototypes, so
// they are recognised by `name`, never by `instanceof`.
export type ErrorName =
  | 'InvalidRequest'
  | 'NotImplemented'
  | 'NoContext'
  | 'NotFound'
  | 'Forbidden'
  | 'Unsupported'
  | 'Internal'
  | 'Cancelled'
  | 'Disposed';

/**
 * Errors a change in Settings fixes: a refused key, no provider at all, a model the provider does not
 * have, a URL nothing answers at. Only these offer "Open Settings"; a rate limit or a dropped
 * connection is not the settings' fault.
 */
const SETTINGS_CAN_FIX: ReadonlySet<string | null | undefined> = new Set([
  'ProviderAuth',
  'ProviderNotConfigured',
  'ModelNotFound',
  'ProviderUnreachable',
]);

export function settingsCanFix(name: string | null | undefined): boolean {
  return SETTINGS_CAN_FIX.has(name);
}

export interface RpcErrorShape {
  name: string;
  message: string;
  data?: unknown;
}

export class NamedError extends Error {
  readonly data: unknown;

  constructor(name: ErrorName | (string & {}), message: string, data?: unknown) {
    super(message);
    this.name = name;
    this.data = data;
  }

  toShape(): RpcErrorShape {
    return this.data === undefined
      ? { name: this.name, message: this.message }
      : { name: this.name, message: this.message, data: this.data };
  }
}

export function isNamedError(value: unknown, name?: string): value is RpcErrorShape {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<RpcErrorShape>;
  if (typeof candidate.name !== 'string' || typeof candidate.message !== 'string') return false;
  return name === undefined || candidate.name === name;
}

export type RpcResult<T> = { ok: true; value: T } | { ok: false; error: RpcErrorShape };
