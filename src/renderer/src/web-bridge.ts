// window.deskmate for a browser tab: the contract's API (buildApi, as the preload builds it) over
// one WebSocket to the headless host. The connection survives drops: it comes back with the same
// session, and the server gives back the same context if the tab returns within its grace period.
import { buildApi, type DeskmateApi, type Transport } from '../../shared/api';
import type { EventName, RequestName } from '../../shared/contract';
import type { RpcErrorShape, RpcResult } from '../../shared/errors';
import { isSessionId, parseServerFrame, WS_PARAMS, WS_PATH } from '../../shared/ws-protocol';

const SESSION_KEY = 'deskmate.session';

export type BridgeState = 'connecting' | 'open' | 'closed';

export interface BridgeStatus {
  state: BridgeState;
  sessionId: string | null;
  /** Once open: the server still had this tab's context (always false on a page's first connection). */
  resumed: boolean;
  /** Once open: this is a reconnection, not the page's first connection. */
  reconnected: boolean;
}

export interface WebBridgeOptions {
  /** The WebSocket URL; by default `/ws` on the page's own host, with its token, workspace and conversation. */
  url?: string;
  /** By default the one kept in the tab's sessionStorage, else the server picks one. */
  sessionId?: string;
  /** How long a request made while disconnected waits for the connection. Default 20 s. */
  requestTimeoutMs?: number;
  minReconnectDelayMs?: number;
  maxReconnectDelayMs?: number;
  /** For hosts whose WebSocket needs more than a URL (a test's Origin header). */
  createSocket?: (url: string) => WebSocket;
}

export interface WebBridgeControl {
  readonly status: BridgeStatus;
  onStatus(listener: (status: BridgeStatus) => void): () => void;
  /** Problems not tied to a request: a URL's workspace that would not open, events lost in a gap. */
  onServerError(listener: (error: RpcErrorShape) => void): () => void;
  /** Forgets the tab's session, so the next page load starts a context of its own. */
  forgetSession(): void;
  close(): void;
}

export type WebBridge = DeskmateApi & { readonly bridge: WebBridgeControl };

interface PendingRequest {
  id: number;
  text: string;
  resolve: (result: RpcResult<unknown>) => void;
  timer?: ReturnType<typeof setTimeout>;
}

function disconnected(message: string): RpcResult<never> {
  return { ok: false, error: { name: 'Disconnected', message } };
}

// sessionStorage can be missing (not a browser) or throw (storage disabled): the bridge works without it.
function readSession(): string | null {
  try {
    const value = typeof sessionStorage === 'undefined' ? null : sessionStorage.getItem(SESSION_KEY);
    return isSessionId(value) ? value : null;
  } catch {
    return null;
  }
}

function writeSession(id: string | null): void {
  try {
    if (typeof sessionStorage === 'undefined') return;
    if (id === null) sessionStorage.removeItem(SESSION_KEY);
    else sessionStorage.setItem(SESSION_KEY, id);
  } catch {
    // Without storage a reload gets a new context; nothing else is lost.
  }
}

/**
 * `/ws` on the page's own origin, carrying the page's workspace and conversation. The token is not
 * in it: the server set it as a cookie with the page, named after its port so that another local
 * server's cookie cannot replace it.
 */
export function defaultBridgeUrl(): string {
  if (typeof location === 'undefined') throw new Error('connectWebBridge needs a url outside a browser page');
  const url = new URL(WS_PATH, location.href);
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  url.search = '';
  url.hash = '';
  const page = new URLSearchParams(location.search);
  for (const key of [WS_PARAMS.workspace, WS_PARAMS.conversation]) {
    const value = page.get(key);
    if (value) url.searchParams.set(key, value);
  }
  return url.href;
}

/**
 * The page's address without its `token` parameter (path, the other parameters spelled as they
 * were, and the hash), or null when it has none. Once the page is open the cookie carries the
 * token; left in the address it would end up in the history, a bookmark or a shared screenshot.
 */
export function addressWithoutToken(href: string): string | null {
  const url = new URL(href);
  const pairs = url.search.slice(1).split('&').filter(Boolean);
  const kept = pairs.filter((pair) => parameterName(pair) !== WS_PARAMS.token);
  if (kept.length === pairs.length) return null;
  return `${url.pathname}${kept.length > 0 ? `?${kept.join('&')}` : ''}${url.hash}`;
}

function parameterName(pair: string): string {
  const raw = pair.split('=')[0] ?? '';
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw;
  }
}

