/**
 * Runs processors on their queues in this process, and stops them so that no job is lost: at
 * shutdown each running job is aborted through its signal and handed back to the queue
 * unfinished (not failed, no attempt used), so the next worker, here or elsewhere, runs it again.
 * A worker that dies without shutting down (`kill -9`) stops renewing its lock; any live
 * worker's stalled check then gives the job back.
 */
import { Job, UnrecoverableError, WaitingError } from 'bullmq';
import { JobAbortedError, JobProcessor, JobProcessors, MissingProcessorError, RunningJob, UnretryableJobError } from './job-processor';
import type { JobPayload } from './job-payloads';
import { ProgressReporter } from './progress-reporter';
import type { BullWorker, QueueConnection } from './queue-connection';
import type { QueueName } from './queue-names';

const SHUTDOWN = 'venvfarm is shutting down';

/** The workers of one process. */
export class QueueWorkers {
  private readonly workers = new Map<QueueName, BullWorker>();
  private stopping = false;

  constructor(private readonly connection: QueueConnection) {}

  /**
   * Starts one worker for each of `queues`, each with its processor. Every queue must have one:
   * a missing processor throws {@link MissingProcessorError} before any worker starts.
   */
  start(processors: JobProcessors, queues: readonly QueueName[]): void {
    const missing = queues.filter((queue) => processors[queue] === undefined);
    if (missing.length > 0) throw new MissingProcessorError(missing);
    for (const queue of queues) this.run(queue, processors[queue] as JobProcessor<typeof queue>);
  }

  /**
   * Only gives back the jobs of dead workers on `queues` (a process that leaves the work to
   * others, e.g. an API with `VENVFARM_JOBS=off`), so a job is not shown as running forever
   * while no worker process is up.
   */
  watchStalled(queues: readonly QueueName[]): void {
    for (const queue of queues) {
      if (this.workers.has(queue)) continue;
      const worker = this.connection.worker(queue, null, { autorun: false });
      this.workers.set(queue, worker);
      worker.startStalledCheckTimer().catch((error: Error) => this.log('error', `stalled check of ${queue}: ${error.message}`));
    }
  }

  /**
   * Stops taking jobs, aborts the running ones and waits (up to the shutdown grace) for them to
   * go back to the queue. A processor that does not stop in time keeps its job until this
   * process exits; stalled-job recovery then gives it back.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    const grace = this.connection.settings.shutdownGraceMs;
    await Promise.all(
      [...this.workers].map(async ([queue, worker]) => {
        const closed = worker.close();
        worker.cancelAllJobs(SHUTDOWN);
        let timer: NodeJS.Timeout | undefined;
        const inTime = await Promise.race([closed.then(() => true), new Promise<boolean>((resolve) => (timer = setTimeout(resolve, grace, false)))]);
        clearTimeout(timer);
        if (!inTime) this.log('warn', `${queue}: a job did not stop within ${grace} ms; it goes back to the queue once its lock expires`);
      }),
    );
    this.workers.clear();
  }

  private run<Q extends QueueName>(queue: Q, processor: JobProcessor<Q>): void {
    if (this.workers.has(queue)) throw new Error(`queue ${queue} already has a worker in this process`);
    // Three declared parameters: BullMQ hands an abort signal only to processors that take one.
    const processJob = async (job: Job, token: string | undefined, signal: AbortSignal | undefined) => {
      const reporter = new ProgressReporter(
        (progress) => job.updateProgress(progress),
        (error) => this.log('warn', `${queue} job ${job.id}: progress not recorded: ${error.message}`),
      );
      // BullMQ aborts with a string; processors get an Error they can tell apart.
      const abort = new AbortController();
      signal?.addEventListener('abort', () => abort.abort(new JobAbortedError()), { once: true });
      const running: RunningJob<Q> = {
        id: String(job.id),
        queue,
        payload: job.data as JobPayload<Q>,
        attempt: job.attemptsStarted,
        signal: abort.signal,
        reportProgress: (progress) => reporter.report(progress),
      };
      try {
        const summary = await processor.process(running);
        await reporter.flush();
        if (summary) await job.updateProgress(summary);
        return summary ?? null;
      } catch (error) {
        if (this.stopping && signal?.aborted) {
          reporter.cancel();
          await this.giveBack(job, token);
          // Tells BullMQ the job has been moved already: neither failed nor retried.
          throw new WaitingError();
        }
        await reporter.flush();
        if (error instanceof UnretryableJobError) throw new UnrecoverableError(error.message);
        throw error;
      }
    };
    const worker = this.connection.worker(queue, processJob, { concurrency: processor.concurrency ?? 1 });
    worker.on('failed', (job, error) => {
      if (job !== undefined && error.name !== 'WaitingError') this.log('warn', `${queue} job ${job.id} attempt ${job.attemptsStarted} failed: ${error.message}`);
    });
    this.workers.set(queue, worker);
  }

  private async giveBack(job: Job, token: string | undefined): Promise<void> {
    try {
      await job.moveToWait(token);
      this.log('log', `${job.queueName} job ${job.id} given back to the queue at shutdown`);
    } catch (error) {
      this.log('warn', `${job.queueName} job ${job.id}: could not give it back (${(error as Error).message}); it returns once its lock expires`);
    }
  }

  private log(level: 'log' | 'warn' | 'error', message: string): void {
    this.connection.settings.log?.(level, message);
  }
}
