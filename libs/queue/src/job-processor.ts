/**
 * The contract between a queue and the code that does its jobs. Jobs may run more than once (a
 * retry, a worker that died or shut down mid-way), so a processor must be idempotent: running a
 * job again finishes the work instead of doing it twice.
 */
import type { JobPayload, JobProgress } from './job-payloads';
import type { QueueName } from './queue-names';

/** A job in the hands of a processor. */
export interface RunningJob<Q extends QueueName> {
  readonly id: string;
  readonly queue: Q;
  readonly payload: JobPayload<Q>;
  /** 1 on the first run, then 2, ... (retries and restarts after a lost worker). */
  readonly attempt: number;
  /**
   * Aborted (with a {@link JobAbortedError}) when this process shuts down: stop soon (within a few
   * seconds) by throwing; the job goes back to the queue, unfinished, and the next worker runs it
   * again.
   */
  readonly signal: AbortSignal;
  /** Shows how far the job is (`GET /v1/mirror/jobs/{id}`); frequent calls are coalesced. */
  reportProgress(progress: JobProgress): void;
}

/** Does the jobs of queue `Q`; what it returns becomes the job's final progress (its summary). */
export interface JobProcessor<Q extends QueueName> {
  /** Jobs this process runs at once on the queue. Default 1. */
  readonly concurrency?: number;
  process(job: RunningJob<Q>): Promise<JobProgress | void>;
}

/** The processors of several queues, by queue name. */
export type JobProcessors = { readonly [Q in QueueName]?: JobProcessor<Q> };

/** Thrown by a processor when running the job again cannot help: the job fails without retries. */
export class UnretryableJobError extends Error {
  override readonly name = 'UnretryableJobError';
}

/** The reason a running job's signal aborts: its process is shutting down. */
export class JobAbortedError extends Error {
  override readonly name = 'AbortError';

  constructor() {
    super('stopped: this process is shutting down; the job goes back to the queue');
  }
}

/** A process was asked to work on a queue that has no processor: a start-up error. */
export class MissingProcessorError extends Error {
  override readonly name = 'MissingProcessorError';

  constructor(readonly queues: readonly QueueName[]) {
    super(`no processor registered for queue${queues.length > 1 ? 's' : ''} ${queues.join(', ')}`);
  }
}
