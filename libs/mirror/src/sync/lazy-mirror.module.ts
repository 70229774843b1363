import { Module } from '@nestjs/common';
import { VenvfarmConfig } from '@venvfarm/config';
import { Database } from '@venvfarm/db';
import { UpstreamClient } from '@venvfarm/upstream';
import { LazyMirror } from './lazy-mirror';

/** One {@link LazyMirror} for the app (its memory of missing names is shared by every route that fetches lazily). */
@Module({
  providers: [
    {
      provide: LazyMirror,
      inject: [Database, UpstreamClient, VenvfarmConfig],
      useFactory: (db: Database, upstream: UpstreamClient, config: VenvfarmConfig) => new LazyMirror(db.pool, upstream, { offline: config.offline }),
    },
  ],
  exports: [LazyMirror],
})
export class LazyMirrorModule {}