function report(error: unknown): void {
  if (typeof reportError === 'function') reportError(error);
  else console.error(error);
}

class WebSocketTransport implements Transport {
  readonly #baseUrl: string;
  readonly #options: Required<
    Pick<WebBridgeOptions, 'requestTimeoutMs' | 'minReconnectDelayMs' | 'maxReconnectDelayMs'>
  >;
  readonly #createSocket: (url: string) => WebSocket;
  readonly #listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  readonly #statusListeners = new Set<(status: BridgeStatus) => void>();
  readonly #errorListeners = new Set<(error: RpcErrorShape) => void>();
  readonly #queued = new Map<number, PendingRequest>();
  readonly #inFlight = new Map<number, PendingRequest>();
  #socket: WebSocket | null = null;
  #sessionId: string | null;
  #status: BridgeStatus;
  #everOpened = false;
  #attempt = 0;
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  #nextId = 1;
  #closed = false;

  constructor(options: WebBridgeOptions) {
    this.#baseUrl = options.url ?? defaultBridgeUrl();
    this.#options = {
      requestTimeoutMs: options.requestTimeoutMs ?? 20_000,
      minReconnectDelayMs: options.minReconnectDelayMs ?? 250,
      maxReconnectDelayMs: options.maxReconnectDelayMs ?? 5_000,
    };
    this.#createSocket = options.createSocket ?? ((url) => new WebSocket(url));
    this.#sessionId = options.sessionId ?? readSession();
    this.#status = { state: 'connecting', sessionId: this.#sessionId, resumed: false, reconnected: false };
    this.#connect();
  }

  get status(): BridgeStatus {
    return this.#status;
  }

  invoke(name: RequestName, input: unknown): Promise<RpcResult<unknown>> {
    if (this.#closed) return Promise.resolve(disconnected('The connection to Deskmate was closed'));
    return new Promise((resolve) => {
      const id = this.#nextId++;
      let text: string;
      try {
        text = JSON.stringify({ type: 'request', id, method: name, input });
      } catch (error) {
        resolve({
          ok: false,
          error: { name: 'InvalidRequest', message: `Input is not serializable: ${String(error)}` },
        });
        return;
      }
      const pending: PendingRequest = { id, text, resolve };
      if (this.#socket?.readyState === WebSocket.OPEN) this.#send(pending);
      else this.#queue(pending);
    });
  }

  subscribe(name: EventName, listener: (payload: unknown) => void): () => void {
    let set = this.#listeners.get(name);
    if (!set) this.#listeners.set(name, (set = new Set()));
    // Wrapped, so the same function subscribed twice is two subscriptions, each removable once.
    const entry = (payload: unknown) => listener(payload);
    set.add(entry);
    return () => void set.delete(entry);
  }

  onStatus(listener: (status: BridgeStatus) => void): () => void {
    this.#statusListeners.add(listener);
    return () => void this.#statusListeners.delete(listener);
  }

  onServerError(listener: (error: RpcErrorShape) => void): () => void {
    this.#errorListeners.add(listener);
    return () => void this.#errorListeners.delete(listener);
  }

  forgetSession(): void {
    writeSession(null);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#reconnectTimer);
    this.#socket?.close(1000, 'Closed by the page');
    this.#socket = null;
    this.#failAll('The connection to Deskmate was closed');
    this.#setStatus({ ...this.#status, state: 'closed' });
  }

  #url(): string {
    const url = new URL(this.#baseUrl);
    if (this.#sessionId) url.searchParams.set(WS_PARAMS.session, this.#sessionId);
    if (this.#everOpened) {
      // A reconnect: the context is either still there (and already has its workspace) or gone.
      url.searchParams.set(WS_PARAMS.resume, '1');
      url.searchParams.delete(WS_PARAMS.workspace);
      url.searchParams.delete(WS_PARAMS.conversation);
    }
    return url.href;
  }

  #connect(): void {
    if (this.#closed) return;
    let socket: WebSocket;
    try {
      socket = this.#createSocket(this.#url());
    } catch (error) {
      report(error);
      this.#scheduleReconnect();
      return;
    }
    this.#socket = socket;
    socket.addEventListener('open', () => {
      if (this.#socket !== socket) return;
      for (const pending of [...this.#queued.values()]) {
        clearTimeout(pending.timer);
        this.#queued.delete(pending.id);
        this.#send(pending);
      }
    });
    socket.addEventListener('message', (event: MessageEvent) => {
      if (this.#socket === socket && typeof event.data === 'string') this.#receive(event.data);
    });
    socket.addEventListener('close', () => {
      if (this.#socket !== socket) return;
      this.#socket = null;
      // Whether a running request reached the server is unknown: say so rather than send it twice.
      for (const pending of this.#inFlight.values()) {
        pending.resolve(disconnected('The connection to Deskmate was lost while this request ran'));
      }
      this.#inFlight.clear();
      if (this.#closed) return;
      this.#setStatus({ ...this.#status, state: 'connecting' });
      this.#scheduleReconnect();
    });
  }

  #scheduleReconnect(): void {
    if (this.#closed) return;
    const { minReconnectDelayMs: min, maxReconnectDelayMs: max } = this.#options;
    const base = Math.min(max, min * 2 ** this.#attempt);
    this.#attempt += 1;
    // Jitter, so tabs dropped together do not all knock at once.
    const delay = base / 2 + Math.random() * (base / 2);
    clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = setTimeout(() => this.#connect(), delay);
  }

  #receive(text: string): void {
    const frame = parseServerFrame(text);
    if (!frame) return;
    switch (frame.type) {
      case 'response': {
        const pending = this.#inFlight.get(frame.id);
        if (!pending) return;
        this.#inFlight.delete(frame.id);
        pending.resolve(frame.result);
        return;
      }
      case 'event':
        for (const listener of [...(this.#listeners.get(frame.name) ?? [])]) {
          try {
            listener(frame.payload);
          } catch (error) {
            report(error);
          }
        }
        return;
      case 'session': {
        const reconnected = this.#everOpened;
        this.#everOpened = true;
        this.#attempt = 0;
        this.#sessionId = frame.session;
        writeSession(frame.session);
        this.#setStatus({ state: 'open', sessionId: frame.session, resumed: frame.resumed, reconnected });
        return;
      }
      case 'error':
        if (this.#errorListeners.size === 0)
          console.warn(`deskmate: ${frame.error.name}: ${frame.error.message}`);
        for (const listener of [...this.#errorListeners]) listener(frame.error);
        return;
    }
  }

  #send(pending: PendingRequest): void {
    try {
      this.#socket!.send(pending.text);
      this.#inFlight.set(pending.id, pending);
    } catch {
      this.#queue(pending);
    }
  }

  #queue(pending: PendingRequest): void {
    pending.timer = setTimeout(() => {
      this.#queued.delete(pending.id);
      pending.resolve(disconnected('Deskmate is not reachable: is `npm run serve` still running?'));
    }, this.#options.requestTimeoutMs);
    this.#queued.set(pending.id, pending);
  }

  #failAll(message: string): void {
    for (const pending of [...this.#queued.values(), ...this.#inFlight.values()]) {
      clearTimeout(pending.timer);
      pending.resolve(disconnected(message));
    }
    this.#queued.clear();
    this.#inFlight.clear();
  }

  #setStatus(status: BridgeStatus): void {
    this.#status = status;
    for (const listener of [...this.#statusListeners]) {
      try {
        listener(status);
      } catch (error) {
        report(error);
      }
    }
  }
}

/** The API a page gets from the headless host, shaped like the preload's. */
export function connectWebBridge(options: WebBridgeOptions = {}): WebBridge {
  const transport = new WebSocketTransport(options);
  const bridge: WebBridgeControl = {
    get status() {
      return transport.status;
    },
    onStatus: (listener) => transport.onStatus(listener),
    onServerError: (listener) => transport.onServerError(listener),
    forgetSession: () => transport.forgetSession(),
    close: () => transport.close(),
  };
  return Object.assign(buildApi(transport), { bridge });
}

/** Sets `window.deskmate` to the web bridge unless a preload already did. */
export function installWebBridge(): void {
  const target = window as unknown as { deskmate?: unknown };
  if (target.deskmate) return;
  const api = connectWebBridge();
  api.bridge.onStatus((status) => {
    // Connected, so the cookie works: the token can leave the address bar. A reload (within the
    // grace period, back to the same context) then goes by the cookie alone.
    if (status.state === 'open') {
      const address = addressWithoutToken(location.href);
      if (address !== null) history.replaceState(history.state, '', address);
    }
    // Away longer than the grace period: the server started this tab a new, empty context, and what
    // the page shows is stale. Start over from the URL (its workspace and conversation).
    if (status.state === 'open' && status.reconnected && !status.resumed) {
      api.bridge.forgetSession();
      location.reload();
    }
  });
  target.deskmate = api;
}
