import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
} from 'openai';
import { NamedError } from '../../../shared/errors';
import { hasErrorCode } from '../base/fs/fs-errors';

/** Turns what the SDK throws into an error a person can act on, with a stable name. */
export function providerError(error: unknown, where: { baseUrl: string; model?: string }): NamedError {
  if (error instanceof NamedError) return error;
  if (error instanceof AuthenticationError) {
    return new NamedError(
      'ProviderAuth',
      `The provider at ${where.baseUrl} rejected the API key (401). Check the key in Settings.${detailOf(error)}`,
      { status: 401 },
    );
  }
  if (error instanceof PermissionDeniedError) {
    return new NamedError(
      'ProviderAuth',
      `The API key has no access to this model or endpoint (403).${detailOf(error)}`,
      { status: 403 },
    );
  }
  if (error instanceof NotFoundError) {
    const what = where.model ? `The model "${where.model}" was not found` : 'The endpoint was not found';
    return new NamedError(
      'ModelNotFound',
      `${what} at ${where.baseUrl} (404). Pick another model or check the base URL.${detailOf(error)}`,
      { status: 404 },
    );
  }
  if (error instanceof RateLimitError) {
    return new NamedError(
      'RateLimited',
      `The provider is rate limiting requests (429), still after retrying. Wait a moment and try again.${detailOf(error)}`,
      { status: 429 },
    );
  }
  if (error instanceof APIConnectionTimeoutError) {
    return new NamedError('ProviderTimeout', `The provider at ${where.baseUrl} did not answer in time.`);
  }
  if (error instanceof APIConnectionError && !(error instanceof APIUserAbortError)) {
    return new NamedError(
      'ProviderUnreachable',
      `Cannot reach the provider at ${where.baseUrl}. Check the base URL and your connection.`,
    );
  }
  // A cancelled request is the one API error without a status: its reply was never read.
  if (error instanceof APIError && typeof error.status === 'number') {
    if (error.status >= 500) {
      return new NamedError(
        'ProviderUnavailable',
        `The provider failed (${error.status}), still after retrying. Try again later.${detailOf(error)}`,
        { status: error.status },
      );
    }
    return new NamedError(
      'ProviderError',
      `The provider refused the request (${error.status}).${detailOf(error)}`,
      {
        status: error.status,
      },
    );
  }
  const cause = error instanceof Error ? error.message : String(error);
  if (isDroppedConnection(error)) {
    // Said as the user sees it; the low-level cause stays in data, for a bug report.
    return new NamedError(
      'ProviderDropped',
      'The connection to the provider dropped before the reply was complete. Try again.',
      { cause: cause.slice(0, 300) },
    );
  }
  return new NamedError('ProviderError', `The provider's reply could not be read (${cause.slice(0, 300)}).`);
}

/** The provider's own words (the SDK's message always has some), cut to a readable length. */
function detailOf(error: APIError): string {
  return ` (${error.message.slice(0, 300)})`;
}

const DROPPED_CODES: readonly string[] = Object.freeze([
  'ECONNRESET',
  'EPIPE',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

/** The network under a streaming reply went away: undici's "terminated", a reset socket. */
function isDroppedConnection(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    if (e instanceof TypeError && e.message === 'terminated') return true;
    if (DROPPED_CODES.some((code) => hasErrorCode(e, code))) return true;
  }
  return false;
}
