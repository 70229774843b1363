/** The DTOs of `POST /v1/resolve`, from the schemas the edge validates with. */
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { answerSchema } from '../../common/api-responses';
import { hostTarget } from '../host-target';
import { resolveRequestSchema } from '../resolve-request';

/** The body, validated and turned into a ResolveRequest by the edge's pipe. */
export class ResolveRequestDto extends createZodDto(resolveRequestSchema(hostTarget)) {}

/** A JSON answer (OpenAPI component `ResolveAnswer`). */
export const ResolveAnswerSchema = answerSchema(
  'ResolveAnswer',
  z
    .object({
      key: z.string().describe('sha256 of the canonical request; also the ETag'),
      python: z.string(),
      platform: z.string(),
      pins: z.array(
        z.object({
          name: z.string(),
          version: z.string(),
          extras: z.array(z.string()),
          files: z.array(z.object({ filename: z.string(), url: z.string().nullable(), sha256: z.string().nullable() })),
          dependencies: z.array(z.string()),
          required_by: z.array(z.string()),
        }),
      ),
      requirements_txt: z.string().describe('The pins as a requirements.txt with --hash lines'),
      warnings: z.array(z.string()),
      cached: z.boolean(),
      timings: z.record(z.string(), z.number()).describe('Milliseconds by phase, and counters of the work done'),
    })
    .meta({ title: 'ResolveAnswer' }),
);
