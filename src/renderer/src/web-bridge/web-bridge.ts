// window.deskmate for a browser tab: the contract's API (buildApi, as the preload builds it) over
// one WebSocket to the headless host. The tab's token arrives once in its address, is kept in
// sessionStorage and goes on the WebSocket URL (tab-storage.ts says why not a cookie).
import { buildApi, type DeskmateApi } from '../../../shared/api';
import type { RpcErrorShape } from '../../../shared/errors';
import { addressWithoutToken, takePageToken } from './tab-address';
import { showTokenProblem } from './token-problem';
import { WebSocketTransport, type BridgeStatus, type WebBridgeOptions } from './websocket-transport';

interface WebBridgeControl {
  readonly status: BridgeStatus;
  onStatus(listener: (status: BridgeStatus) => void): () => void;
  /** Problems not tied to a request: a URL's workspace that would not open, events lost in a gap. */
  onServerError(listener: (error: RpcErrorShape) => void): () => void;
  /** Forgets the tab's session, so the next page load starts a context of its own. */
  forgetSession(): void;
  close(): void;
}

export type WebBridge = DeskmateApi & { readonly bridge: WebBridgeControl };

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
