/**
 * `?transitive=&depth=&range=&limit=` of `GET /v1/projects/{name}/dependents`, validated into
 * the options of the dependents query. Every problem is a 400 naming the parameter.
 */
import type { DependentsOptions } from '@venvfarm/mirror';
import { z } from 'zod';
import { LIMITS } from '../common/limits';
import { integerParameter, versionRangeSchema } from '../common/schemas';

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
