/**
 * The DTOs of `/v1/mirror` (body and path, validated by the edge) and the schemas of its answers
 * (OpenAPI components `MirrorStatus` and `MirrorJob`).
 */
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { answerSchema } from '../../common/api-responses';
import { LIMITS } from '../../common/limits';
import { SyncRequestSchema } from '../sync-request';

/** The body of `POST /v1/mirror/sync`. */
export class SyncRequestDto extends createZodDto(SyncRequestSchema) {}

/** A job id: the queue's counter, so digits only; anything else names no job and is not looked up. */
export const JobIdSchema = z
  .string()
  .regex(new RegExp(`^[1-9][0-9]{0,${LIMITS.jobIdDigits - 1}}$`), { message: `must be a job id (1 to ${LIMITS.jobIdDigits} digits)` })
  .meta({ description: 'The id `POST /v1/mirror/sync` answered with', examples: ['42'] });

/** `{id}` of `/v1/mirror/jobs/{id}`. */
export class JobParamsDto extends createZodDto(z.strictObject({ id: JobIdSchema })) {}

/** `GET /v1/mirror/status`. */
export const MirrorStatusSchema = answerSchema(
  'MirrorStatus',
  z
    .object({
      serial: z.int().describe('The upstream serial the mirror has caught up to'),
      counts: z.object({ projects: z.int(), releases: z.int(), files: z.int() }),
      last_sync: z.string().nullable().describe('When the last sync finished (ISO 8601), null before the first'),
      lag: z.number().nullable().describe('Seconds since the last completed sync; null before the first'),
    })
    .meta({ title: 'MirrorStatus', examples: [{ serial: 12, counts: { projects: 1, releases: 2, files: 3 }, last_sync: '2026-12-01T10:00:00.000Z', lag: 30 }] }),
);

/** A sync job as `POST /v1/mirror/sync` and `GET /v1/mirror/jobs/{id}` show it. */
export const MirrorJobSchema = answerSchema(
  'MirrorJob',
  z
    .looseObject({
      id: z.union([z.string(), z.int()]),
      state: z.enum(['queued', 'running', 'retrying', 'done', 'failed']),
      params: z.object({ upstream: z.string(), incremental: z.boolean(), include: z.array(z.string()).optional(), exclude: z.array(z.string()).optional() }),
      progress: z.record(z.string(), z.unknown()).describe('Counters the job last reported; its summary once done'),
      error: z.string().nullable(),
    })
    .meta({
      title: 'MirrorJob',
      examples: [{ id: '42', state: 'running', params: { upstream: 'https://pypi.org/simple/', incremental: true }, progress: { phase: 'projects', planned: 120, done: 40 }, error: null }],
    }),
);
