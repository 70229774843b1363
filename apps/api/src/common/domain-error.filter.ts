import { ArtifactNotFoundError, HashMismatchError, RangeNotSatisfiableError } from '@venvfarm/artifacts';
import { BuildFailedError, NoBuilderError, UnbuildablePinError } from '@venvfarm/builds';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { FileExistsError, InvalidUploadError, UnknownIndexError, UploadCredentialsMissingError, UploadForbiddenError, UploadNotMultipartError, UploadTooLargeError } from '@venvfarm/index';
import { InputError } from '@venvfarm/pep440';
import { ProjectNotFoundError } from '@venvfarm/resolution';
import { QueueUnavailableError } from '@venvfarm/queue';
import { SolveTimeoutError, UnsatisfiableError } from '@venvfarm/resolver';
import { UpstreamError, UpstreamHttpError } from '@venvfarm/upstream';
import { ZodValidationException } from 'nestjs-zod';
import { ZodError } from 'zod';
import { codeOfStatus, ErrorBody } from './error-body';
import { NOT_JSON } from './edge';
import { InvalidJsonError } from './json-body';
import { LIMITS } from './limits';
import { validationErrorBody } from './request-errors';

/** How long a client should wait before retrying a request the upstream failed. */
export const UPSTREAM_RETRY_AFTER_SECONDS = 30;

/** How long a client should wait before retrying a request the job queue could not serve. */
export const QUEUE_RETRY_AFTER_SECONDS = 10;

/** The challenge of a 401 (RFC 6750). */
export const WWW_AUTHENTICATE = 'Bearer realm="venvfarm"';

/** Details quoted from a framework (a URL, a parser's message) are cut to this many characters. */
const MAX_QUOTED = 300;

/** An error answer: status, the one body shape, and headers that go with it. */
export interface ErrorAnswer {
  readonly status: number;
  readonly body: ErrorBody;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * The one place where errors become HTTP answers, on any NestJS platform (it writes through
 * the platform adapter). Every answer has the body `{error, detail, field?, line?, position?}`:
 * invalid requests are 400 naming the field (and the position for PEP 440/508 input), a missing
 * or wrong credential 401/403, an upstream or a job queue that cannot answer 503 with
 * Retry-After, and anything that is not a known error is a bug: the only path to a 500, logged,
 * with nothing internal shown.
 */
@Catch()
export class DomainErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(DomainErrorFilter.name);

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const { httpAdapter } = this.adapterHost;
    const response: unknown = host.switchToHttp().getResponse();
    const answer = this.toHttp(exception);
    if (httpAdapter.isHeadersSent(response)) {
      // Part of an answer has gone out: all that is left is to end it.
      httpAdapter.end(response);
      return;
    }
    for (const [name, value] of Object.entries(answer.headers ?? {})) httpAdapter.setHeader(response, name, value);
    // A route that answers another type (text/plain metrics, TOML) may have set its Content-Type
    // already; Fastify refuses to send an object under it, so the error body says it is JSON.
    httpAdapter.setHeader(response, 'Content-Type', 'application/json; charset=utf-8');
    httpAdapter.reply(response, answer.body, answer.status);
  }

  /** The answer to an exception. */
  toHttp(exception: unknown): ErrorAnswer {
    if (exception instanceof ZodValidationException) {
      const cause = exception.getZodError();
      if (cause instanceof ZodError) return { status: HttpStatus.BAD_REQUEST, body: validationErrorBody(cause) };
    }
    if (exception instanceof InvalidJsonError) {
      return { status: HttpStatus.BAD_REQUEST, body: { error: 'invalid_json', detail: exception.message, ...(exception.position === undefined ? {} : { position: exception.position }) } };
    }
    if (exception instanceof InputError) {
      const { field, line } = exception as InputError & { field?: string; line?: number };
      return {
        status: HttpStatus.BAD_REQUEST,
        body: { error: 'invalid_input', detail: exception.message, ...(field === undefined ? {} : { field }), ...(line === undefined ? {} : { line }), position: exception.position },
      };
    }
    if (exception instanceof UnsatisfiableError) {
      return { status: HttpStatus.UNPROCESSABLE_ENTITY, body: { error: 'unsatisfiable', detail: exception.explanation } };
    }
    if (exception instanceof SolveTimeoutError) {
      return {
        status: HttpStatus.UNPROCESSABLE_ENTITY,
        body: { error: 'too_complex', detail: `the resolution ${exception.message}; narrow the requirements (pin the projects that backtrack) and try again` },
      };
    }
    if (exception instanceof NoBuilderError) return { status: HttpStatus.UNPROCESSABLE_ENTITY, body: { error: 'no_builder', detail: exception.message } };
    if (exception instanceof BuildFailedError) return { status: HttpStatus.UNPROCESSABLE_ENTITY, body: { error: 'build_failed', detail: exception.message } };
    if (exception instanceof UnbuildablePinError) return { status: HttpStatus.UNPROCESSABLE_ENTITY, body: { error: 'unbuildable', detail: exception.message } };
    if (exception instanceof RangeNotSatisfiableError) {
      return { status: 416, headers: { 'Content-Range': `bytes */${exception.size}` }, body: { error: 'range_not_satisfiable', detail: `the range starts past the end: the object has ${exception.size} bytes` } };
    }
    const upload = uploadErrorAnswer(exception);
    if (upload !== null) return upload;
    if (exception instanceof HashMismatchError) {
      // Not the client's fault, nor a bug here: the upstream sent other bytes than it lists.
      return { status: HttpStatus.BAD_GATEWAY, body: { error: 'upstream_hash_mismatch', detail: exception.message } };
    }
    if (exception instanceof ArtifactNotFoundError) return { status: HttpStatus.NOT_FOUND, body: { error: 'not_found', detail: exception.message } };
    if (exception instanceof ProjectNotFoundError) {
      return { status: HttpStatus.NOT_FOUND, body: { error: 'not_found', detail: exception.message } };
    }
    if (exception instanceof UpstreamError) {
      this.logger.warn(exception.message);
      const status = exception instanceof UpstreamHttpError ? ` (it answered HTTP ${exception.status})` : '';
      return {
        status: HttpStatus.SERVICE_UNAVAILABLE,
        // The upstream is down or broken: the client may try again later, and the mirror is fine.
        headers: { 'Retry-After': String(UPSTREAM_RETRY_AFTER_SECONDS) },
        body: { error: 'upstream_unavailable', detail: `the upstream index is needed for this request and could not answer${status}: ${exception.message}` },
      };
    }
    if (exception instanceof QueueUnavailableError) {
      this.logger.warn(exception.message);
      return {
        status: HttpStatus.SERVICE_UNAVAILABLE,
        // Redis (or the queue's PostgreSQL) is unreachable, or this server is shutting down: another try may work.
        headers: { 'Retry-After': String(QUEUE_RETRY_AFTER_SECONDS) },
        body: { error: 'queue_unavailable', detail: `the job queue is needed for this request and could not answer: ${exception.message}` },
      };
    }
    if (exception instanceof HttpException) return httpExceptionAnswer(exception);
    const client = clientError(exception);
    if (client !== null) return client;
    this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    return { status: HttpStatus.INTERNAL_SERVER_ERROR, body: { error: 'internal', detail: 'An unexpected error occurred; it has been logged.' } };
  }
}

