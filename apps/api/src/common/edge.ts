/**
 * The parts of the edge that sit below NestJS, where a request can fail before any controller,
 * pipe or filter sees it: the HTTP parser of Node (malformed requests), the body parser (size,
 * content type, JSON, nesting) and the router (unknown routes, undecodable URLs). Each answers
 * with the one error body:
 *
 * - `configureEdge(app)` (call before `init`/`listen`): the only body parser, for JSON, with the
 *   body limit and the nesting check (Fastify answers 415 for every other content type; the text
 *   of the body is kept on the request, see {@link jsonTextOf}), and the answer to requests Node's
 *   HTTP parser refuses.
 * - `FASTIFY_EDGE_OPTIONS`: what the Fastify adapter must be created with (its body limit, path
 *   parameter length, request ids, no middleware bridge, and the handler of the router's own
 *   errors, which Fastify only takes at construction).
 */
import { UnsupportedMediaTypeException } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Duplex } from 'node:stream';
import { requestIdOf } from '../observability/logging/request-id';
import { codeOfStatus, ErrorBody } from './error-body';
import { readJsonBody } from './json-body';
import { LIMITS } from './limits';
import { routeOfSimpleUrl, UPLOAD_ROUTE } from '../index/simple-urls';

/** The reason phrases of the statuses written below NestJS. */
const REASONS: Readonly<Record<number, string>> = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' };

/** The detail of every 415. */
export const NOT_JSON = 'send the body as application/json, uncompressed';

/** The serialized error body, for answers written below NestJS. */
function errorJson(status: number, detail: string): string {
  const body: ErrorBody = { error: codeOfStatus(status), detail };
  return JSON.stringify(body);
}

/**
 * Answers a request Node's HTTP parser refused (bad request line, control characters in the
 * target, oversized headers, a request that did not arrive in time) with the one error body,
 * then closes the connection, as Node's own handler does.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  // As Node's own handler: nothing can be written once an answer on this connection has begun.
  const answering = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (!socket.writable || answering?.headersSent === true) {
    socket.destroy();
    return;
  }
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const detail =
    status === 431 ? 'the request headers are larger than this server accepts' : status === 408 ? 'the request did not arrive in time' : `the request is not valid HTTP (${error.code ?? 'unreadable'})`;
  const body = errorJson(status, detail);
  socket.end(`HTTP/1.1 ${status} ${REASONS[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

/**
 * Fastify's router errors, which never reach its error handler: an undecodable URL
 * (FST_ERR_BAD_URL), a path parameter over `maxParamLength` (FST_ERR_MAX_PARAM_LENGTH).
 */
export function answerFrameworkError(error: FastifyError, _request: unknown, reply: FastifyReply): void {
  const [status, detail] =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? [400, `a path parameter is longer than ${MAX_PARAM_LENGTH} characters`]
      : error.code === 'FST_ERR_BAD_URL'
        ? [400, 'the URL is not valid: a path segment does not decode (percent-encoding of invalid UTF-8?)']
        : [error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500, error.statusCode !== undefined && error.statusCode < 500 ? error.message : 'An unexpected error occurred; it has been logged.'];
  void reply.code(status).header('content-type', 'application/json; charset=utf-8').send(errorJson(status, detail));
}

/** Path parameters longer than this are refused by the router; names are far shorter (schemas say by how much). */
const MAX_PARAM_LENGTH = 1000;

/** Options to create the Fastify adapter with: `new FastifyAdapter(FASTIFY_EDGE_OPTIONS)`. */
export const FASTIFY_EDGE_OPTIONS = {
  bodyLimit: LIMITS.bodyBytes,
  // The request id: the caller's X-Request-Id when sane, else a UUID (logged, and echoed by request-logging.ts).
  genReqId: requestIdOf,
  // No Nest middleware: what it did (request ids, access lines) is done by Fastify hooks, without
  // @fastify/middie's pass over every request. A Nest middleware added later needs this removed.
  skipMiddie: true,
  // Under routerOptions: the top-level spelling is deprecated in Fastify 5 (FSTDEP022, a warning on stderr).
  routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
  rewriteUrl: routeOfSimpleUrl,
  frameworkErrors: answerFrameworkError,
  clientErrorHandler: answerClientError,
} as const;

/** Where the body parser keeps the text of a JSON body on its request (a Fastify request decoration). */
const JSON_TEXT = Symbol('venvfarm.jsonText');

/**
 * The text of the request's JSON body as it arrived (decoded as UTF-8), or null when it had none:
 * the key of answers remembered by the exact request (resolve/cached-answers.ts).
 */
export function jsonTextOf(request: FastifyRequest): string | null {
  return (request as FastifyRequest & { [JSON_TEXT]: string | null })[JSON_TEXT];
}

function configureFastify(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance() as FastifyInstance;
  // Declared, so that every request object has the field from the start (one shape for V8).
  fastify.decorateRequest(JSON_TEXT, null);
  // Only JSON: Fastify answers 415 for every other content type once its defaults (text/plain) are gone.
  fastify.removeAllContentTypeParsers();
  app.useBodyParser('application/json', { bodyLimit: LIMITS.bodyBytes }, (request, body, done) => {
    // Compressed bodies are refused: a body is counted against the limit as it arrives, not inflated.
    const encoding = request.headers['content-encoding'];
    if (encoding !== undefined && encoding !== 'identity') {
      done(new UnsupportedMediaTypeException(NOT_JSON), undefined);
      return;
    }
    let read;
    try {
      read = readJsonBody(body);
    } catch (error) {
      done(error as Error, undefined);
      return;
    }
    if (read === undefined) {
      done(null, undefined);
      return;
    }
    (request as FastifyRequest & { [JSON_TEXT]: string | null })[JSON_TEXT] = read.text;
    done(null, read.value);
  });
  // Uploads (twine's multipart form) are read as a stream by their route, with the upload limit
  // (the JSON limit would refuse every wheel); every other route refuses a form, as before.
  fastify.addContentTypeParser('multipart/form-data', (request, _payload, done) => {
    if (request.routeOptions.url === UPLOAD_ROUTE) done(null, undefined);
    else done(new UnsupportedMediaTypeException(NOT_JSON), undefined);
  });
}

/**
 * Sets up the parts of the edge below NestJS. Call it once, after creating the app (on the
 * Fastify adapter, made with {@link FASTIFY_EDGE_OPTIONS}) and before `init`/`listen`.
 */
export function configureEdge(app: NestFastifyApplication): void {
  const platform = app.getHttpAdapter().getType();
  if (platform !== 'fastify') throw new Error(`configureEdge: the API runs on Fastify, not ${platform}`);
  configureFastify(app);
  const server = app.getHttpServer() as { removeAllListeners(event: string): unknown; on(event: string, listener: typeof answerClientError): unknown };
  server.removeAllListeners('clientError');
  server.on('clientError', answerClientError);
}
