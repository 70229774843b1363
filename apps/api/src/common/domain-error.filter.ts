import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { UpstreamError, UpstreamHttpError } from '@venvfarm/upstream';
import { ProjectNotFoundError } from '@venvfarm/resolution';
import { InputError } from '@venvfarm/pep440';
import { SolveTimeoutError, UnsatisfiableError } from '@venvfarm/resolver';
import type { Response } from 'express';

/** How long a client should wait before retrying a request the upstream failed. */
export const UPSTREAM_RETRY_AFTER_SECONDS = 30;

/** The JSON body of every error answer: what was wrong and where. */
export interface ErrorBody {
  error: string;
  detail: string;
  [more: string]: unknown;
}

/**
 * The one place where domain errors become HTTP answers. Parse errors of user input are 400
 * with the input and the position; an upstream that cannot answer is 503 with Retry-After;
 * HttpExceptions keep their status; anything else is a bug
 * and the only path to a 500.
 */
@Catch()
export class DomainErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(DomainErrorFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const [status, body] = this.toHttp(exception);
    // The upstream is down or broken: the client may try again later, and the mirror is fine.
    if (status === HttpStatus.SERVICE_UNAVAILABLE) response.setHeader('Retry-After', String(UPSTREAM_RETRY_AFTER_SECONDS));
    response.status(status).json(body);
  }

  private toHttp(exception: unknown): [number, ErrorBody] {
    if (exception instanceof InputError) {
      // Errors about one field of a body name it (`requirements[2]`), and a line of a file.
      const { field, line } = exception as InputError & { field?: string; line?: number };
      return [
        HttpStatus.BAD_REQUEST,
        {
          error: 'invalid_input',
          detail: exception.reason,
          ...(field === undefined ? {} : { field }),
          ...(line === undefined ? {} : { line }),
          input: exception.input,
          position: exception.position,
        },
      ];
    }
    if (exception instanceof UnsatisfiableError) {
      return [HttpStatus.UNPROCESSABLE_ENTITY, { error: 'unsatisfiable', detail: exception.explanation }];
    }
    if (exception instanceof SolveTimeoutError) {
      return [
        HttpStatus.UNPROCESSABLE_ENTITY,
        { error: 'too_complex', detail: `the resolution ${exception.message}; narrow the requirements (pin the projects that backtrack) and try again` },
      ];
    }
    if (exception instanceof ProjectNotFoundError) {
      return [HttpStatus.NOT_FOUND, { error: 'not_found', detail: exception.message, projects: [...exception.names] }];
    }
    if (exception instanceof UpstreamError) {
      this.logger.warn(exception.message);
      return [
        HttpStatus.SERVICE_UNAVAILABLE,
        {
          error: 'upstream_unavailable',
          detail: `the upstream index is needed for this request and could not answer: ${exception.message}`,
          upstream_status: exception instanceof UpstreamHttpError ? exception.status : null,
        },
      ];
    }
    if (exception instanceof HttpException) {
      const answer = exception.getResponse();
      const detail = typeof answer === 'string' ? answer : ((answer as { message?: unknown }).message ?? exception.message);
      return [exception.getStatus(), { error: errorName(exception.getStatus()), detail: String(detail) }];
    }
    const client = clientError(exception);
    if (client !== null) return client;
    this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    return [HttpStatus.INTERNAL_SERVER_ERROR, { error: 'internal', detail: 'An unexpected error occurred; it has been logged.' }];
  }
}

/**
 * Errors of the body parser (http-errors with `expose`): malformed JSON is 400, an oversized
 * body 413; they never reach a controller, so they arrive here as plain errors.
 */
function clientError(exception: unknown): [number, ErrorBody] | null {
  if (typeof exception !== 'object' || exception === null) return null;
  const { status, expose, type, message } = exception as { status?: unknown; expose?: unknown; type?: unknown; message?: unknown };
  if (typeof status !== 'number' || status < 400 || status >= 500 || expose !== true) return null;
  const detail = type === 'entity.parse.failed' ? `the body is not valid JSON: ${String(message)}` : String(message);
  return [status, { error: errorName(status), detail }];
}

function errorName(status: number): string {
  switch (status) {
    case 400: return 'bad_request';
    case 404: return 'not_found';
    case 409: return 'conflict';
    case 413: return 'payload_too_large';
    case 422: return 'unprocessable';
    default: return status >= 500 ? 'unavailable' : 'error';
  }
}
