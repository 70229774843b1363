/**
 * The rules of each queue in one place: which jobs are the same job (de-duplication), how often
 * a failed job is retried and how long finished jobs stay readable.
 */
import { createHash } from 'node:crypto';
import type { BuildPayload, JobPayload, MirrorSyncPayload } from './job-payloads';
import type { QueueName } from './queue-names';

/** Retries of a failed job: `attempts` runs in all, waiting `backoffMs`, then twice that, ... */
export interface RetryPolicy {
  readonly attempts: number;
  readonly backoffMs: number;
}

/** How one queue treats its jobs. */
export interface QueueDefinition<Q extends QueueName> {
  /**
   * Jobs with the same key are one job while it is queued, running or waiting for a retry; once
   * it has finished (done or failed), the same request starts a new job.
   */
  dedupKey(payload: JobPayload<Q>): string;
  readonly retry: RetryPolicy;
  /** Finished jobs stay readable this long (and at most `keepCount` of each outcome). */
  readonly keepSeconds: number;
  readonly keepCount: number;
}

const sorted = (lines: readonly string[] | undefined) => (lines === undefined ? null : [...lines].sort());

function sha256(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

/** Every queue's rules. */
export const QUEUE_DEFINITIONS: { readonly [Q in QueueName]: QueueDefinition<Q> } = {
  'mirror-sync': {
    // The order of allow-list lines does not change what a sync does.
    dedupKey: (p: MirrorSyncPayload) => sha256([p.upstream, p.incremental, sorted(p.include), sorted(p.exclude)]),
    // A sync whose upstream is down for good fails after ~1.5 minutes; one whose upstream had a
    // bad moment (the client already retries each request) gets two more chances.
    retry: { attempts: 3, backoffMs: 30_000 },
    keepSeconds: 7 * 24 * 3600,
    keepCount: 1000,
  },
  builds: {
    // One build per key at a time: identical requests join it.
    dedupKey: (p: BuildPayload) => p.key,
    // Attempts are for lost workers (a stalled job is taken up again); a build that fails on its
    // own (pip's error, a limit) fails for good: the processor makes such failures final.
    retry: { attempts: 3, backoffMs: 5_000 },
    keepSeconds: 7 * 24 * 3600,
    keepCount: 1000,
  },
};
