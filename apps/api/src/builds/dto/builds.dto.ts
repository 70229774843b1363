/** The DTOs of the build routes, from the schemas the edge validates with. */
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { answerSchema } from '../../common/api-responses';
import { LIMITS } from '../../common/limits';
import { integerParameter } from '../../common/schemas';
import { hostTarget } from '../../resolve/host-target';
import { RESOLVE_EXAMPLES } from '../../resolve/resolve.openapi';
import { buildRequestSchema } from '../build-request';

/** The body of `POST /v1/builds` and `POST /v1/envs`, validated and turned into a BuildRequest by the edge's pipe. */
export class BuildRequestDto extends createZodDto(buildRequestSchema(hostTarget)) {}

/** The examples of a build request: those of a resolve, and a lock. */
export const BUILD_EXAMPLES = {
  requirements: RESOLVE_EXAMPLES.requirements,
  requirementsTxt: { summary: 'A requirements.txt', value: { requirements_txt: 'flask>=2\nsqlalchemy<2\n', python: '3.11', platform: 'x86_64-manylinux_2_28' } },
  lock: {
    summary: 'A lock built as is: a requirements.txt pinned with hashes (or a pylock.toml)',
    value: { lock: `idna==3.4 \\\n    --hash=sha256:${'90b77e79eaa3eba6de819a0c442c0b4ceefc341a7a2ab77d7562bf49f425c5c2'}\n`, python: '3.11', platform: 'x86_64-manylinux_2_28' },
  },
};

/** A build id: the table's counter. */
const BuildIdSchema = z
  .string()
  .regex(new RegExp(`^[1-9][0-9]{0,${LIMITS.jobIdDigits - 1}}$`), { message: `must be a build id (1 to ${LIMITS.jobIdDigits} digits)` })
  .meta({ description: 'The id `POST /v1/builds` answered with', examples: ['7'] });

/** `{id}` of `/v1/builds/{id}` and `/v1/builds/{id}/log`. */
export class BuildParamsDto extends createZodDto(z.strictObject({ id: BuildIdSchema })) {}

/** `GET /v1/builds?status=&limit=`. */
export class BuildListQueryDto extends createZodDto(
  z.strictObject({
    status: z.enum(['queued', 'building', 'done', 'failed']).optional().describe('Only builds in this state'),
    limit: integerParameter(LIMITS.buildsLimit, 'At most this many, newest first; default 50').optional(),
  }),
) {}

/** `{file}` of `/v1/envs/{file}`: a build key and the tarball's extension. */
export class EnvParamsDto extends createZodDto(
  z.strictObject({
    file: z
      .string()
      .regex(/^[0-9a-f]{64}\.tar\.gz$/, { message: 'must be <build key>.tar.gz (64 lower-case hex digits)' })
      .meta({ description: 'The build key with `.tar.gz`', examples: [`${'3f'.repeat(32)}.tar.gz`] }),
  }),
) {}

/** `POST /v1/envs?wait=`. */
export class EnvWaitQueryDto extends createZodDto(
  z.strictObject({
    wait: integerParameter(LIMITS.envWaitSeconds, 'Seconds to wait for the build before answering 202 with it; default 300').optional(),
  }),
) {}

/** A build as the routes show it. */
export const BuildSchema = answerSchema(
  'Build',
  z
    .object({
      id: z.int(),
      key: z.string().describe('The build key: sha256 of the pins with their hashes, the target, the builder digest and the packer'),
      status: z.enum(['queued', 'building', 'done', 'failed']),
      python: z.string(),
      platform: z.string(),
      pins: z.array(z.object({ name: z.string(), version: z.string(), filename: z.string(), sha256: z.string() })),
      requested_by: z.string(),
      requested_at: z.string(),
      started_at: z.string().nullable(),
      finished_at: z.string().nullable(),
      timings: z.record(z.string(), z.number()).describe('Milliseconds per phase (stage, wheels: building wheels of sdists, install, pack, store, total)'),
      size: z.int().nullable().describe('Bytes of the tarball'),
      sha256: z.string().nullable().describe("The tarball's sha256 (once done): what a client checks its download against"),
      builder_digest: z.string(),
      executor: z.string(),
      error: z.string().nullable(),
      download: z.string().describe('Where the tarball is (once done)'),
    })
    .meta({ title: 'Build' }),
);

export type BuildView = z.infer<typeof BuildSchema>;
