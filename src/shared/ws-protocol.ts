// The frames the headless host and the browser bridge exchange over one WebSocket. The requests and
// events themselves are the contract's (contract.ts); this file only wraps them for the wire.
import { isEventName, type EventName } from './contract';
import { isNamedError, type RpcErrorShape, type RpcResult } from './errors';

export const WS_PATH = '/ws';
/** Larger frames close the connection (1009): a chat message is capped well below this. */
export const WS_MAX_PAYLOAD = 8 * 1024 * 1024;

/** Query parameters of the WebSocket URL. */
export const WS_PARAMS = Object.freeze({
  token: 'token',
  /** The tab's session: a reconnect with the same one within the grace period gets its context back. */
  session: 'session',
  /** Set by a bridge reconnecting within the same page: events missed meanwhile are replayed. */
  resume: 'resume',
  workspace: 'workspace',
  conversation: 'conversation',
});

export const WS_CLOSE = Object.freeze({ unsupportedData: 1003, tooBig: 1009, goingAway: 1001 });

const SESSION_ID = /^[A-Za-z0-9_-]{16,128}$/;

export function isSessionId(value: unknown): value is string {
  return typeof value === 'string' && SESSION_ID.test(value);
}

interface RequestFrame {
  type: 'request';
  id: number;
  method: string;
  input: unknown;
}

interface ResponseFrame {
  type: 'response';
  id: number;
  result: RpcResult<unknown>;
}

export interface EventFrame {
  type: 'event';
  name: EventName;
  payload: unknown;
}

/** Sent first on every connection: the session to keep, and whether it found its old context. */
interface SessionFrame {
  type: 'session';
  session: string;
  resumed: boolean;
}

/** A problem not tied to a request: a URL's workspace that could not be opened, an unreadable frame. */
interface ErrorFrame {
  type: 'error';
  error: RpcErrorShape;
}

export type ServerFrame = ResponseFrame | EventFrame | SessionFrame | ErrorFrame;

export type ParsedClientFrame =
  { ok: true; frame: RequestFrame } | { ok: false; id: number | null; message: string };

function isRequestId(value: unknown): value is number {
  // Number.isSafeInteger is false for every non-number: it is the type check too.
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads a client frame; when it is malformed, says so and recovers the id if one can be read. */
export function parseClientFrame(text: string): ParsedClientFrame {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { ok: false, id: null, message: 'Frame is not JSON' };
  }
  if (!isRecord(data)) return { ok: false, id: null, message: 'Frame is not an object' };
  const id = isRequestId(data.id) ? data.id : null;
  if (data.type !== 'request') return { ok: false, id, message: 'Frame type must be "request"' };
  if (id === null) return { ok: false, id, message: 'Request id must be a non-negative integer' };
  if (typeof data.method !== 'string') return { ok: false, id, message: 'Request method must be a string' };
  return { ok: true, frame: { type: 'request', id, method: data.method, input: data.input } };
}

function isRpcResult(value: unknown): value is RpcResult<unknown> {
  // `value` may be missing: JSON drops an undefined one.
  if (!isRecord(value)) return false;
  return value.ok === true || (value.ok === false && isNamedError(value.error));
}

/** Reads a server frame; null for anything this side does not understand. */
export function parseServerFrame(text: string): ServerFrame | null {
  let data: unknown = null;
  try {
    data = JSON.parse(text);
  } catch {
    // Not JSON: no record, ignored below.
  }
  if (!isRecord(data)) return null;
  switch (data.type) {
    case 'response':
      return isRequestId(data.id) && isRpcResult(data.result)
        ? { type: 'response', id: data.id, result: data.result }
        : null;
    case 'event':
      return isEventName(data.name) ? { type: 'event', name: data.name, payload: data.payload } : null;
    case 'session':
      return isSessionId(data.session) && typeof data.resumed === 'boolean'
        ? { type: 'session', session: data.session, resumed: data.resumed }
        : null;
    case 'error':
      return isNamedError(data.error) ? { type: 'error', error: data.error } : null;
    default:
      return null;
  }
}
