import { Inject, Logger, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { loadConfig, VenvfarmConfig } from '@venvfarm/config';
import { Database, JobRepository, JobRunner, openDatabase, syncJobHandler } from '@venvfarm/mirror';

const DATABASE = 'VENVFARM_DATABASE';

/**
 * The worker process: runs queued mirror sync jobs (those `POST /v1/mirror/sync` queued) from
 * the shared `mirror_jobs` table, beside or instead of the API processes (`VENVFARM_JOBS=off`
 * there). Build processors join it with the build queue.
 */
@Module({
  providers: [
    { provide: 'VENVFARM_CONFIG', useFactory: (): VenvfarmConfig => loadConfig() },
    { provide: DATABASE, inject: ['VENVFARM_CONFIG'], useFactory: (config: VenvfarmConfig): Promise<Database> => openDatabase(config) },
  ],
})
export class WorkerModule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('worker');
  private runner: JobRunner | null = null;

  constructor(@Inject(DATABASE) private readonly db: Database) {}

  onApplicationBootstrap(): void {
    this.runner = new JobRunner(new JobRepository(this.db.pool), 'sync', syncJobHandler({ pool: this.db.pool, log: (line) => this.logger.warn(line) }));
    this.runner.start();
    this.logger.log('venvfarm worker started: running queued mirror sync jobs');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runner?.stop();
    await this.db.close();
  }
}
