/**
 * `?transitive=&depth=&range=&limit=` of `GET /v1/projects/{name}/dependents`, validated into
 * the options of the dependents query. Every problem is a 400 naming the parameter.
 */
import type { DependentsOptions } from '@venvfarm/mirror';
import { z } from 'zod';
import { LIMITS } from '../common/limits';
import { versionRangeSchema } from '../common/schemas';

/** An integer query parameter in `min..max` (query values are strings on the wire). */
function integerParameter(range: { min: number; max: number }, description: string) {
  const message = `must be an integer from ${range.min} to ${range.max}`;
  return z
    .string()
    .refine((text) => /^[0-9]{1,9}$/.test(text) && Number(text) >= range.min && Number(text) <= range.max, { message })
    .transform(Number)
    .meta({ description: `${description} (${range.min}–${range.max})`, type: 'integer', minimum: range.min, maximum: range.max });
}

/** The query's schema. */
export const DependentsQuerySchema = z
  .strictObject({
    transitive: z.enum(['true', 'false']).optional().meta({ description: 'Also dependents of dependents (implied by depth)' }),
    depth: integerParameter(LIMITS.dependentsDepth, 'How many levels of dependents when transitive; default 2').optional(),
    range: versionRangeSchema
      .optional()
      .meta({ description: 'Only releases whose requirement admits part of this version range of the project (a PEP 440 specifier set)', examples: ['<1.5', '==4.2.*'] }),
    limit: integerParameter(LIMITS.dependentsLimit, 'The most release rows in one answer; default 1000').optional(),
  })
  .transform(
    (query): DependentsOptions => {
      const transitive = query.transitive === 'true' || query.depth !== undefined;
      return {
        transitive,
        depth: query.depth ?? (transitive ? 2 : 1),
        limit: query.limit ?? 1000,
        versionRange: query.range,
      };
    },
  );
