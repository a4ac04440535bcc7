import type { RawData, WebSocket } from 'ws';
import type { RequestName } from '../../shared/contract';
import type { RpcResult } from '../../shared/errors';
import { isSessionId, parseClientFrame, WS_CLOSE, WS_PARAMS } from '../../shared/ws-protocol';
import type { Router } from '../engine/rpc/router';
import { sendFrame } from './send-frame';
import type { WebSessions } from './web-sessions';

/** Requests one socket may have running at once; more are answered Busy, not queued. */
const MAX_IN_FLIGHT = 256;

export interface ConnectionOptions {
  router: Router;
  sessions: WebSessions;
  /** The upgrade request's query: session, resume, workspace, conversation. */
  query: URLSearchParams;
}

/** ws hands every text message over as one Buffer, its fragments joined, whatever the binaryType. */
function textOf(data: RawData): string {
  return (data as Buffer).toString();
}

function respond(socket: WebSocket, id: number, result: RpcResult<unknown>): void {
  if (sendFrame(socket, { type: 'response', id, result })) return;
  // Not sent: the result has no JSON form (a BigInt, a cycle), or the socket is gone and this is not sent either.
  const error = { name: 'Internal', message: 'The result could not be serialized' };
  sendFrame(socket, { type: 'response', id, result: { ok: false, error } });
}

/** `?conversation=ID&workspace=PATH`: opened as if the tab had asked, reported if they fail. */
async function openFromUrl(router: Router, clientId: string, socket: WebSocket, query: URLSearchParams) {
  const opens: [RequestName, unknown, string | null][] = [
    ['conversation.open', { id: query.get(WS_PARAMS.conversation) }, query.get(WS_PARAMS.conversation)],
    // After the conversation, which may bring its own workspace: the one in the URL wins.
    ['workspace.open', { path: query.get(WS_PARAMS.workspace) }, query.get(WS_PARAMS.workspace)],
  ];
  for (const [method, input, given] of opens) {
    if (given === null) continue;
    const result = await router.handle(clientId, method, input);
    if (!result.ok) {
      console.warn(`deskmate: ${method} from the URL failed: ${result.error.message}`);
      sendFrame(socket, { type: 'error', error: result.error });
    }
  }
}

/** Serves one accepted WebSocket: one client context, the contract's requests, its events only. */
export function serveConnection(socket: WebSocket, options: ConnectionOptions): void {
  const { router, sessions, query } = options;
  const requested = query.get(WS_PARAMS.session);
  const { session, resumed } = sessions.attach(
    socket,
    isSessionId(requested) ? requested : null,
    query.get(WS_PARAMS.resume) === '1',
  );
  socket.on('close', () => sessions.detach(session, socket));
  // ws reports an oversized or invalid frame here, then closes the socket (1009, 1007): without a
  // listener the error would take the whole server down.
  socket.on('error', () => undefined);
  // Requests wait for the URL's conversation and workspace, so a first `window.state` sees them.
  // Router.handle answers every failure itself, never rejecting (router.test.ts), so this guard and
  // the one on each request are not reached today; they stay so that a future bug is logged and
  // answered rather than ending the server with an unhandled rejection.
  const ready = resumed
    ? Promise.resolve()
    : // Stryker disable next-line all: unreachable while Router.handle never rejects (see above)
      openFromUrl(router, session.clientId, socket, query).catch((error: unknown) => {
        // Stryker disable next-line all: unreachable while Router.handle never rejects (see above)
        console.error('deskmate: opening from the URL failed', error);
        // The tab asked for something in its URL: it must hear that it did not happen.
        // Stryker disable next-line all: unreachable while Router.handle never rejects (see above)
        const failure = { name: 'Internal', message: 'Could not open what the address asked for' };
        // Stryker disable next-line all: unreachable while Router.handle never rejects (see above)
        sendFrame(socket, { type: 'error', error: failure });
      });
  let inFlight = 0;

  socket.on('message', (data, isBinary) => {
    if (isBinary) {
      socket.close(WS_CLOSE.unsupportedData, 'Binary frames are not supported');
      return;
    }
    const parsed = parseClientFrame(textOf(data));
    if (!parsed.ok) {
      const error = { name: 'InvalidRequest', message: parsed.message };
      if (parsed.id === null) sendFrame(socket, { type: 'error', error });
      else respond(socket, parsed.id, { ok: false, error });
      return;
    }
    const { id, method, input } = parsed.frame;
    if (inFlight >= MAX_IN_FLIGHT) {
      respond(socket, id, { ok: false, error: { name: 'Busy', message: 'Too many requests in flight' } });
      return;
    }
    inFlight += 1;
    void ready
      .then(() => router.handle(session.clientId, method, input))
      .catch((error: unknown) => {
        // Stryker disable next-line all: unreachable while Router.handle never rejects (see above)
        console.error('deskmate: a request failed outside its handler', error);
        // Stryker disable next-line all: unreachable while Router.handle never rejects (see above)
        return { ok: false as const, error: { name: 'Internal', message: 'Request failed' } };
      })
      .then((result) => {
        inFlight -= 1;
        // The answer goes to the socket that asked, even if the session has moved on: ids are per socket.
        respond(socket, id, result);
      });
  });
}
