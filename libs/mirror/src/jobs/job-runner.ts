/**
 * Runs queued mirror jobs of one kind, one at a time, from the `mirror_jobs` table: polls, claims
 * with SKIP LOCKED (so any number of runners in any number of processes share the queue), calls
 * the handler with a progress reporter, and records the outcome. A handler's failure fails the
 * job, never the runner.
 */
import { JobKind, JobRepository, MirrorJob } from '../repositories/job.repository';

/** Does one job; reports progress as it goes. */
export type JobHandler = (job: MirrorJob, report: (progress: Record<string, unknown>) => Promise<void>) => Promise<Record<string, unknown> | void>;

/** Polls for jobs of one kind until stopped. */
export class JobRunner {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly jobs: JobRepository,
    private readonly kind: JobKind,
    private readonly handler: JobHandler,
    private readonly pollMs = 1000,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops polling and waits for the job in hand, if any. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** Runs every queued job now (tests and one-shot CLI use); returns how many ran. */
  async drain(): Promise<number> {
    let count = 0;
    while (await this.runOne()) count++;
    return count;
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.runOne()
        .catch(() => false)
        .then((ran) => this.schedule(ran ? 0 : this.pollMs));
    }, delay);
  }

  private async runOne(): Promise<boolean> {
    const job = await this.jobs.claim(this.kind);
    if (job === null) return false;
    try {
      const summary = await this.handler(job, (progress) => this.jobs.reportProgress(job.id, progress));
      if (summary) await this.jobs.reportProgress(job.id, summary);
      await this.jobs.finish(job.id, 'done');
    } catch (error) {
      await this.jobs.finish(job.id, { error: error instanceof Error ? error.message : String(error) });
    }
    return true;
  }
}
