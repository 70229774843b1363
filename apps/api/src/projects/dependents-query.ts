import { BadRequestException } from '@nestjs/common';
import type { DependentsOptions } from '@venvfarm/mirror';

/** `?transitive=&depth=&range=&limit=` of `GET /v1/projects/{name}/dependents`. */
export interface DependentsQuery {
  transitive?: string;
  depth?: string;
  range?: string;
  limit?: string;
}

/** The most rows one answer carries; a caller pages by narrowing `range` or `depth`. */
export const MAX_DEPENDENTS = 10_000;

function integer(name: string, value: string | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > max) throw new BadRequestException(`${name} must be an integer from 1 to ${max}, not '${value}'`);
  return n;
}

/** Validates the query; every problem is a 400 naming the parameter. */
export function parseDependentsQuery(query: DependentsQuery): DependentsOptions {
  const unknown = Object.keys(query).filter((k) => !['transitive', 'depth', 'range', 'limit'].includes(k));
  if (unknown.length > 0) throw new BadRequestException(`unknown query parameter(s): ${unknown.join(', ')}`);
  if (query.transitive !== undefined && !['true', 'false'].includes(query.transitive)) {
    throw new BadRequestException(`transitive must be true or false, not '${query.transitive}'`);
  }
  const transitive = query.transitive === 'true' || query.depth !== undefined;
  return {
    transitive,
    depth: integer('depth', query.depth, transitive ? 2 : 1, 5),
    limit: integer('limit', query.limit, 1000, MAX_DEPENDENTS),
    versionRange: query.range === undefined || query.range === '' ? undefined : query.range,
  };
}
