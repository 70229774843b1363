/**
 * The DTOs of `/v1/projects` (path and query, validated by the edge) and the schemas of its
 * answers (OpenAPI components `Project` and `Dependents`).
 */
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { answerSchema } from '../../common/api-responses';
import { projectNameSchema } from '../../common/schemas';
import { DependentsQuerySchema } from '../dependents-query';

/** `{name}` of `/v1/projects/{name}`. */
export class ProjectParamsDto extends createZodDto(z.strictObject({ name: projectNameSchema })) {}

/** The query of `/v1/projects/{name}/dependents`. */
export class DependentsQueryDto extends createZodDto(DependentsQuerySchema) {}

const yanked = z.union([z.literal(false), z.string()]).describe('false, or the reason it was yanked (may be empty)');

/** `GET /v1/projects/{name}`. */
export const ProjectViewSchema = answerSchema(
  'Project',
  z
    .object({
      name: z.string().describe('PEP 503 normalized'),
      serial: z.int(),
      releases: z.array(
        z.object({
          version: z.string(),
          invalid: z.boolean().describe('The version is not PEP 440; it is kept but never chosen'),
          yanked,
          requires_python: z.string().nullable(),
          upload_time: z.string().nullable(),
          serial: z.int(),
          files: z.array(
            z.object({
              filename: z.string(),
              kind: z.string(),
              sha256: z.string().nullable(),
              size: z.int().nullable(),
              url: z.string().nullable(),
              requires_python: z.string().nullable(),
              yanked,
            }),
          ),
          provides_extras: z.array(z.string()),
          dependencies: z.array(
            z.object({
              requirement: z.string(),
              name: z.string().nullable(),
              specifier: z.string().nullable(),
              marker: z.string().nullable(),
              url: z.string().nullable(),
              invalid: z.string().nullable().describe('Why the requirement does not parse, else null'),
            }),
          ),
        }),
      ),
    })
    .meta({
      title: 'Project',
      examples: [
        {
          name: 'demo-pkg',
          serial: 12,
          releases: [
            {
              version: '1.0',
              invalid: false,
              yanked: false,
              requires_python: '>=3.8',
              upload_time: '2023-06-01T12:00:00.000Z',
              serial: 10,
              files: [{ filename: 'demo_pkg-1.0-py3-none-any.whl', kind: 'wheel', sha256: 'ab…', size: 100, url: 'https://files.example/demo_pkg-1.0-py3-none-any.whl', requires_python: '>=3.8', yanked: false }],
              provides_extras: ['cli'],
              dependencies: [{ requirement: 'requests>=2', name: 'requests', specifier: '>=2', marker: null, url: null, invalid: null }],
            },
          ],
        },
      ],
    }),
);

/** `GET /v1/projects/{name}/dependents`. */
export const DependentsSchema = answerSchema(
  'Dependents',
  z
    .object({
      name: z.string(),
      releases: z.array(
        z.object({
          depth: z.int().min(1),
          project: z.string(),
          version: z.string(),
          yanked: z.boolean(),
          dependency: z.string().describe('The project it requires: the root at depth 1, a depth-1 dependent at depth 2, …'),
          requirement: z.string(),
          specifier: z.string().nullable(),
          marker: z.string().nullable(),
        }),
      ),
      projects: z.array(z.object({ name: z.string(), depth: z.int().min(1), versions: z.array(z.string()) })),
      truncated: z.boolean().describe('The row limit cut the answer short'),
    })
    .meta({
      title: 'Dependents',
      examples: [
        {
          name: 'six',
          releases: [{ depth: 1, project: 'python-dateutil', version: '2.8.2', yanked: false, dependency: 'six', requirement: 'six>=1.5', specifier: '>=1.5', marker: null }],
          projects: [{ name: 'python-dateutil', depth: 1, versions: ['2.8.2'] }],
          truncated: false,
        },
      ],
    }),
);
