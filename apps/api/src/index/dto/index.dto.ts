/** The path and query DTOs of the package index: `/simple/{project}/` and `/files/{sha256}/{filename}`. */
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { LIMITS } from '../../common/limits';
import { indexNameSchema, projectNameSpellingSchema } from '../../common/schemas';
import { isSimpleFormat } from '@venvfarm/index';

/** `{project}` of `/simple/{project}/`. */
export class SimpleProjectParamsDto extends createZodDto(z.strictObject({ project: projectNameSpellingSchema })) {}

/** `{index}` of `/{index}/simple/` and of uploads. */
export class IndexParamsDto extends createZodDto(z.strictObject({ index: indexNameSchema })) {}

/** `{index}` and `{project}` of `/{index}/simple/{project}/`. */
export class PrivateSimpleProjectParamsDto extends createZodDto(z.strictObject({ index: indexNameSchema, project: projectNameSpellingSchema })) {}

/** `?format=` of the simple pages (PyPI's override of the Accept header). */
export class SimpleQueryDto extends createZodDto(
  z.strictObject({
    format: z
      .string()
      .max(64)
      .refine(isSimpleFormat, { message: 'must be json, html, or a simple API media type' })
      .optional()
      .meta({ description: 'Overrides the Accept header: `json`, `html`, or a media type such as `application/vnd.pypi.simple.v1+json`' }),
  }),
) {}

/** `{sha256}/{filename}` of `/files/…`: a file's hash, then its own name (with `.metadata` for its PEP 658 metadata). */
export class FileParamsDto extends createZodDto(
  z.strictObject({
    sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/, { message: 'must be 64 lower-case hex digits' })
      .meta({ description: 'The sha256 of the file, as the simple page lists it', examples: ['3f'.repeat(32)] }),
    filename: z
      .string()
      .min(1)
      .max(LIMITS.filenameLength)
      .refine((name) => name !== '.' && name !== '..' && ![...name].some((c) => c === '/' || c === '\\' || c <= '\x1f' || c === '\x7f'), { message: 'must be a plain file name (no path separators or control characters)' })
      .meta({ description: 'The file name, or the name with `.metadata` for its PEP 658 core metadata', examples: ['six-1.16.0-py2.py3-none-any.whl'] }),
  }),
) {}
