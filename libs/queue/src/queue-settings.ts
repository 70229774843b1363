/**
 * Where the queues live and how leases work, derived once from the configuration: Redis when
 * `REDIS_URL` is set, else BullMQ's PostgreSQL backend on the mirror's own database (embedded or
 * `DATABASE_URL`) in a schema of its own, so the embedded default needs nothing but Node.
 */
import type { RetryPolicy } from './queue-definitions';

/** The store behind the queues. */
export type QueueBackendSettings =
  | { readonly kind: 'redis'; readonly url: string; readonly prefix: string }
  | { readonly kind: 'postgres'; readonly url: string; readonly schema: string };

/** Receives the queue's operational messages (a lost connection, a job given back at shutdown). */
export type QueueLog = (level: 'log' | 'warn' | 'error', message: string) => void;

/** Everything the queue layer needs to run. */
export interface QueueSettings {
  readonly backend: QueueBackendSettings;
  /**
   * How long a worker's hold on a running job lasts without renewal (renewed every half of it).
   * A worker that dies (`kill -9`, a lost host) gives its job back once this has passed.
   */
  readonly lockDurationMs: number;
  /** How often workers look for jobs whose holder has gone (and give them back to the queue). */
  readonly stalledIntervalMs: number;
  /** A job whose worker died more often than this fails instead of running again. */
  readonly maxStalledCount: number;
  /**
   * At shutdown, how long running jobs get to stop at their abort signal and go back to the
   * queue; a job still running after it is left to stalled-job recovery.
   */
  readonly shutdownGraceMs: number;
  /**
   * How long a call made for a request (add or read a job, count jobs, ping; also the first
   * connection at start-up) may take before it fails with `QueueUnavailableError`.
   */
  readonly callTimeoutMs: number;
  /** Overrides every queue's retry policy (tests use short backoffs). */
  readonly retry?: Partial<RetryPolicy>;
  readonly log?: QueueLog;
}

/** The configuration the queue layer reads (a subset of `VenvfarmConfig`). */
export interface QueueConfig {
  readonly redisUrl: string | null;
  /** Redis key prefix or PostgreSQL schema of the queues (`VENVFARM_QUEUE_NAMESPACE`). */
  readonly queueNamespace?: string;
  /** {@link QueueSettings.lockDurationMs} (`VENVFARM_QUEUE_LOCK_MS`). */
  readonly queueLockMs?: number;
  /** {@link QueueSettings.stalledIntervalMs} (`VENVFARM_QUEUE_STALLED_INTERVAL_MS`). */
  readonly queueStalledIntervalMs?: number;
  /** {@link QueueSettings.maxStalledCount} (`VENVFARM_QUEUE_MAX_STALLS`). */
  readonly queueMaxStalls?: number;
  /** {@link QueueSettings.callTimeoutMs} (`VENVFARM_QUEUE_TIMEOUT_MS`). */
  readonly queueTimeoutMs?: number;
}

/** The default namespace: a valid PostgreSQL schema name, and a readable Redis key prefix. */
export const DEFAULT_QUEUE_NAMESPACE = 'venvfarm_queue';

/** The default of {@link QueueSettings.callTimeoutMs}. */
export const DEFAULT_QUEUE_TIMEOUT_MS = 5_000;

/**
 * Settings from the configuration; `databaseUrl` is the mirror's database, used when no Redis is
 * configured.
 */
export function queueSettings(config: QueueConfig, databaseUrl: string, log?: QueueLog): QueueSettings {
  const namespace = config.queueNamespace ?? DEFAULT_QUEUE_NAMESPACE;
  return {
    backend: config.redisUrl !== null ? { kind: 'redis', url: config.redisUrl, prefix: namespace } : { kind: 'postgres', url: databaseUrl, schema: namespace },
    lockDurationMs: config.queueLockMs ?? 30_000,
    stalledIntervalMs: config.queueStalledIntervalMs ?? 30_000,
    // A job that killed its worker twice (out of memory, say) will most likely do it again.
    maxStalledCount: config.queueMaxStalls ?? 2,
    shutdownGraceMs: 5_000,
    callTimeoutMs: config.queueTimeoutMs ?? DEFAULT_QUEUE_TIMEOUT_MS,
    log,
  };
}
