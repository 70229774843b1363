import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { loadConfig, VenvfarmConfig } from '@venvfarm/config';
import { AppLogger, LogDestination } from '@venvfarm/logging';
import { AppModule } from '../../apps/api/src/app.module';
import { configureEdge, FASTIFY_EDGE_OPTIONS } from '../../apps/api/src/common/edge';

/** The admin token of test apps (unless a test gives another): no token file is written. */
export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

/** The header that authenticates a test request as the admin: `.set(adminAuth)`. */
export const adminAuth = { Authorization: `Bearer ${TEST_ADMIN_TOKEN}` } as const;

/**
 * The API app as an end-to-end suite uses it: the real AppModule with its configuration given
 * as a provider (never through process.env, which other suites in the same worker share).
 * Values not given are the defaults of an empty environment, except the admin token
 * ({@link TEST_ADMIN_TOKEN}, so no token file is made) and the log level: `silent`
 * unless `options.logs` is given, which then receives every log line (pino's JSON) and makes the
 * app log through pino as the server does.
 */
export async function createTestApp(
  overrides: Partial<VenvfarmConfig>,
  beforeInit: (app: INestApplication) => void = () => undefined,
  options: { logs?: LogDestination } = {},
): Promise<INestApplication> {
  // A data directory of its own (the artifact store and build directories live there), never the working tree.
  const dataDir = overrides.dataDir ?? mkdtempSync(join(tmpdir(), 'venvfarm-test-app-'));
  const config = loadConfig({}, { logLevel: options.logs === undefined ? 'silent' : 'info', adminToken: TEST_ADMIN_TOKEN, dataDir, ...overrides });
  let testing = Test.createTestingModule({ imports: [AppModule] }).overrideProvider(VenvfarmConfig).useValue(config);
  if (options.logs !== undefined) testing = testing.overrideProvider(LogDestination).useValue(options.logs);
  const moduleRef = await testing.compile();
  // The platform `venvfarm serve` runs (Fastify), with the same edge options.
  const adapter = new FastifyAdapter(FASTIFY_EDGE_OPTIONS);
  const app = moduleRef.createNestApplication<NestFastifyApplication>(adapter, options.logs === undefined ? { logger: false } : { bufferLogs: true });
  if (options.logs !== undefined) app.useLogger(app.get(AppLogger));
  configureEdge(app);
  beforeInit(app);
  await app.init();
  // Fastify registers routes and plugins asynchronously; supertest's requests need them in place.
  await app.getHttpAdapter().getInstance().ready();
  return app;
}