/** The answers to a refused upload or a missing index. */
function uploadErrorAnswer(exception: unknown): ErrorAnswer | null {
  if (exception instanceof InvalidUploadError) return { status: HttpStatus.BAD_REQUEST, body: { error: 'invalid_input', detail: exception.message, field: exception.field } };
  if (exception instanceof UploadTooLargeError) return { status: HttpStatus.PAYLOAD_TOO_LARGE, body: { error: 'payload_too_large', detail: exception.message } };
  if (exception instanceof FileExistsError) return { status: HttpStatus.CONFLICT, body: { error: 'conflict', detail: exception.message } };
  if (exception instanceof UnknownIndexError) return { status: HttpStatus.NOT_FOUND, body: { error: 'not_found', detail: exception.message } };
  if (exception instanceof UploadNotMultipartError) return { status: HttpStatus.UNSUPPORTED_MEDIA_TYPE, body: { error: 'unsupported_media_type', detail: exception.message } };
  // twine and pip send Basic credentials when challenged for them.
  if (exception instanceof UploadCredentialsMissingError) return { status: HttpStatus.UNAUTHORIZED, headers: { 'WWW-Authenticate': 'Basic realm="venvfarm"' }, body: { error: 'unauthorized', detail: exception.message } };
  if (exception instanceof UploadForbiddenError) return { status: HttpStatus.FORBIDDEN, body: { error: 'forbidden', detail: exception.message } };
  return null;
}

const TOO_LARGE = `the body is larger than ${LIMITS.bodyBytes} bytes, the limit of this server`;

function quoted(text: string): string {
  return text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}…` : text;
}

function messageOf(exception: HttpException): string {
  const answer = exception.getResponse();
  const message = typeof answer === 'string' ? answer : ((answer as { message?: unknown }).message ?? exception.message);
  return Array.isArray(message) ? message.join('; ') : String(message);
}

/** HttpExceptions keep their status; 401s carry the challenge. */
function httpExceptionAnswer(exception: HttpException): ErrorAnswer {
  const status = exception.getStatus();
  // The platform's own 413 and 415 say little ("Unsupported Media Type"); these say what to do.
  const detail = status === HttpStatus.PAYLOAD_TOO_LARGE ? TOO_LARGE : status === HttpStatus.UNSUPPORTED_MEDIA_TYPE ? NOT_JSON : quoted(messageOf(exception));
  const headers = status === HttpStatus.UNAUTHORIZED ? { 'WWW-Authenticate': WWW_AUTHENTICATE } : undefined;
  return { status, body: { error: codeOfStatus(status), detail }, ...(headers === undefined ? {} : { headers }) };
}

/**
 * A client error of the platform that is not an HttpException (Nest maps Fastify's own errors,
 * but not every error of a plugin): an error carrying a 4xx `statusCode` keeps it.
 */
function clientError(exception: unknown): ErrorAnswer | null {
  if (!(exception instanceof Error)) return null;
  const { statusCode } = exception as { statusCode?: unknown };
  if (typeof statusCode !== 'number' || statusCode < 400 || statusCode >= 500) return null;
  const detail = statusCode === HttpStatus.PAYLOAD_TOO_LARGE ? TOO_LARGE : statusCode === HttpStatus.UNSUPPORTED_MEDIA_TYPE ? NOT_JSON : quoted(exception.message);
  return { status: statusCode, body: { error: codeOfStatus(statusCode), detail } };
}
