/**
 * Answers in the OpenAPI document: each answer's schema is a zod schema, registered once as a
 * component (`openApiDocument` adds them) and referred to by name from the routes.
 */
import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import type { ZodType } from 'zod';

/** The component names of answers, and the schemas they are made from (filled by the feature DTO files). */
export const ANSWER_SCHEMAS = new Map<string, ZodType>();

/** Registers an answer schema under a component name; returns the schema. */
export function answerSchema<T extends ZodType>(name: string, schema: T): T {
  ANSWER_SCHEMAS.set(name, schema);
  return schema;
}

/** A successful JSON answer of a route, by component name. */
export function ApiJsonAnswer(status: number, component: string, description: string): MethodDecorator & ClassDecorator {
  if (!ANSWER_SCHEMAS.has(component)) throw new Error(`ApiJsonAnswer: no answer schema named ${component}`);
  return applyDecorators(ApiResponse({ status, description, content: { 'application/json': { schema: { $ref: `#/components/schemas/${component}` } } } }));
}
