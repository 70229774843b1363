/**
 * The body of `POST /v1/mirror/sync`. The upstream is not part of it: an API-triggered sync
 * always reads the upstream the operator configured (VENVFARM_UPSTREAM), so a client can never
 * make the server fetch a URL of its choosing. Allow- and deny-list lines are PEP 508
 * requirements, checked here so a bad line is a 400 naming it rather than a failed job.
 */
import { z } from 'zod';
import { LIMITS } from '../common/limits';
import { reportProblem } from '../common/request-errors';
import { requirementTextSchema } from '../common/schemas';

/** Lines of an allow- or deny-list: kept as the text the job stores, each checked as a requirement. */
const lines = z.array(requirementTextSchema).max(LIMITS.syncListLines);

/** What a client sends. */
export const SyncBodySchema = z
  .strictObject({
    incremental: z.boolean().default(false).describe('Only what changed upstream since the last committed serial'),
    include: lines.optional().describe('Allow-list (PEP 508 requirements): only these projects, and only the releases their specifiers admit'),
    exclude: lines.optional().describe('Deny-list (PEP 508 requirements): a bare name drops the project, one with specifiers drops those releases'),
  })
  .meta({ id: 'SyncRequest', examples: [{ incremental: true }, { include: ['django>=4', 'requests'], exclude: ['django==4.2.0'] }] });

/** A validated sync request; the job adds the configured upstream. */
export type SyncRequest = z.output<typeof SyncBodySchema>;

/**
 * The schema the edge validates with: an absent body is an empty one (a full sync), and an
 * `upstream` field is refused by name, since the server only fetches what its operator configured.
 */
export const SyncRequestSchema = z.preprocess((body, ctx) => {
  if (typeof body === 'object' && body !== null && !Array.isArray(body) && 'upstream' in body) {
    reportProblem(ctx as unknown as z.RefinementCtx, ['upstream'], 'a sync reads the upstream this server is configured with (VENVFARM_UPSTREAM); a request cannot choose one');
  }
  return body ?? {};
}, SyncBodySchema);
