import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { loadConfig, VenvfarmConfig } from '@venvfarm/config';
import { Database, JobRepository, openDatabase, ProjectRepository } from '@venvfarm/mirror';

/** Injection tokens of what this module provides. */
export const CONFIG = 'VENVFARM_CONFIG';
export const DATABASE = 'VENVFARM_DATABASE';

/**
 * The configuration and the one database of the process (DATABASE_URL, else embedded in the
 * data directory), migrated before the app answers, with the repositories built on it.
 */
@Global()
@Module({
  providers: [
    { provide: CONFIG, useFactory: (): VenvfarmConfig => loadConfig() },
    { provide: DATABASE, inject: [CONFIG], useFactory: (config: VenvfarmConfig): Promise<Database> => openDatabase(config) },
    { provide: ProjectRepository, inject: [DATABASE], useFactory: (db: Database) => new ProjectRepository(db.pool) },
    { provide: JobRepository, inject: [DATABASE], useFactory: (db: Database) => new JobRepository(db.pool) },
  ],
  exports: [CONFIG, DATABASE, ProjectRepository, JobRepository],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async onApplicationShutdown(): Promise<void> {
    await this.db.close();
  }
}
