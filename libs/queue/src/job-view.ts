/**
 * The public view of a job (`GET /v1/mirror/jobs/{id}`, the CLI): the backend's states mapped to
 * the five venvfarm names, timestamps as ISO strings, and no backend internals.
 */
import type { JobPayload, JobProgress } from './job-payloads';
import type { QueueName } from './queue-names';

/**
 * Where a job is: `queued` (waiting for a worker, also after its worker died or shut down),
 * `running`, `retrying` (failed, waiting for its next attempt), `done` or `failed` (for good).
 */
export type JobStateName = 'queued' | 'running' | 'retrying' | 'done' | 'failed';

/** Every state name, in the order a job passes them. */
export const JOB_STATE_NAMES: readonly JobStateName[] = ['queued', 'running', 'retrying', 'done', 'failed'];

/** A job as clients see it. */
export interface JobView<Q extends QueueName = QueueName> {
  readonly id: string;
  readonly queue: Q;
  readonly state: JobStateName;
  /** The counters the job last reported; its summary once done. */
  readonly progress: JobProgress;
  /** Why the last attempt failed (`retrying`, `failed`), else null. */
  readonly error: string | null;
  /** How many times a worker has started it (retries and restarts after a lost worker included). */
  readonly attempts: number;
  readonly created_at: string;
  /** When a worker last started it. */
  readonly started_at: string | null;
  readonly finished_at: string | null;
  readonly params: JobPayload<Q>;
}

/**
 * Maps a BullMQ state. Jobs are only ever delayed by a retry's backoff here, so `delayed` is
 * `retrying`; `unknown` (no such job) is null.
 */
export function stateName(backendState: string): JobStateName | null {
  switch (backendState) {
    case 'waiting':
    case 'wait':
    case 'prioritized':
    case 'waiting-children':
    case 'paused':
      return 'queued';
    case 'active':
      return 'running';
    case 'delayed':
      return 'retrying';
    case 'completed':
      return 'done';
    case 'failed':
      return 'failed';
    default:
      return null;
  }
}

/** The fields of a stored BullMQ job the view is made of. */
export interface StoredJob {
  readonly id?: string;
  readonly data: unknown;
  readonly progress: unknown;
  readonly failedReason?: string;
  readonly attemptsStarted: number;
  readonly timestamp: number;
  readonly processedOn?: number;
  readonly finishedOn?: number;
}

const iso = (ms: number | undefined) => (ms === undefined || ms === null || ms === 0 ? null : new Date(ms).toISOString());

/** The view of a stored job in a state. */
export function jobView<Q extends QueueName>(queue: Q, job: StoredJob, state: JobStateName): JobView<Q> {
  const progress = typeof job.progress === 'object' && job.progress !== null ? (job.progress as JobProgress) : {};
  return {
    id: String(job.id),
    queue,
    state,
    progress,
    error: state === 'failed' || state === 'retrying' ? (job.failedReason ?? null) : null,
    attempts: job.attemptsStarted,
    created_at: new Date(job.timestamp).toISOString(),
    started_at: iso(job.processedOn),
    finished_at: state === 'done' || state === 'failed' ? iso(job.finishedOn) : null,
    params: job.data as JobPayload<Q>,
  };
}
