/**
 * The one JSON body of every error answer: `{error, detail, field?, line?, position?}`. `error` is
 * a stable snake_case code a client can branch on; `detail` is for people; `field` names the
 * part of the request that is wrong (`requirements[2]`, `name`, `limit`), `line` the 1-based
 * line of a `requirements_txt`, `position` the 0-based character offset in that value where
 * parsing stopped (PEP 508 spans keep theirs).
 */
import { z } from 'zod';

/** Every `error` code the API answers with, by status. */
export const ERROR_CODES = {
  invalid_input: 400,
  invalid_json: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  request_timeout: 408,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unsatisfiable: 422,
  too_complex: 422,
  no_builder: 422,
  unbuildable: 422,
  build_failed: 422,
  range_not_satisfiable: 416,
  headers_too_large: 431,
  internal: 500,
  upstream_hash_mismatch: 502,
  upstream_unavailable: 503,
  queue_unavailable: 503,
  not_ready: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The body of an error answer. */
export interface ErrorBody {
  readonly error: ErrorCode;
  readonly detail: string;
  readonly field?: string;
  readonly line?: number;
  readonly position?: number;
}

/** The error body's schema: documents every error answer in OpenAPI, and the tests check answers against it. */
export const ErrorBodySchema = z
  .strictObject({
    error: z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]).describe('A stable code to branch on'),
    detail: z.string().describe('What was wrong, for people (PEP 508 errors draw the input with a caret under the spot)'),
    field: z.string().optional().describe('The part of the request that is wrong: a body field (`requirements[2]`), a path or query parameter'),
    line: z.int().min(1).optional().describe('1-based line of `requirements_txt`'),
    position: z.int().min(0).optional().describe('0-based character offset in the field (or line) where parsing stopped'),
  })
  .meta({
    title: 'Error',
    examples: [{ error: 'invalid_input', detail: 'Expected end or semicolon (after version specifier)\n    django>=4,<<5\n          ~~~^', field: 'requirements[0]', position: 10 }],
  });

/** The code of a status that no more specific code describes (a framework's own errors). */
export function codeOfStatus(status: number): ErrorCode {
  switch (status) {
    case 401: return 'unauthorized';
    case 403: return 'forbidden';
    case 404: return 'not_found';
    case 409: return 'conflict';
    case 408: return 'request_timeout';
    case 413: return 'payload_too_large';
    case 415: return 'unsupported_media_type';
    case 431: return 'headers_too_large';
    default: return status >= 500 ? 'internal' : 'invalid_input';
  }
}
