import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { loadConfig, VenvfarmConfig } from '@venvfarm/config';
import { Database, JobRepository, openDatabase, ProjectRepository } from '@venvfarm/mirror';
import { formatRetry, UpstreamClient } from '@venvfarm/mirror/upstream';

/** Injection tokens of what this module provides. */
export const CONFIG = 'VENVFARM_CONFIG';
export const DATABASE = 'VENVFARM_DATABASE';

/**
 * The upstream as a request handler uses it (lazy fetches): fewer retries than a sync, so a
 * dead upstream becomes a 503 within seconds instead of holding the request.
 */
function requestTimeUpstream(config: VenvfarmConfig): UpstreamClient {
  const logger = new Logger('upstream');
  return new UpstreamClient(config.upstream, { retries: 2, timeoutMs: 15_000, onRetry: (event) => logger.warn(formatRetry(event)) });
}

/**
 * The configuration and the one database of the process (DATABASE_URL, else embedded in the
 * data directory), migrated before the app answers, with the repositories built on it, and
 * the upstream client.
 */
@Global()
@Module({
  providers: [
    { provide: CONFIG, useFactory: (): VenvfarmConfig => loadConfig() },
    { provide: DATABASE, inject: [CONFIG], useFactory: (config: VenvfarmConfig): Promise<Database> => openDatabase(config) },
    { provide: ProjectRepository, inject: [DATABASE], useFactory: (db: Database) => new ProjectRepository(db.pool) },
    { provide: JobRepository, inject: [DATABASE], useFactory: (db: Database) => new JobRepository(db.pool) },
    { provide: UpstreamClient, inject: [CONFIG], useFactory: requestTimeUpstream },
  ],
  exports: [CONFIG, DATABASE, ProjectRepository, JobRepository, UpstreamClient],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async onApplicationShutdown(): Promise<void> {
    await this.db.close();
  }
}
