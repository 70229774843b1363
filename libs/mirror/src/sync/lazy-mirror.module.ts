import { BeforeApplicationShutdown, Logger, Module } from '@nestjs/common';
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
      useFactory: (db: Database, upstream: UpstreamClient, config: VenvfarmConfig) => {
        const logger = new Logger('lazy-mirror');
        return new LazyMirror(db.pool, upstream, {
          offline: config.offline,
          onIncomplete: (name, error) => logger.warn(`${name}: its page is mirrored, its metadata not yet (the next resolve or sync fetches it): ${error instanceof Error ? error.message : String(error)}`),
        });
      },
    },
  ],
  exports: [LazyMirror],
})
export class LazyMirrorModule implements BeforeApplicationShutdown {
  constructor(private readonly lazyMirror: LazyMirror) {}

  /** Metadata fetched in the background stops before the database closes (pending projects are completed on the next start). */
  beforeApplicationShutdown(): Promise<void> {
    return this.lazyMirror.close();
  }
}
