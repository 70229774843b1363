import { BadRequestException } from '@nestjs/common';
import { parseRequirement } from '@venvfarm/pep508';

/** A validated `POST /v1/mirror/sync` body. */
export interface SyncRequest {
  upstream?: string;
  incremental: boolean;
  include?: string[];
  exclude?: string[];
}

function lines(body: Record<string, unknown>, field: 'include' | 'exclude'): string[] | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw new BadRequestException(`${field} must be an array of requirement strings`);
  }
  value.forEach((line, i) => {
    try {
      parseRequirement(line);
    } catch (error) {
      throw new BadRequestException(`${field}[${i}] is not a requirement: ${(error as Error).message.split('\n')[0]}`);
    }
  });
  return value;
}

/** Validates the body; every problem is a 400 naming the field. */
export function parseSyncRequest(body: unknown): SyncRequest {
  if (body === undefined || body === null) return { incremental: false };
  if (typeof body !== 'object' || Array.isArray(body)) throw new BadRequestException('the body must be a JSON object');
  const b = body as Record<string, unknown>;
  const unknown = Object.keys(b).filter((k) => !['upstream', 'incremental', 'include', 'exclude'].includes(k));
  if (unknown.length > 0) throw new BadRequestException(`unknown field(s): ${unknown.join(', ')}`);
  if (b.upstream !== undefined) {
    if (typeof b.upstream !== 'string' || !URL.canParse(b.upstream)) throw new BadRequestException('upstream must be a URL');
  }
  if (b.incremental !== undefined && typeof b.incremental !== 'boolean') throw new BadRequestException('incremental must be true or false');
  return {
    upstream: b.upstream as string | undefined,
    incremental: (b.incremental as boolean | undefined) ?? false,
    include: lines(b, 'include'),
    exclude: lines(b, 'exclude'),
  };
}
