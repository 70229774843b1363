/**
 * What `POST /v1/builds` and `POST /v1/envs` take: what `POST /v1/resolve` takes (resolved
 * first), or `lock`: a pylock.toml or a requirements.txt pinned with hashes, built as is for the
 * target (its files found by their hashes in the mirror; see locked-pins.ts).
 */
import { InvalidLockError, ParsedLock, parseLock } from '@venvfarm/lockfile';
import type { Target } from '@venvfarm/pep508';
import { z } from 'zod';
import { LIMITS } from '../common/limits';
import { reportProblem } from '../common/request-errors';
import { ResolveBodySchema, ResolveRequest, TargetDefaults, targetOf, toResolveRequest } from '../resolve/resolve-request';

/** A lock to build as it is, for a target. */
export interface LockedBuild {
  readonly lock: ParsedLock;
  readonly python: string;
  readonly platform: string;
  readonly target: Target;
}

/** A build of requirements, resolved first (`resolve`), or of a lock, as it is (`lock`): one of the two. */
export interface BuildRequest {
  readonly resolve: ResolveRequest | null;
  readonly lock: LockedBuild | null;
}

/** The fields of a resolution, which a lock (resolved already) does not take. */
const RESOLUTION_FIELDS = ['requirements', 'requirements_txt', 'constraints', 'prereleases', 'exclude_newer', 'only_binary', 'no_binary', 'format'] as const;

export const BuildBodySchema = ResolveBodySchema.extend({
  lock: z
    .string()
    .min(1)
    .max(LIMITS.requirementsTxtLength)
    .optional()
    .describe('A lock to build as is, instead of requirements: a PEP 751 pylock.toml, or a requirements.txt whose every line is name==version with --hash=sha256 values'),
}).meta({ id: 'BuildRequest', description: 'Requirements (or a requirements.txt) and a target, as for POST /v1/resolve; or a lock and a target' });

/** The body's schema with its transformation into a {@link BuildRequest}. */
export function buildRequestSchema(defaults: TargetDefaults) {
  return BuildBodySchema.transform((body, ctx): BuildRequest => {
    const { lock, ...rest } = body;
    if (lock === undefined) {
      const request = toResolveRequest(rest, ctx, defaults);
      return request === z.NEVER ? z.NEVER : { resolve: request, lock: null };
    }
    const other = RESOLUTION_FIELDS.find((field) => rest[field] !== undefined);
    if (other !== undefined) {
      reportProblem(ctx, [other], 'a lock is built as it is: send lock with python and platform only');
      return z.NEVER;
    }
    const named = targetOf(rest, ctx, defaults);
    if (named === null) return z.NEVER;
    try {
      return { resolve: null, lock: { lock: parseLock(lock), python: named.python, platform: named.target.name, target: named.target } };
    } catch (error) {
      if (!(error instanceof InvalidLockError)) throw error;
      ctx.addIssue({ code: 'custom', path: ['lock'], message: error.message, params: error.line === null ? {} : { line: error.line } });
      return z.NEVER;
    }
  });
}
