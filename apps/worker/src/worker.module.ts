import { Logger, Module, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { ConfigModule } from '@venvfarm/config';
import { Database, DatabaseModule } from '@venvfarm/db';
import { JobRepository, JobRunner, syncJobHandler } from '@venvfarm/mirror';

/**
 * The worker process: runs queued mirror sync jobs (those `POST /v1/mirror/sync` queued) from
 * the shared `mirror_jobs` table, beside or instead of the API processes (`VENVFARM_JOBS=off`
 * there). Build processors join it with the build queue.
 */
@Module({ imports: [ConfigModule.forRoot(), DatabaseModule] })
export class WorkerModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('worker');
  private runner: JobRunner | null = null;

  constructor(private readonly db: Database) {}

  onApplicationBootstrap(): void {
    this.runner = new JobRunner(new JobRepository(this.db.pool), 'sync', syncJobHandler({ pool: this.db.pool, log: (line) => this.logger.warn(line) }));
    this.runner.start();
    this.logger.log('venvfarm worker started: running queued mirror sync jobs');
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.runner?.stop();
  }
}
