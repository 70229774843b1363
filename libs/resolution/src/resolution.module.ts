import { BeforeApplicationShutdown, Global, Logger, Module } from '@nestjs/common';
import { VenvfarmConfig } from '@venvfarm/config';
import { TypeOrmModule, getRepositoryToken } from '@nestjs/typeorm';
import { Database } from '@venvfarm/db';
import type { Repository } from 'typeorm';
import { ProjectChanges } from './project-changes.repository';
import { ResolveCacheRow } from './resolve-cache.entity';
import { PostgresResolveCache, RedisResolveCache, ResolveCache } from './resolve-cache.repository';

function listenForProjectChanges(db: Database): Promise<ProjectChanges> {
  const logger = new Logger('project-changes');
  return ProjectChanges.listen(db.url, { onConnectionError: (error) => logger.warn(`not listening for project changes (cache hits check serials meanwhile): ${error.message}`) });
}

/**
 * Provides the resolve cache (Redis when REDIS_URL is set, else a PostgreSQL table) and the
 * process's one listener for project changes, which tells when cached answers must be checked
 * against the serials again.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([ResolveCacheRow])],
  providers: [
    {
      provide: ResolveCache,
      inject: [VenvfarmConfig, getRepositoryToken(ResolveCacheRow)],
      useFactory: (config: VenvfarmConfig, rows: Repository<ResolveCacheRow>): ResolveCache =>
        config.redisUrl === null ? new PostgresResolveCache(rows) : new RedisResolveCache(config.redisUrl),
    },
    { provide: ProjectChanges, inject: [Database], useFactory: listenForProjectChanges },
  ],
  exports: [ResolveCache, ProjectChanges],
})
export class ResolutionModule implements BeforeApplicationShutdown {
  constructor(private readonly changes: ProjectChanges) {}

  /** Before the database closes, so that its end is not reported as a lost connection. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.changes.close();
  }
}
