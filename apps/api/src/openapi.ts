import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { cleanupOpenApiDoc } from 'nestjs-zod';
import { z } from 'zod';
import { ANSWER_SCHEMAS } from './common/api-responses';
import { ErrorBodySchema } from './common/error-body';
import { limitsTable } from './common/limits';

const DESCRIPTION = [
  'Resolve Python requirements into pinned, hashed sets; inspect and sync the metadata mirror.',
  '',
  'Every error answer has the body `{error, detail, field?, line?, position?}` (the `Error` schema): `error` is a stable code, `field` names the part of the request that is wrong, `position` (and `line`) point into it.',
  '',
  'Admin operations need `Authorization: Bearer <admin token>` (VENVFARM_ADMIN_TOKEN, else the file `admin-token` the server makes in its data directory). Reads are open unless the server sets VENVFARM_READ_TOKEN; then they need that token or the admin token. Health endpoints are always open.',
  '',
  '| Limit | Value | Answer |',
  '|---|---|---|',
  ...limitsTable().map((row) => `| ${row.limit} | ${row.value} | ${row.answer} |`),
].join('\n');

/** The OpenAPI document of the app: every route's schemas come from the zod schemas the edge validates with. */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('venvfarm')
    .setDescription(DESCRIPTION)
    .setVersion('1')
    // 3.1 is JSON Schema 2020-12, which zod's schemas are: nullable fields and examples come out as written.
    .setOpenAPIVersion('3.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'The admin token (VENVFARM_ADMIN_TOKEN or DATA_DIR/admin-token)' }, 'admin')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'The read token (VENVFARM_READ_TOKEN) or the admin token; needed only when the server sets a read token' }, 'read')
    .build();
  const document = cleanupOpenApiDoc(SwaggerModule.createDocument(app, config));
  const schemas = { ...document.components?.schemas };
  for (const [name, schema] of [...ANSWER_SCHEMAS, ['Error', ErrorBodySchema] as const]) {
    const { $schema: _dialect, ...component } = z.toJSONSchema(schema, { io: 'output', target: 'draft-2020-12' }) as Record<string, unknown>;
    schemas[name] = component;
  }
  document.components = { ...document.components, schemas };
  return document;
}

/** Serves the OpenAPI description at /docs (Swagger UI) and /docs-json. */
export function setupOpenApi(app: INestApplication): void {
  SwaggerModule.setup('docs', app, () => openApiDocument(app));
}
