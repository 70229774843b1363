import { Module } from '@nestjs/common';
import type { VenvfarmConfig } from '@venvfarm/config';
import type { Database } from '@venvfarm/mirror';
import { CONFIG, DATABASE } from '../database/database.module';
import { PostgresResolveCache, RedisResolveCache, ResolveCache } from './resolve-cache';
import { ResolveController } from './resolve.controller';
import { RESOLVE_CACHE, ResolveService } from './resolve.service';

@Module({
  controllers: [ResolveController],
  providers: [
    ResolveService,
    {
      provide: RESOLVE_CACHE,
      inject: [CONFIG, DATABASE],
      useFactory: (config: VenvfarmConfig, db: Database): ResolveCache => (config.redisUrl === null ? new PostgresResolveCache(db.pool) : new RedisResolveCache(config.redisUrl)),
    },
  ],
})
export class ResolveModule {}
