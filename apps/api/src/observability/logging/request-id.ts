/**
 * The id of a request: the caller's `X-Request-Id` when it is a sane token (a proxy or a client
 * tying its own logs to ours), else a new UUID. Fastify makes it (`genReqId`, so it is
 * `request.id` from the first hook on); it is echoed in the response's `X-Request-Id` and carried
 * by every log line written while the request is handled (see request-logging.ts).
 */
import { randomUUID } from 'node:crypto';

/** The header that carries the id both ways. */
export const REQUEST_ID_HEADER = 'X-Request-Id';

/**
 * What an incoming id may look like: 1-128 characters of letters, digits and `-._:~+/=@` (UUIDs,
 * W3C trace ids, ULIDs, base64). Anything else (spaces, quotes, control characters, a megabyte)
 * would let a client forge or break log lines, so it is replaced, not cleaned.
 */
const SANE_ID = /^[A-Za-z0-9\-._:~+/=@]{1,128}$/;

/** The request headers the id is read from (Node's incoming message, as Fastify's `genReqId` gets it). */
export interface RequestHeaders {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** The caller's id if it is sane, else null. */
export function incomingRequestId(req: RequestHeaders): string | null {
  const value = req.headers['x-request-id'];
  return typeof value === 'string' && SANE_ID.test(value) ? value : null;
}

/** The id of a request: the caller's if sane, else a new UUID (Fastify's `genReqId`). */
export function requestIdOf(req: RequestHeaders): string {
  return incomingRequestId(req) ?? randomUUID();
}
