import { Global, Module } from '@nestjs/common';
import { VenvfarmConfig } from '@venvfarm/config';
import { Database } from '@venvfarm/db';
import { PostgresResolveCache, RedisResolveCache, ResolveCache } from './resolve-cache.repository';

/** Provides the resolve cache: Redis when REDIS_URL is set, else a PostgreSQL table. */
@Global()
@Module({
  providers: [
    {
      provide: ResolveCache,
      inject: [VenvfarmConfig, Database],
      useFactory: (config: VenvfarmConfig, db: Database): ResolveCache => (config.redisUrl === null ? new PostgresResolveCache(db.pool) : new RedisResolveCache(config.redisUrl)),
    },
  ],
  exports: [ResolveCache],
})
export class ResolutionModule {}
