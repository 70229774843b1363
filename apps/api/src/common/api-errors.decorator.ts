import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorBody, ErrorCode, ERROR_CODES } from './error-body';
import { LIMITS } from './limits';

/** What each code means, and an example of it, in the OpenAPI description. */
const ERROR_DOCS: Record<ErrorCode, { description: string; example: ErrorBody }> = {
  invalid_input: {
    description: 'A field, parameter or line is wrong; `field` names it, `position` (and `line`) point into it',
    example: { error: 'invalid_input', detail: 'requirements[0]: Expected end or semicolon (after version specifier)\n    django>=4,<<5\n          ~~~^', field: 'requirements[0]', position: 10 },
  },
  invalid_json: {
    description: `The body is not JSON, or nests more than ${LIMITS.jsonDepth} levels`,
    example: { error: 'invalid_json', detail: 'the body is not valid JSON: Unexpected end of JSON input', position: 18 },
  },
  unauthorized: {
    description: 'No usable `Authorization: Bearer <token>` header (with `WWW-Authenticate: Bearer`); on reads only when the server sets a read token',
    example: { error: 'unauthorized', detail: 'this is an admin operation and needs the admin token: send Authorization: Bearer <token>' },
  },
  forbidden: { description: 'The token does not grant this operation (the read token reads, the admin token does everything)', example: { error: 'forbidden', detail: 'the token is not valid for this server' } },
  not_found: { description: 'No such project, job or route', example: { error: 'not_found', detail: "no project named 'no-such-thing' in the mirror" } },
  request_timeout: { description: 'The request did not arrive in time', example: { error: 'request_timeout', detail: 'the request did not arrive in time' } },
  payload_too_large: {
    description: `The body is larger than ${LIMITS.bodyBytes} bytes`,
    example: { error: 'payload_too_large', detail: `the body is larger than ${LIMITS.bodyBytes} bytes, the limit of this server` },
  },
  unsupported_media_type: {
    description: 'A body that is not `application/json`',
    example: { error: 'unsupported_media_type', detail: 'send the body as application/json, uncompressed' },
  },
  unsatisfiable: {
    description: 'No set of versions satisfies the requirements; `detail` explains why',
    example: { error: 'unsatisfiable', detail: 'Because requests==2.31.0 depends on urllib3>=1.21.1,<3 and you require urllib3<1.21, the requirements are unsatisfiable.' },
  },
  too_complex: {
    description: 'The resolution passed its time limit',
    example: { error: 'too_complex', detail: 'the resolution passed its time limit of 30000 ms; narrow the requirements (pin the projects that backtrack) and try again' },
  },
  no_builder: {
    description: 'No builder can build for the requested Python and platform; `detail` lists what is available',
    example: { error: 'no_builder', detail: 'no builder for Python 3.12 on x86_64-manylinux_2_28; available: Python 3.11 on x86_64-manylinux_2_36 and older manylinux' },
  },
  unbuildable: {
    description: 'A pin cannot be built as asked (no file for the target, no sha256 from the index)',
    example: { error: 'unbuildable', detail: 'numpy==1.26.4: no file of this release installs on x86_64-manylinux_2_17' },
  },
  build_failed: { description: 'The build failed; `detail` says why (pip\'s output, the limit hit); `GET /v1/builds/{id}/log` has the whole log', example: { error: 'build_failed', detail: 'build 7 failed: the build ran out of its memory limit of 2048 MiB and was stopped' } },
  range_not_satisfiable: { description: 'The Range asks for bytes past the end; `Content-Range` gives the size', example: { error: 'range_not_satisfiable', detail: 'the tarball has 1024 bytes' } },
  headers_too_large: { description: 'The request headers are larger than the server accepts', example: { error: 'headers_too_large', detail: 'the request headers are too large' } },
  internal: { description: 'A bug; it has been logged', example: { error: 'internal', detail: 'An unexpected error occurred; it has been logged.' } },
  not_ready: { description: 'A dependency (database, queue backend) does not answer', example: { error: 'not_ready', detail: 'database: connect ECONNREFUSED 127.0.0.1:5432' } },
  conflict: { description: 'The thing exists already: an index of that name, or a file of that name in the index (uploads are immutable)', example: { error: 'conflict', detail: 'demo-1.0-py3-none-any.whl exists in index acme already; uploads are immutable: publish a new version (or a new build number) instead' } },
  upstream_hash_mismatch: {
    description: "The upstream's bytes of a file do not match the sha256 the index lists: nothing was stored, and the file is not served",
    example: { error: 'upstream_hash_mismatch', detail: 'six-1.16.0-py2.py3-none-any.whl: sha256 0f… of 11053 bytes is not the expected 8a…; nothing was stored' },
  },
  upstream_unavailable: {
    description: 'The upstream index is needed and cannot answer; see `Retry-After`',
    example: { error: 'upstream_unavailable', detail: 'the upstream index is needed for this request and could not answer: connect ECONNREFUSED 127.0.0.1:8081' },
  },
  queue_unavailable: {
    description: 'The job queue backend (Redis or PostgreSQL) does not answer, or the server is shutting down; see `Retry-After`',
    example: {
      error: 'queue_unavailable',
      detail: 'the job queue is needed for this request and could not answer: cannot add a mirror-sync job: the queue backend (Redis at REDIS_URL redis://127.0.0.1:6379) did not answer within 5000 ms',
    },
  },
};

/**
 * Documents error answers of a route, all with the one error body (the `Error` component, which
 * `openApiDocument` makes from `ErrorBodySchema`). Codes that share a status are
 * one response with an example of each.
 */
export function ApiErrorResponses(...codes: ErrorCode[]): MethodDecorator & ClassDecorator {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) byStatus.set(ERROR_CODES[code], [...(byStatus.get(ERROR_CODES[code]) ?? []), code]);
  return applyDecorators(
    ...[...byStatus].map(([status, shared]) =>
      ApiResponse({
        status,
        description: shared.map((code) => `\`${code}\`: ${ERROR_DOCS[code].description}`).join('; '),
        content: {
          'application/json': {
            schema: { $ref: '#/components/schemas/Error' },
            examples: Object.fromEntries(shared.map((code) => [code, { value: ERROR_DOCS[code].example }])),
          },
        },
      }),
    ),
  );
}
