/**
 * Typed producers: add a job to one queue (an identical job already queued, running or waiting
 * for a retry is returned instead of a second one), read a job, count a queue's jobs. Each of
 * these settles within the backend deadline or rejects with `QueueUnavailableError`
 * (backend-calls.ts).
 */
import type { BackendCalls } from './backend-calls';
import type { JobPayload } from './job-payloads';
import { JobStateName, JOB_STATE_NAMES, JobView, jobView, stateName } from './job-view';
import type { BullQueue } from './queue-connection';
import { QUEUE_DEFINITIONS } from './queue-definitions';
import { QueueName } from './queue-names';
import type { QueueSettings } from './queue-settings';

/** Job counts of one queue by state. */
export type JobStateCounts = Record<JobStateName, number>;

/** The backend's own states, counted and folded into {@link JobStateName}s. */
const BACKEND_STATES = ['waiting', 'prioritized', 'waiting-children', 'delayed', 'active', 'completed', 'failed'] as const;

/** Job ids are the backend's counter; anything else names no job (and is not looked up). */
const JOB_ID = /^[1-9][0-9]{0,15}$/;

/** Adds and reads the jobs of queue `Q`. */
export class JobProducer<Q extends QueueName> {
  constructor(
    readonly queueName: Q,
    private readonly queue: BullQueue,
    private readonly settings: QueueSettings,
    private readonly calls: BackendCalls,
  ) {}

  /**
   * Queues a job, or returns the same job already queued, running or waiting for a retry. After
   * a `QueueUnavailableError` the job may still have been added (the backend answered late):
   * asking again returns that job, thanks to the de-duplication.
   */
  enqueue(payload: JobPayload<Q>): Promise<JobView<Q>> {
    return this.calls.run(`add a ${this.queueName} job`, () => this.add(payload));
  }

  /** A job by id, or null when there is none (never was, or finished and expired). */
  get(id: string): Promise<JobView<Q> | null> {
    // An id that names no job is answered without asking the backend.
    if (!JOB_ID.test(id)) return Promise.resolve(null);
    return this.calls.run(`read ${this.queueName} job ${id}`, () => this.read(id));
  }

  /** How many jobs are in each state. */
  counts(): Promise<JobStateCounts> {
    return this.calls.run(`count the ${this.queueName} jobs`, async () => {
      const raw = await this.queue.getJobCounts(...BACKEND_STATES);
      const counts = Object.fromEntries(JOB_STATE_NAMES.map((s) => [s, 0])) as JobStateCounts;
      for (const state of BACKEND_STATES) counts[stateName(state)!] += raw[state] ?? 0;
      return counts;
    });
  }

  /** Resolves once the backend answers (readiness checks, start-up). */
  ping(): Promise<void> {
    return this.calls.run(`reach the ${this.queueName} queue`, async () => {
      await this.queue.getJobCounts('active');
    });
  }

  private async add(payload: JobPayload<Q>): Promise<JobView<Q>> {
    const definition = QUEUE_DEFINITIONS[this.queueName];
    const retry = { ...definition.retry, ...this.settings.retry };
    const keep = { age: definition.keepSeconds, count: definition.keepCount };
    // BullMQ's de-duplication (not a fixed job id): the key is held while the job is unfinished
    // and released when it completes or fails for good, so a later identical request runs again.
    // The check and the insert are one atomic step in both backends.
    const added = await this.queue.add(this.queueName, payload, {
      deduplication: { id: definition.dedupKey(payload) },
      attempts: retry.attempts,
      backoff: { type: 'exponential', delay: retry.backoffMs },
      removeOnComplete: keep,
      removeOnFail: keep,
    });
    // On a duplicate, `added` carries the existing id but this request's data: read the stored job.
    const view = await this.read(String(added.id));
    if (view === null) throw new Error(`${this.queueName} job ${added.id} vanished right after it was queued`);
    return view;
  }

  private async read(id: string): Promise<JobView<Q> | null> {
    // State first, then the job: the data read is at least as new as the state, so a job seen
    // done carries its summary (written before it completed).
    const state = stateName(await this.queue.getJobState(id));
    if (state === null) return null;
    const job = await this.queue.getJob(id);
    return job === undefined ? null : jobView(this.queueName, job, state);
  }
}

/** The producer of mirror syncs (also the NestJS injection token of it). */
export class MirrorSyncProducer extends JobProducer<typeof QueueName.MirrorSync> {}

/** The producer of the `builds` queue (a class: the NestJS token). */
export class BuildProducer extends JobProducer<typeof QueueName.Builds> {}
