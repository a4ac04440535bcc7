import type {
  EventName,
  EventPayload,
  RequestInput,
  RequestName,
  RequestOutput,
} from '../../shared/contract';
import { NamedError } from '../../shared/errors';
import type { ClientId, EventSink, WindowContext } from '../engine/context/window-context';
import type { Engine } from '../engine/create-engine';

export interface CliClient {
  /**
   * The client's own context. Only the host may reach it directly, for what no window may ask
   * (the CLI's `--trust`, for this run and never saved); everything else is a request.
   */
  readonly context: WindowContext;
  /** Sends a request through the router, as a window does; a failure is thrown as its NamedError. */
  request<M extends RequestName>(method: M, input: RequestInput<M>): Promise<RequestOutput<M>>;
  /** Resolves with the turn's conversation once `turn.completed` or `turn.failed` has been sent for it. */
  turnEnded(turnId: string): Promise<string>;
}

/**
 * Connects the CLI to the engine as a client of its own, like a window: a context in the registry
 * under `clientId`, its events to `sink`, its requests through the same router and contract.
 */
export function connectCliClient(
  engine: Pick<Engine, 'registry' | 'router'>,
  clientId: ClientId,
  sink: EventSink,
): CliClient {
  // A turn may end before the answer to chat.send is read (a provider that fails at once): kept.
  const ended = new Map<string, string>();
  const waiting = new Map<string, (conversationId: string) => void>();
  const observe: EventSink = <E extends EventName>(name: E, payload: EventPayload<E>) => {
    sink(name, payload);
    if (name !== 'turn.completed' && name !== 'turn.failed') return;
    const { turnId, conversationId } = payload as EventPayload<'turn.completed'>;
    ended.set(turnId, conversationId);
    waiting.get(turnId)?.(conversationId);
  };
  const context = engine.registry.create(clientId, observe);
  return {
    context,
    async request(method, input) {
      const result = await engine.router.handle(clientId, method, input);
      if (!result.ok) throw NamedError.fromShape(result.error);
      return result.value as RequestOutput<typeof method>;
    },
    turnEnded(turnId) {
      const conversationId = ended.get(turnId);
      if (conversationId !== undefined) return Promise.resolve(conversationId);
      return new Promise((resolve) => waiting.set(turnId, resolve));
    },
  };
}
