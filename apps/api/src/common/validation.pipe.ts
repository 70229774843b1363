import { createZodValidationPipe, ZodValidationException } from 'nestjs-zod';
import { ZodError } from 'zod';

/**
 * Validates every body, path parameter and query of every route with its nestjs-zod DTO. A
 * parameter declared without a DTO is refused (a 500 the first time the route runs, which every
 * route's test catches), so no input reaches a controller unvalidated. Errors thrown by a
 * schema's own code (a bug) pass through unchanged instead of being dressed up as a 400.
 */
export const EdgeValidationPipe = createZodValidationPipe({
  strictSchemaDeclaration: true,
  createValidationException: (error: unknown) => (error instanceof ZodError ? new ZodValidationException(error) : error instanceof Error ? error : new Error(String(error))),
});
