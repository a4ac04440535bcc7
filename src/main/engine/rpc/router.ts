import type { z } from 'zod';
import {
  isRequestName,
  requests,
  type ParsedInput,
  type RequestName,
  type RequestOutput,
} from '../../../shared/contract';
import { NamedError, toErrorShape, type RpcErrorShape, type RpcResult } from '../../../shared/errors';
import type { ContextRegistry } from '../context/context-registry';
import type { ClientId, WindowContext } from '../context/window-context';

type Handler<M extends RequestName> = (
  context: WindowContext,
  input: ParsedInput<M>,
) => Promise<RequestOutput<M>> | RequestOutput<M>;

export type Handlers = { readonly [M in RequestName]: Handler<M> };

const MAX_ISSUES = 5;

function describeIssues(method: string, error: z.ZodError): string {
  const parts = error.issues.slice(0, MAX_ISSUES).map((issue) => {
    const where = issue.path.length ? issue.path.map(String).join('.') : '(payload)';
    return `${where}: ${issue.message}`;
  });
  const more = error.issues.length > MAX_ISSUES ? ` (and ${error.issues.length - MAX_ISSUES} more)` : '';
  return `Invalid ${method} request: ${parts.join('; ')}${more}`;
}

/** The handler's failure for the client; anything but a NamedError is a bug, logged here. */
function failureOf(error: unknown): RpcErrorShape {
  // Stryker disable next-line StringLiteral: the log's wording, read by no one but a developer
  if (!(error instanceof NamedError)) console.error('deskmate: internal error in a request handler', error);
  return toErrorShape(error);
}

/**
 * The one entry point for every host: validates the payload against the contract, finds the
 * context from the client id the host vouches for (never from the payload), runs the handler.
 */
export class Router {
  readonly #registry: ContextRegistry;
  readonly #handlers: Handlers;

  constructor(registry: ContextRegistry, handlers: Handlers) {
    this.#registry = registry;
    this.#handlers = handlers;
  }

  async handle(clientId: ClientId, method: unknown, payload: unknown): Promise<RpcResult<unknown>> {
    if (!isRequestName(method)) {
      return {
        ok: false,
        error: { name: 'InvalidRequest', message: `Unknown request: ${String(method).slice(0, 100)}` },
      };
    }
    const parsed = requests[method].input.safeParse(payload);
    if (!parsed.success) {
      const issues = parsed.error.issues.slice(0, MAX_ISSUES).map((issue) => ({
        path: issue.path.map(String).join('.'),
        message: issue.message,
      }));
      return {
        ok: false,
        error: { name: 'InvalidRequest', message: describeIssues(method, parsed.error), data: { issues } },
      };
    }
    const context = this.#registry.get(clientId);
    if (!context || context.disposed) {
      return {
        ok: false,
        error: { name: 'NoContext', message: 'No conversation is attached to this window' },
      };
    }
    try {
      const handler = this.#handlers[method] as Handler<typeof method>;
      return { ok: true, value: await handler(context, parsed.data as never) };
    } catch (error) {
      return { ok: false, error: failureOf(error) };
    }
  }
}
