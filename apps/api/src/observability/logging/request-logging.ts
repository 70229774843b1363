/**
 * Request logging on Fastify's own hooks, below NestJS: a Nest middleware runs through
 * @fastify/middie, and nestjs-pino's (pino-http plus an AsyncLocalStorage scope) cost every
 * request 25-60 us on Node 20 (issue 8's measurements); these hooks cost a few.
 *
 * - `onRequest`: the response gets `X-Request-Id` (the id Fastify made with `requestIdOf`).
 * - `preHandler`: the handler (NestJS's guards, pipes, controller) runs in the request's scope
 *   (`runInRequest` of @venvfarm/logging), so every line logged for it carries `reqId`.
 * - `onResponse`: the request's completion (request-completions.ts): one line per request (the
 *   access line) with method, URL, status and time, and its HTTP metrics; the probes polled every
 *   few seconds (`/metrics`, `/health*`) at debug unless they fail, 5xx at error (the exception
 *   filter has logged the cause). Headers are not logged (they carry credentials).
 */
import type { FastifyInstance } from 'fastify';
import { type LogDestination, runInRequest } from '@venvfarm/logging';
import pino, { type Level, type Logger } from 'pino';
import { REQUEST_ID_HEADER } from './request-id';

/** Paths polled by monitoring, quiet while they succeed. */
const PROBES = /^\/(metrics|health)(\/|\?|$)/;

/** The level of a request's access line. */
export function completionLevel(url: string, statusCode: number): 'error' | 'debug' | 'info' {
  if (statusCode >= 500) return 'error';
  return PROBES.test(url) ? 'debug' : 'info';
}

/** What an access line says. */
export interface Completion {
  readonly reqId: string;
  readonly method: string;
  readonly url: string;
  readonly statusCode: number;
  /** Milliseconds from the request's arrival to the end of the answer. */
  readonly responseTime: number;
}

/**
 * Writes access lines: the line pino would write for `logger[level]({reqId, req: {method, url},
 * res: {statusCode}, responseTime}, message)`, made directly as text. pino's generic way
 * (merging objects, serializing each) takes ~0.9 us a line in a micro-benchmark and cost ~3 us
 * per request under load in a bare Fastify server (issue 8); this takes ~0.2 us.
 * (request-logging.spec.ts holds the two to the same output.)
 */
export class AccessLog {
  /** `,"pid":…,"hostname":…`: the fields of every line of `logger`, as pino writes them. */
  private readonly bindings: string;

  constructor(
    private readonly logger: Logger,
    private readonly destination: LogDestination,
  ) {
    this.bindings = (logger as Logger & { [key: symbol]: unknown })[pino.symbols.chindingsSym] as string;
  }

  /** Writes the line of a completed request, if its level is enabled. */
  write(completion: Completion): void {
    const level = completionLevel(completion.url, completion.statusCode);
    if (this.logger.isLevelEnabled(level)) this.destination.write(this.line(level, completion, Date.now()));
  }

  /** The text of an access line, ending in a newline. */
  line(level: Level, { reqId, method, url, statusCode, responseTime }: Completion, time: number): string {
    const message = `${method} ${url} ${statusCode} ${responseTime} ms`;
    return (
      `{"level":${this.logger.levels.values[level]},"time":${time}${this.bindings},"reqId":${JSON.stringify(reqId)},` +
      `"req":{"method":${JSON.stringify(method)},"url":${JSON.stringify(url)}},"res":{"statusCode":${statusCode}},"responseTime":${responseTime},"msg":${JSON.stringify(message)}}\n`
    );
  }
}

/** The parts of a Fastify instance the hooks need. */
export type FastifyRequestHooks = Pick<FastifyInstance, 'addHook'>;

/** Where completed requests are recorded (request-completions.ts). */
export interface CompletionSink {
  completed(completion: Completion, route: string): void;
}

/** Adds the hooks; `unmatched` is the route label of requests no route matched. */
export function fastifyRequestLogging(fastify: FastifyRequestHooks, completions: CompletionSink, unmatched: string): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
    done();
  });
  // The scope starts where NestJS's handler does: nothing before it logs but the access line (the
  // body parser, the cache-hit lane of resolve/cached-answers.ts and the error handler's 4xx), and
  // on Node 20 a scope costs every async resource the request makes (~3 us a cache hit).
  fastify.addHook('preHandler', (request, _reply, done) => {
    runInRequest(request.id, done);
  });
  // Fastify routes before it parses a body or runs a hook, so requests refused early (bad JSON,
  // too large, no token) are timed under their route too; `elapsedTime` runs from their arrival.
  fastify.addHook('onResponse', (request, reply, done) => {
    completions.completed(
      { reqId: request.id, method: request.method, url: request.url, statusCode: reply.statusCode, responseTime: Math.round(reply.elapsedTime * 100) / 100 },
      request.routeOptions?.url ?? unmatched,
    );
    done();
  });
}
