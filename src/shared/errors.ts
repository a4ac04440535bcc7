// Errors cross IPC and WebSocket boundaries as plain data; structured clone drops prototypes, so
// they are recognised by `name`, never by `instanceof`.
// Every name an error may carry, in one list: the engine throws only these, and the renderer
// compares only against these, so a renamed error is a type error on both sides, not a silent
// mismatch.
export const ERROR_NAMES = Object.freeze([
  // Requests and contexts.
  'InvalidRequest',
  'NotImplemented',
  'NoContext',
  'NotFound',
  'Forbidden',
  'Unsupported',
  'Internal',
  'Busy',
  'AlreadyOpen',
  'NothingToRetry',
  'TrustRequestChanged',
  // Cancellation.
  'Cancelled',
  'Disposed',
  'Interrupted',
  // The provider.
  'ProviderNotConfigured',
  'ProviderAuth',
  'ModelNotFound',
  'RateLimited',
  'ProviderTimeout',
  'ProviderUnreachable',
  'ProviderUnavailable',
  'ProviderDropped',
  'ProviderError',
  'StreamDropped',
  // Tools and the files they touch.
  'UnknownTool',
  'InvalidToolArguments',
  'NoWorkspace',
  'PathOutsideWorkspace',
  'PathOffLimits',
  'PathChanged',
  'InvalidPath',
  'NotADirectory',
  'IsADirectory',
  'NotARegularFile',
  'SymbolicLink',
  'SymlinkLoop',
  'HardLinked',
  'BinaryFile',
  'FileTooLarge',
  'InvalidRange',
  'PlaceholderLines',
  'PermissionDenied',
  'ReadOnly',
  'DiskFull',
  'ShellTimeout',
  'PatchMalformed',
  'PatchNotFound',
  'PatchNotUnique',
  'PatchNoChange',
  // The data folder and the hosts.
  'DataDirUnusable',
  'ImportSourceNotFound',
  'Unauthorized',
  'WeakToken',
  'Disconnected',
  'EventsLost',
] as const);

export type ErrorName = (typeof ERROR_NAMES)[number];

/**
 * Errors a change in Settings fixes: a refused key, no provider at all, a model the provider does not
 * have, a URL nothing answers at. Only these offer "Open Settings"; a rate limit or a dropped
 * connection is not the settings' fault.
 */
const SETTINGS_CAN_FIX: ReadonlySet<string | null | undefined> = new Set<ErrorName>([
  'ProviderAuth',
  'ProviderNotConfigured',
  'ModelNotFound',
  'ProviderUnreachable',
]);

export function settingsCanFix(name: string | null | undefined): boolean {
  return SETTINGS_CAN_FIX.has(name);
}

/**
 * An error as it crosses a boundary. Its name stays a string: a log written by gptme or an older
 * Deskmate may carry any; compare it with `isNamedError(value, name)`, whose name is from the list.
 */
export interface RpcErrorShape {
  name: string;
  message: string;
  data?: unknown;
}

export class NamedError extends Error {
  readonly data: unknown;

  declare name: ErrorName;

  constructor(name: ErrorName, message: string, data?: unknown) {
    super(message);
    this.name = name;
    this.data = data;
  }

  /**
   * An error that crossed a boundary, thrown again on this side. A name not on the list (an older
   * or newer peer) is a failure we cannot name: `Internal`, with the peer's message kept.
   */
  static fromShape(shape: RpcErrorShape): NamedError {
    const name = (ERROR_NAMES as readonly string[]).includes(shape.name)
      ? (shape.name as ErrorName)
      : 'Internal';
    return new NamedError(name, shape.message, shape.data);
  }

  toShape(): RpcErrorShape {
    return this.data === undefined
      ? { name: this.name, message: this.message }
      : { name: this.name, message: this.message, data: this.data };
  }
}

/** An error, or its shape after a boundary; with `name`, one of that name. */
export function isNamedError(value: unknown, name?: ErrorName): value is RpcErrorShape {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<RpcErrorShape>;
  if (typeof candidate.name !== 'string' || typeof candidate.message !== 'string') return false;
  return name === undefined || candidate.name === name;
}

/**
 * Whatever was thrown, as it crosses a boundary: a NamedError as itself; anything else is a bug,
 * said as `Internal` with its message and never its stack.
 */
export function toErrorShape(error: unknown): RpcErrorShape {
  if (error instanceof NamedError) return error.toShape();
  return { name: 'Internal', message: error instanceof Error ? error.message : textOf(error) };
}

/** Whatever was thrown, in words; a value with no text form (a null-prototype object) must not make the answer itself throw. */
function textOf(thrown: unknown): string {
  try {
    return String(thrown);
  } catch {
    return 'The request failed';
  }
}

export type RpcResult<T> = { ok: true; value: T } | { ok: false; error: RpcErrorShape };
