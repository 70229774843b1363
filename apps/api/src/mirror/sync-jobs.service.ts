import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { VenvfarmConfig } from '@venvfarm/config';
import { Database } from '@venvfarm/db';
import { JobRepository, JobRunner, syncJobHandler } from '@venvfarm/mirror';

/**
 * Runs queued sync jobs in this process (the embedded single-process deployment), unless
 * `VENVFARM_JOBS=off` leaves them to worker processes. Runners in any number of processes
 * share the queue through SKIP LOCKED.
 */
@Injectable()
export class SyncJobsService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('sync-jobs');
  private runner: JobRunner | null = null;

  constructor(
    private readonly db: Database,
    private readonly config: VenvfarmConfig,
    private readonly jobs: JobRepository,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.runJobs) return;
    this.runner = new JobRunner(this.jobs, 'sync', syncJobHandler({ pool: this.db.pool, log: (line) => this.logger.warn(line) }));
    this.runner.start();
  }

  /** Waits for the job in hand before the database closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.runner?.stop();
  }
}
