import { NamedError } from '../../../shared/errors';
import { WindowContext, type ClientId, type EventSink } from './window-context';
import { toDisposable, type Disposable } from '../base/disposable';
import type { EngineServices } from './engine-services';

/** Maps a client (an Electron webContents, a WebSocket connection) to its one context. */
export class ContextRegistry implements Disposable {
  readonly #services: EngineServices;
  readonly #contexts = new Map<ClientId, WindowContext>();

  constructor(services: EngineServices) {
    this.#services = services;
  }

  get services(): EngineServices {
    return this.#services;
  }

  get size(): number {
    return this.#contexts.size;
  }

  create(clientId: ClientId, sink: EventSink): WindowContext {
    if (this.#contexts.has(clientId)) {
      throw new NamedError('InvalidRequest', `Client ${clientId} already has a context`);
    }
    const context = new WindowContext(clientId, this.#services, sink);
    this.#contexts.set(clientId, context);
    // The context removes its own entry, so a context disposed directly cannot linger here.
    context.register(toDisposable(() => this.#contexts.delete(clientId)));
    return context;
  }

  get(clientId: ClientId): WindowContext | undefined {
    return this.#contexts.get(clientId);
  }

  /** Disposes and forgets the context of a client that went away; false if it had none. */
  release(clientId: ClientId): boolean {
    const context = this.#contexts.get(clientId);
    if (!context) return false;
    context.dispose();
    return true;
  }

  contexts(): IterableIterator<WindowContext> {
    return this.#contexts.values();
  }

  dispose(): void {
    for (const context of [...this.#contexts.values()]) context.dispose();
  }
}
