// window.deskmate for a browser tab: the contract's API (buildApi, as the preload builds it) over
// one WebSocket to the headless host. The connection survives drops: it comes back with the same
// session, and the server gives back the same context if the tab returns within its grace period.
//
// The tab's token arrives once in its address, is kept in sessionStorage and goes on the WebSocket
// URL. Never in a cookie: cookies ignore ports, so a browser would hand one to any server on any
// 127.0.0.1 port, another local user's included. sessionStorage belongs to this origin (port
// included) and this tab.
import { buildApi, type DeskmateApi, type Transport } from '../../shared/api';
import type { EventName, RequestName } from '../../shared/contract';
import type { RpcErrorShape, RpcResult } from '../../shared/errors';
import { isSessionId, parseServerFrame, WS_PARAMS, WS_PATH } from '../../shared/ws-protocol';

const SESSION_KEY = 'deskmate.session';
const TOKEN_KEY = 'deskmate.token';

/** What the page says when it cannot connect for want of a good token. */
export const TOKEN_HELP = 'Open the address Deskmate printed when it started';

/**
 * Why a tab cannot connect: it has no token at all (`missing`: its address had none and no earlier
 * load of this tab kept one), or the server refused the one it has (`refused`: Deskmate was
 * restarted, and each start prints a new token).
 */
export type TokenProblem = 'missing' | 'refused';

/** 'refused': the server will not take this tab's token (or it has none); the bridge has stopped. */
export type BridgeState = 'connecting' | 'open' | 'closed' | 'refused';

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

/** What the server says of a token: taken, refused, or nothing (it is down, or the network is). */
export type TokenCheck = 'accepted' | 'refused' | 'unreachable';

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

/** The part of sessionStorage the bridge uses; tests pass a Map-backed one. */
export interface TabStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

// sessionStorage can be missing (not a browser) or throw (storage disabled): the bridge works without it.
function tabStorage(): TabStorage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    return null;
  }
}

