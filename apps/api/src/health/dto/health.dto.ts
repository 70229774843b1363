/** The answers of the health endpoints, as zod schemas (the OpenAPI components come from them). */
import { z } from 'zod';
import { answerSchema } from '../../common/api-responses';

/** `GET /health`. */
export const HealthStatusSchema = answerSchema(
  'HealthStatus',
  z.object({ status: z.literal('ok'), version: z.string().describe("venvfarm's version") }).meta({ title: 'HealthStatus', examples: [{ status: 'ok', version: '0.1.0' }] }),
);

/** `GET /health/live`. */
export const LivenessSchema = answerSchema('Liveness', z.object({ status: z.literal('ok') }).meta({ title: 'Liveness', examples: [{ status: 'ok' }] }));

/** `GET /health/ready` when ready: each check that ran, by name. */
export const ReadinessSchema = answerSchema(
  'Readiness',
  z
    .object({
      status: z.literal('ok'),
      checks: z
        .object({ database: z.literal('ok'), queue: z.literal('ok').optional().describe('Where the app uses queues') })
        .describe('The dependencies checked, each answering'),
    })
    .meta({ title: 'Readiness', examples: [{ status: 'ok', checks: { database: 'ok', queue: 'ok' } }] }),
);

export type HealthStatus = z.infer<typeof HealthStatusSchema>;
export type Liveness = z.infer<typeof LivenessSchema>;
export type Readiness = z.infer<typeof ReadinessSchema>;
