// The WebSocket to the headless host, as the contract's Transport. The connection survives drops:
// it comes back with the same session, and the server gives back the same context if the tab
// returns within its grace period.
import type { Transport } from '../../../shared/api';
import type { EventName, RequestName } from '../../../shared/contract';
import type { RpcErrorShape, RpcResult } from '../../../shared/errors';
import { parseServerFrame, WS_PARAMS } from '../../../shared/ws-protocol';
import { defaultBridgeUrl } from './tab-address';
import { readSession, writeSession } from './tab-storage';
import { checkTokenOverHttp, type TokenCheck } from './token-check';
import { refusedError, type TokenProblem } from './token-problem';

/** 'refused': the server will not take this tab's token (or it has none); the bridge has stopped. */
type BridgeState = 'connecting' | 'open' | 'closed' | 'refused';

export interface BridgeStatus {
  state: BridgeState;
  sessionId: string | null;
  /** Once open: the server still had this tab's context (always false on a page's first connection). */
  resumed: boolean;
  /** Once open: this is a reconnection, not the page's first connection. */
  reconnected: boolean;
  /** When refused: why. */
  problem: TokenProblem | null;
}

export interface WebBridgeOptions {
  /** The WebSocket URL, token included; by default `/ws` on the page's own host with `token`, and the page's workspace and conversation. */
  url?: string;
  /** For the default URL: the tab's token. Without one (and without a url) the bridge is refused at once. */
  token?: string | null;
  /**
   * After a handshake that failed, whether the server takes the URL's token: a browser hides a
   * refused handshake's status. By default a plain GET of the same `/ws?token=` (401: refused).
   */
  checkToken?: (wsUrl: string) => Promise<TokenCheck>;
  /** By default the one kept in the tab's sessionStorage, else the server picks one. */
  sessionId?: string;
  /** How long a request made while disconnected waits for the connection. Default 20 s. */
  requestTimeoutMs?: number;
  minReconnectDelayMs?: number;
  maxReconnectDelayMs?: number;
  /** For hosts whose WebSocket needs more than a URL (a test's Origin header). */
  createSocket?: (url: string) => WebSocket;
}

/** Server errors kept for a page that has not started listening yet. */
const MAX_UNHEARD_ERRORS = 20;

interface PendingRequest {
  id: number;
  text: string;
  resolve: (result: RpcResult<unknown>) => void;
  timer?: ReturnType<typeof setTimeout>;
}

function disconnected(message: string): RpcResult<never> {
  return { ok: false, error: { name: 'Disconnected', message } };
}

function report(error: unknown): void {
  if (typeof reportError === 'function') reportError(error);
  else console.error(error);
}

export class WebSocketTransport implements Transport {
  /** Null for a tab without a token: there is nothing to connect with. */
  readonly #baseUrl: string | null;
  readonly #options: Required<
    Pick<WebBridgeOptions, 'requestTimeoutMs' | 'minReconnectDelayMs' | 'maxReconnectDelayMs'>
  >;
  readonly #createSocket: (url: string) => WebSocket;
  readonly #checkToken: (wsUrl: string) => Promise<TokenCheck>;
  readonly #listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  readonly #statusListeners = new Set<(status: BridgeStatus) => void>();
  readonly #errorListeners = new Set<(error: RpcErrorShape) => void>();
  // Server errors from before the page listened, for its first listener.
  readonly #unheardErrors: RpcErrorShape[] = [];
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
  #refusal: RpcErrorShape | null = null;

  constructor(options: WebBridgeOptions) {
    const token = options.token ?? null;
    this.#baseUrl = options.url ?? (token === null ? null : defaultBridgeUrl(token));
    this.#options = {
      requestTimeoutMs: options.requestTimeoutMs ?? 20_000,
      minReconnectDelayMs: options.minReconnectDelayMs ?? 250,
      maxReconnectDelayMs: options.maxReconnectDelayMs ?? 5_000,
    };
    this.#createSocket = options.createSocket ?? ((url) => new WebSocket(url));
    this.#checkToken = options.checkToken ?? checkTokenOverHttp;
    this.#sessionId = options.sessionId ?? readSession();
    this.#status = {
      state: 'connecting',
      sessionId: this.#sessionId,
      resumed: false,
      reconnected: false,
      problem: null,
    };
    if (this.#baseUrl === null) this.#refuse('missing');
    else this.#connect();
  }

  get status(): BridgeStatus {
    return this.#status;
  }

  invoke(name: RequestName, input: unknown): Promise<RpcResult<unknown>> {
    if (this.#refusal) return Promise.resolve({ ok: false, error: this.#refusal });
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
    // What came before anyone listened (the address's conversation, opened before the page drew).
    const early = this.#unheardErrors.splice(0);
    for (const error of early) listener(error);
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
    this.#failAll(disconnected('The connection to Deskmate was closed'));
    this.#setStatus({ ...this.#status, state: 'closed' });
  }

  #url(baseUrl: string): string {
    const url = new URL(baseUrl);
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
    if (this.#closed || this.#baseUrl === null) return;
    let socket: WebSocket;
    const url = this.#url(this.#baseUrl);
    try {
      socket = this.#createSocket(url);
    } catch (error) {
      report(error);
      this.#scheduleReconnect();
      return;
    }
    this.#socket = socket;
    let opened = false;
    socket.addEventListener('open', () => {
      if (this.#socket !== socket) return;
      opened = true;
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
      if (opened) this.#scheduleReconnect();
      else void this.#afterFailedHandshake(url);
    });
  }

  /** A handshake failed: a refused token ends the bridge; anything else (server down) retries. */
  async #afterFailedHandshake(url: string): Promise<void> {
    const check = await this.#checkToken(url);
    if (this.#closed) return;
    if (check === 'refused') this.#refuse('refused');
    else this.#scheduleReconnect();
  }

  /** Stops for good: without a good token no retry can succeed; the page says what to do. */
  #refuse(problem: TokenProblem): void {
    this.#closed = true;
    this.#refusal = refusedError(problem);
    clearTimeout(this.#reconnectTimer);
    this.#failAll({ ok: false, error: this.#refusal });
    this.#setStatus({ ...this.#status, state: 'refused', problem });
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
        this.#setStatus({
          state: 'open',
          sessionId: frame.session,
          resumed: frame.resumed,
          reconnected,
          problem: null,
        });
        return;
      }
      case 'error':
        if (this.#errorListeners.size === 0) {
          console.warn(`deskmate: ${frame.error.name}: ${frame.error.message}`);
          if (this.#unheardErrors.length < MAX_UNHEARD_ERRORS) this.#unheardErrors.push(frame.error);
        }
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

  #failAll(result: RpcResult<never>): void {
    for (const pending of [...this.#queued.values(), ...this.#inFlight.values()]) {
      clearTimeout(pending.timer);
      pending.resolve(result);
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
