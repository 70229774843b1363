/**
 * Request validation failures as error bodies: a zod issue names the field by its path
 * (`requirements[2]`, `include[0]`, `name`), and an issue raised from a packaging library's
 * InputError carries its position (and line) in that field.
 */
import { InputError } from '@venvfarm/pep440';
import type { RefinementCtx, ZodError } from 'zod';
import type { ErrorBody } from './error-body';

/** Where an issue points, as clients write it: `requirements[2]`, `a.b`. */
export function fieldName(path: readonly PropertyKey[]): string {
  let field = '';
  for (const key of path) field += typeof key === 'number' ? `[${key}]` : field === '' ? String(key) : `.${String(key)}`;
  return field;
}

/** The first issue of a failed validation as an error body (one problem at a time, the first one). */
export function validationErrorBody(error: ZodError): ErrorBody {
  const issue = error.issues[0];
  if (issue === undefined) return { error: 'invalid_input', detail: 'the request is not valid' };
  let path: PropertyKey[] = issue.path;
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') {
    path = [...issue.path, issue.keys[0]];
    message = 'not a field of this request';
  }
  const field = fieldName(path);
  const params = (issue.code === 'custom' ? issue.params : undefined) as { position?: number; line?: number } | undefined;
  return {
    error: 'invalid_input',
    detail: field === '' ? message : `${field}: ${message}`,
    ...(field === '' ? {} : { field }),
    ...(params?.line === undefined ? {} : { line: params.line }),
    ...(params?.position === undefined ? {} : { position: params.position }),
  };
}

/**
 * Reports a packaging library's parse error as an issue of the field at `path`, keeping its
 * position (and the drawing of the input with a caret, in the message).
 */
export function reportInputError(ctx: RefinementCtx, path: (string | number)[], error: InputError, line?: number): void {
  ctx.addIssue({ code: 'custom', path, message: error.message, params: { position: error.position, ...(line === undefined ? {} : { line }) } });
}

/** Reports a problem of the field at `path` that has no position. */
export function reportProblem(ctx: RefinementCtx, path: (string | number)[], message: string): void {
  ctx.addIssue({ code: 'custom', path, message });
}
