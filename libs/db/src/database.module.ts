import { Global, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { VenvfarmConfig } from '@venvfarm/config';
import { Database, openDatabase } from './database';

/** Opens the database; a lost idle connection is logged, not fatal. */
function open(config: VenvfarmConfig): Promise<Database> {
  const logger = new Logger('database');
  return openDatabase(config, { onConnectionError: (error) => logger.error(`database connection lost: ${error.message}`) });
}

/**
 * The process's one database (DATABASE_URL, else embedded in the data directory), migrated
 * before the app answers, closed last on shutdown (after every `beforeApplicationShutdown`, so
 * jobs and requests under way finish first).
 */
@Global()
@Module({
  providers: [{ provide: Database, inject: [VenvfarmConfig], useFactory: open }],
  exports: [Database],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(private readonly db: Database) {}

  async onApplicationShutdown(): Promise<void> {
    await this.db.close();
  }
}
