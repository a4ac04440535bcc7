import { randomUUID } from 'node:crypto';
import { realpath, stat } from 'node:fs/promises';
import {
  chatConfigSchema,
  type ChatConfig,
  type ConfigLayer,
  type ConfigSnapshot,
} from '../../../shared/config';
import type { EventName, EventPayload, WorkspaceInfo } from '../../../shared/contract';
import { NamedError } from '../../../shared/errors';
import { deepFreeze } from '../config/deep-freeze';
import { collectProblems, mergeLayers } from '../config/merge';
import { loadProjectLayers } from '../config/project-layer';
import { redactSnapshot } from '../config/redact';
import { sanitizeLayer } from '../config/sanitize';
import { ChatSession } from '../agent/chat-session';
import { EventBatcher } from './event-batcher';
import { DisposableStore, toDisposable, type Disposable } from './disposable';
import type { EngineServices } from './engine-services';

/** Delivers one event to the one client this context belongs to. */
export type EventSink = <E extends EventName>(name: E, payload: EventPayload<E>) => void;

export type ClientId = string;

/**
 * Everything one window (or browser tab) owns: workspace, config layers, and every resource it
 * registers. Disposing it releases all of them; nothing it holds is reachable from another context.
 */
export class ConversationContext implements Disposable {
  readonly id = randomUUID();
  readonly clientId: ClientId;
  readonly #services: EngineServices;
  readonly #batcher: EventBatcher;
  readonly #store = new DisposableStore();
  readonly #abort = new AbortController();
  readonly chat: ChatSession;
  #workspace: string | null = null;
  #projectLayers: readonly ConfigLayer[] = [];
  #chatLayer: ConfigLayer = deepFreeze({ source: 'chat', values: {}, problems: [] });
  #snapshot: ConfigSnapshot;
  // Bumped by every workspace switch so a slow earlier load cannot overwrite a newer one.
  #workspaceGeneration = 0;

  constructor(clientId: ClientId, services: EngineServices, sink: EventSink) {
    this.clientId = clientId;
    this.#services = services;
    this.#batcher = new EventBatcher(sink);
    this.#snapshot = this.#compute();
    this.#store.add(
      toDisposable(() => this.#abort.abort(new NamedError('Disposed', 'The window was closed'))),
    );
    this.#store.add(services.settings.onDidChange(() => this.#refresh()));
    this.chat = this.#store.add(new ChatSession(this));
    this.#store.add(this.#batcher);
  }

  get services(): EngineServices {
    return this.#services;
  }

  get chatConfig(): ChatConfig {
    return this.#chatLayer.values;
  }

  get disposed(): boolean {
    return this.#store.isDisposed;
  }

  /** Aborted when the context is disposed: everything long-running it starts listens to this. */
  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  get workspace(): string | null {
    return this.#workspace;
  }

  /** The full effective config, keys included: for the engine's own use, never sent to a client. */
  get config(): ConfigSnapshot {
    return this.#snapshot;
  }

  /** What a client may see of the config: API keys redacted. */
  publicConfig(): ConfigSnapshot {
    return redactSnapshot(this.#snapshot);
  }

  get resourceCount(): number {
    return this.#store.size;
  }

  register<T extends Disposable>(resource: T): T {
    return this.#store.add(resource);
  }

  /** Sends an event to this context's client only; streamed text is batched (EventBatcher). */
  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    if (this.disposed) return;
    this.#batcher.emit(name, payload);
  }

  async openWorkspace(folder: string): Promise<WorkspaceInfo> {
    this.#assertAlive();
    const generation = ++this.#workspaceGeneration;
    let resolved: string;
    try {
      resolved = await realpath(folder);
      if (!(await stat(resolved)).isDirectory()) {
        throw new NamedError('InvalidRequest', `Not a folder: ${folder}`, { path: folder });
      }
    } catch (error) {
      if (error instanceof NamedError) throw error;
      throw new NamedError('NotFound', `Folder not found: ${folder}`, { path: folder });
    }
    const layers = await loadProjectLayers(resolved, this.signal);
    if (this.disposed || generation !== this.#workspaceGeneration) {
      throw new NamedError('Cancelled', 'Another workspace was opened meanwhile');
    }
    const changed = this.#workspace !== resolved;
    this.#workspace = resolved;
    this.#projectLayers = layers;
    if (changed) {
      this.#services.settings.addRecentWorkspace(resolved);
      this.chat.resetShell();
      const id = this.chat.conversationId;
      if (id) await this.#services.conversations.setWorkspace(id, resolved);
    }
    const info = this.workspaceInfo();
    this.emit('workspace.changed', info);
    this.#refresh();
    return info;
  }

  workspaceInfo(): WorkspaceInfo {
    return {
      workspace: this.#workspace,
      projectFiles: this.#projectLayers.flatMap((layer) => (layer.path ? [layer.path] : [])),
    };
  }

  setChatConfig(values: ChatConfig, unset: readonly string[] = []): ConfigSnapshot {
    this.#assertAlive();
    const next: Record<string, unknown> = { ...this.#chatLayer.values };
    for (const key of unset) delete next[key];
    Object.assign(next, values);
    this.#chatLayer = sanitizeLayer(chatConfigSchema, next, { source: 'chat' });
    this.#refresh();
    const id = this.chat.conversationId;
    if (id) {
      this.#services.conversations.setChat(id, this.#chatLayer.values).catch((error: unknown) => {
        console.warn(`deskmate: could not save the chat config of ${id}:`, error);
      });
    }
    return this.publicConfig();
  }

  /** Takes a resumed conversation's chat config as this context's chat layer. */
  restoreChatConfig(values: ChatConfig): void {
    this.#assertAlive();
    this.#chatLayer = sanitizeLayer(chatConfigSchema, values, { source: 'chat' });
    this.#refresh();
  }

  dispose(): void {
    this.#store.dispose();
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  #assertAlive(): void {
    if (this.disposed) throw new NamedError('NoContext', 'This window has been closed');
  }

  #layers(): ConfigLayer[] {
    const { defaults, environment, settings } = this.#services;
    return [defaults, environment, settings.layer(), ...this.#projectLayers, this.#chatLayer];
  }

  #compute(): ConfigSnapshot {
    const layers = this.#layers();
    return deepFreeze({
      workspace: this.#workspace,
      effective: mergeLayers(layers),
      layers,
      warnings: collectProblems(layers),
    });
  }

  #refresh(): void {
    if (this.disposed) return;
    this.#snapshot = this.#compute();
    this.emit('config.changed', this.publicConfig());
  }
}
