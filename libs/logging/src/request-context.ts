/**
 * The request a piece of code runs for, carried through its asynchronous continuations
 * (AsyncLocalStorage), so that a line logged through Nest's `Logger` anywhere below a request (a
 * service, the upstream client) carries the request's id without anyone passing it along.
 *
 * Entered once per request by the app that serves it (the API: in a Fastify hook, see its
 * request-logging.ts). The scope holds only the id; the root logger adds it to each line it
 * writes (pino's `mixin`), so a request that logs nothing (most of them) pays for no child logger.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/** What a log line learns from the request it is written for. */
export interface RequestScope {
  readonly reqId: string;
}

const storage = new AsyncLocalStorage<RequestScope>();

/** Runs `fn` (and everything it starts) as part of the request `reqId`. */
export function runInRequest<T>(reqId: string, fn: () => T): T {
  return storage.run({ reqId }, fn);
}

/** The request the caller runs for, if any. */
export function currentRequest(): RequestScope | undefined {
  return storage.getStore();
}