function readKey(storage: TabStorage | null, key: string): string | null {
  try {
    return storage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

/** False when the value could not be kept. */
function writeKey(storage: TabStorage | null, key: string, value: string | null): boolean {
  if (!storage) return false;
  try {
    if (value === null) storage.removeItem(key);
    else storage.setItem(key, value);
    return true;
  } catch {
    return false;
  }
}

function readSession(): string | null {
  const value = readKey(tabStorage(), SESSION_KEY);
  return isSessionId(value) ? value : null;
}

function writeSession(id: string | null): void {
  // Without storage a reload gets a new context; nothing else is lost.
  writeKey(tabStorage(), SESSION_KEY, id);
}

/** The first non-empty `token` parameter of an address, or null. */
export function tokenInAddress(href: string): string | null {
  return new URL(href).searchParams.getAll(WS_PARAMS.token).find((value) => value !== '') ?? null;
}

export interface PageToken {
  token: string;
  /** True when sessionStorage holds it, so a reload finds it there and the address may drop it. */
  kept: boolean;
}

/**
 * This tab's token: the one in its address (the URL Deskmate printed, or a tab the app opened),
 * which then replaces whatever the tab kept before; else the one the tab kept from an earlier load;
 * else null.
 */
export function takePageToken(href: string, storage: TabStorage | null = tabStorage()): PageToken | null {
  const given = tokenInAddress(href);
  if (given !== null) return { token: given, kept: writeKey(storage, TOKEN_KEY, given) };
  const kept = readKey(storage, TOKEN_KEY);
  return kept ? { token: kept, kept: true } : null;
}

/**
 * The address of a new tab of this app: the page's path with the tab's token. A tab opened with
 * noopener starts with sessionStorage of its own, so its address is the only way to hand it one;
 * the new tab keeps it and drops it from its address bar as this one did.
 */
export function newTabAddress(
  href: string,
  storage: TabStorage | null = tabStorage(),
  open: { conversation?: string } = {},
): string {
  const { pathname } = new URL(href);
  const token = readKey(storage, TOKEN_KEY) ?? tokenInAddress(href);
  const pairs: [string, string | null | undefined][] = [
    [WS_PARAMS.token, token],
    [WS_PARAMS.conversation, open.conversation],
  ];
  const search = pairs.flatMap(([key, value]) => (value ? [`${key}=${encodeURIComponent(value)}`] : []));
  return search.length ? `${pathname}?${search.join('&')}` : pathname;
}

/** `/ws` on the page's own origin, carrying the tab's token and the page's workspace and conversation. */
export function defaultBridgeUrl(token: string): string {
  if (typeof location === 'undefined') throw new Error('connectWebBridge needs a url outside a browser page');
  const url = new URL(WS_PATH, location.href);
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  url.search = '';
  url.hash = '';
  url.searchParams.set(WS_PARAMS.token, token);
  const page = new URLSearchParams(location.search);
  for (const key of [WS_PARAMS.workspace, WS_PARAMS.conversation]) {
    const value = page.get(key);
    if (value) url.searchParams.set(key, value);
  }
  return url.href;
}

/**
 * The page's address without its `token` parameter (path, the other parameters spelled as they
 * were, and the hash), or null when it has none. Once sessionStorage holds the token, left in the
 * address it would only end up in the history, a bookmark or a shared screenshot.
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

/**
 * The HTTP twin of a WebSocket URL with only its token: `/ws` answers a plain GET with 401 when
 * the token is not the server's, and 426 when it is.
 */
export function tokenCheckUrl(wsUrl: string): string {
  const url = new URL(wsUrl);
  url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:';
  const token = url.searchParams.get(WS_PARAMS.token);
  url.search = '';
  url.hash = '';
  if (token !== null) url.searchParams.set(WS_PARAMS.token, token);
  return url.href;
}

async function checkTokenOverHttp(wsUrl: string): Promise<TokenCheck> {
  try {
    // No cookie goes along, none is needed: the token is in the URL.
    const response = await fetch(tokenCheckUrl(wsUrl), { cache: 'no-store', credentials: 'omit' });
    return response.status === 401 ? 'refused' : 'accepted';
  } catch {
    return 'unreachable';
  }
}

/** What went wrong, in words a user can act on, after TOKEN_HELP. */
export function tokenProblemText(problem: TokenProblem): string {
  return problem === 'missing'
    ? 'This tab has no token: its address carries none, and it was not opened from a Deskmate tab.'
    : 'Deskmate refused the token this tab holds: it was probably restarted, and each start prints a new token.';
}

function refusedError(problem: TokenProblem): RpcErrorShape {
  return { name: 'Unauthorized', message: `${TOKEN_HELP}. ${tokenProblemText(problem)}` };
}

function report(error: unknown): void {
  if (typeof reportError === 'function') reportError(error);
  else console.error(error);
}

class WebSocketTransport implements Transport {
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

/**
 * Puts the token problem in place of the app: a tab that cannot connect has nothing else to show,
 * and a blank page or a console line would leave the user guessing. Built with DOM calls outside
 * React, whose tree is what it replaces (and may not have rendered yet); the CSP allows a CSSOM
 * style, not a style attribute.
 */
export function showTokenProblem(doc: Document, problem: TokenProblem): void {
  doc.querySelector('[data-testid="token-problem"]')?.remove();
  const notice = doc.createElement('main');
  notice.className = 'fatal';
  notice.setAttribute('role', 'alert');
  notice.dataset.testid = 'token-problem';
  const title = doc.createElement('h1');
  title.textContent = TOKEN_HELP;
  const detail = doc.createElement('p');
  detail.textContent = tokenProblemText(problem);
  const where = doc.createElement('p');
  where.textContent =
    `It is the line "Deskmate is ready: ${doc.location.origin}/?token=…" in the terminal where ` +
    'Deskmate runs. Opened once, the token stays with that tab through reloads.';
  // The heading carries the alarm; the explanation reads as plain text.
  for (const line of [detail, where]) line.style.color = 'var(--text)';
  notice.append(title, detail, where);
  const root = doc.getElementById('root');
  if (root) root.style.display = 'none';
  doc.body.prepend(notice);
}

/**
 * Sets `window.deskmate` to the web bridge unless a preload already did. The tab's token is kept in
 * sessionStorage and leaves the address bar at once; a tab without a usable one says so in the page.
 */
export function installWebBridge(): void {
  const target = window as unknown as { deskmate?: unknown };
  if (target.deskmate) return;
  const page = takePageToken(location.href);
  // Only once it is kept: without storage a reload would need the token still in the address.
  if (page?.kept) {
    const address = addressWithoutToken(location.href);
    if (address !== null) history.replaceState(history.state, '', address);
  }
  const api = connectWebBridge({ token: page?.token ?? null });
  const onStatus = (status: BridgeStatus) => {
    if (status.state === 'refused' && status.problem) showTokenProblem(document, status.problem);
    // Away longer than the grace period: the server started this tab a new, empty context, and what
    // the page shows is stale. Start over from the URL (its workspace and conversation).
    if (status.state === 'open' && status.reconnected && !status.resumed) {
      api.bridge.forgetSession();
      location.reload();
    }
  };
  api.bridge.onStatus(onStatus);
  // A tab with no token at all is refused before anyone could listen.
  if (api.bridge.status.state === 'refused') onStatus(api.bridge.status);
  target.deskmate = api;
}
