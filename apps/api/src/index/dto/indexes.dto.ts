/** The DTOs and answers of `/v1/indexes`: private indexes and their upload tokens. */
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { answerSchema } from '../../common/api-responses';
import { LIMITS } from '../../common/limits';
import { indexNameSchema, RESERVED_INDEX_NAMES } from '../../common/schemas';

/** `POST /v1/indexes`. */
export class CreateIndexDto extends createZodDto(
  z
    .strictObject({
      name: indexNameSchema.refine((name) => !RESERVED_INDEX_NAMES.includes(name), { message: `is reserved (${RESERVED_INDEX_NAMES.join(', ')})` }),
      upstream: z.boolean().optional().describe('Layer the index in front of the mirror of the upstream (default true): names it does not have come from there'),
    })
    .meta({ examples: [{ name: 'acme' }, { name: 'airgapped', upstream: false }] }),
) {}

/** `POST /v1/indexes/{index}/tokens`. */
export class CreateTokenDto extends createZodDto(
  z.strictObject({ description: z.string().max(LIMITS.tokenDescriptionLength).optional().describe('What the token is for (shown in lists)') }).meta({ examples: [{ description: 'CI of acme/widgets' }] }),
) {}

/** `{index}/tokens/{id}`. */
export class TokenParamsDto extends createZodDto(
  z.strictObject({
    index: indexNameSchema,
    id: z
      .string()
      .regex(/^[1-9][0-9]{0,9}$/, { message: 'must be a token id (a positive whole number)' })
      .transform(Number)
      .meta({ description: 'The token id', examples: ['3'] }),
  }),
) {}

export const IndexSchema = answerSchema(
  'Index',
  z
    .object({
      name: z.string(),
      kind: z.enum(['upstream', 'private']),
      upstream: z.string().nullable().describe('The index it is layered in front of'),
      projects: z.int(),
      created_at: z.string(),
    })
    .meta({ examples: [{ name: 'acme', kind: 'private', upstream: 'pypi', projects: 3, created_at: '2026-12-02T14:00:00.000Z' }] }),
);

export const IndexListSchema = answerSchema('IndexList', z.array(IndexSchema));

export const TokenSchema = answerSchema(
  'Token',
  z
    .object({
      id: z.int(),
      index: z.string(),
      token: z.string().describe('Shown once: only its sha256 is kept. twine: -u __token__ -p <token>'),
      description: z.string(),
      created_at: z.string(),
    })
    .meta({ examples: [{ id: 3, index: 'acme', token: 'vf-3q2+7w…', description: 'CI of acme/widgets', created_at: '2026-12-02T14:00:00.000Z' }] }),
);

export const UploadSchema = answerSchema(
  'Upload',
  z
    .object({ index: z.string(), project: z.string(), version: z.string(), filename: z.string(), sha256: z.string(), size: z.int() })
    .meta({ examples: [{ index: 'acme', project: 'widgets', version: '1.0', filename: 'widgets-1.0-py3-none-any.whl', sha256: 'ab'.repeat(32), size: 1234 }] }),
);
