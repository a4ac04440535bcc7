import { randomBytes, randomUUID } from 'node:crypto';
import { WebSocket } from 'ws';
import type { EventName, EventPayload } from '../../shared/contract';
import type { EventFrame } from '../../shared/ws-protocol';
import type { ContextRegistry } from '../engine/context/context-registry';
import type { EventSink } from '../engine/context/window-context';
import type { Disposable } from '../engine/base/disposable';
import { sendFrame } from './send-frame';

export interface WebSessionsOptions {
  /** How long a closed socket's context waits for its tab to come back (a reload). */
  graceMs: number;
  /** Events kept for a detached session; past this they are dropped and the tab told so. */
  maxMissedEvents?: number;
}

/**
 * One tab's hold on one context. The registry's sink for the context forwards here, so the socket
 * it reaches can change (a reload, a reconnect) while the context, its turn and its shell live on.
 */
export class WebSession {
  readonly id: string;
  readonly clientId = `web-${randomUUID()}`;
  #socket: WebSocket | null;
  #missed: EventFrame[] = [];
  #lost = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #maxMissed: number;

  constructor(id: string, socket: WebSocket, maxMissed: number) {
    this.id = id;
    this.#socket = socket;
    this.#maxMissed = maxMissed;
  }

  get socket(): WebSocket | null {
    return this.#socket;
  }

  /** Open and attached to a socket: a second tab claiming this session must get its own. */
  get live(): boolean {
    return this.#socket?.readyState === WebSocket.OPEN;
  }

  readonly sink: EventSink = <E extends EventName>(name: E, payload: EventPayload<E>) => {
    const frame: EventFrame = { type: 'event', name, payload };
    if (this.#socket && sendFrame(this.#socket, frame)) return;
    // Between a socket's end and the tab's return: keep what the tab would have seen, within reason.
    // Stryker disable next-line ConditionalExpression: spares memory only; a lost session's events are never sent (rebind reports the loss)
    if (this.#lost) return;
    if (this.#missed.length >= this.#maxMissed) {
      // Stryker disable next-line ArrayDeclaration: frees the kept events, which a lost session never sends
      this.#missed = [];
      this.#lost = true;
      return;
    }
    this.#missed.push(frame);
  };

  /** Rebinds the session to a new socket; with `replay`, sends the events it missed meanwhile. */
  rebind(socket: WebSocket, replay: boolean): void {
    this.#cancelExpiry();
    this.#socket = socket;
    const missed = this.#missed;
    const lost = this.#lost;
    this.#missed = [];
    this.#lost = false;
    // A reloaded page asks for the whole state anyway; only a reconnecting one needs the gap filled.
    if (!replay) return;
    if (lost) {
      sendFrame(socket, {
        type: 'error',
        error: { name: 'EventsLost', message: 'Events were missed while disconnected: reload to resync' },
      });
    } else {
      for (const frame of missed) sendFrame(socket, frame);
    }
  }

  detach(socket: WebSocket, graceMs: number, expire: () => void): void {
    if (this.#socket !== socket) return;
    // No grace period is running: one starts only here, on the session's socket, which is now gone.
    this.#socket = null;
    this.#timer = setTimeout(expire, graceMs);
  }

  cancel(): void {
    this.#cancelExpiry();
    this.#socket = null;
    // Stryker disable next-line ArrayDeclaration: frees the kept events of a forgotten session, which nothing reads again
    this.#missed = [];
  }

  #cancelExpiry(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}

function newSessionId(): string {
  return randomBytes(18).toString('base64url');
}

/** The sessions of one headless server, each owning one context of the registry. */
export class WebSessions implements Disposable {
  readonly #registry: ContextRegistry;
  readonly #graceMs: number;
  readonly #maxMissed: number;
  readonly #sessions = new Map<string, WebSession>();

  constructor(registry: ContextRegistry, options: WebSessionsOptions) {
    this.#registry = registry;
    this.#graceMs = options.graceMs;
    this.#maxMissed = options.maxMissedEvents ?? 5_000;
  }

  get size(): number {
    return this.#sessions.size;
  }

  /**
   * Attaches a new socket: to the session it names if that one is waiting for its tab, else to a
   * new session and context. A session still live on another socket (a duplicated tab copies
   * sessionStorage) is never shared: the newcomer gets a fresh id.
   */
  attach(
    socket: WebSocket,
    requested: string | null,
    replay: boolean,
  ): { session: WebSession; resumed: boolean } {
    // Stryker disable next-line ConditionalExpression: the map has no null key either
    const existing = requested === null ? undefined : this.#sessions.get(requested);
    const waiting = existing && !existing.live ? this.#registry.get(existing.clientId) : undefined;
    if (existing && waiting) {
      // The session frame goes first: the tab learns it was resumed before any replayed event.
      sendFrame(socket, { type: 'session', session: existing.id, resumed: true });
      existing.rebind(socket, replay);
      waiting.setAway(false);
      return { session: existing, resumed: true };
    }
    const id = requested !== null && !existing ? requested : newSessionId();
    const session = new WebSession(id, socket, this.#maxMissed);
    sendFrame(socket, { type: 'session', session: id, resumed: false });
    const context = this.#registry.create(session.clientId, session.sink);
    this.#sessions.set(id, session);
    context.register({ dispose: () => this.#forget(session) });
    return { session, resumed: false };
  }

  /**
   * The socket went away: its context waits `graceMs` for the tab, then is released (shell and
   * all). Meanwhile it is away: its conversation goes to the first other tab that opens it.
   */
  detach(session: WebSession, socket: WebSocket): void {
    if (session.socket !== socket) return;
    session.detach(socket, this.#graceMs, () => this.#registry.release(session.clientId));
    // A reload comes back within the grace period; a closed tab never does. Either way, until it
    // does its conversation is free for another tab to open: the tab's context lets it go then.
    // Stryker disable next-line OptionalChaining: a session on its socket has its context (#forget cancels it first)
    this.#registry.get(session.clientId)?.setAway(true);
  }

  dispose(): void {
    for (const session of [...this.#sessions.values()]) this.#registry.release(session.clientId);
  }

  #forget(session: WebSession): void {
    session.cancel();
    // A session id is reused only once its session is forgotten: the entry is this session's.
    this.#sessions.delete(session.id);
  }
}
