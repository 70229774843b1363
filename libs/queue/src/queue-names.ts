/**
 * The queues of venvfarm. A queue name is part of the stored state (Redis keys, rows of the
 * PostgreSQL backend), so a name never changes once released; a new kind of job gets a new queue.
 */

/** The queue names, by the code's name for them. */
export const QueueName = {
  /** Mirror syncs started over HTTP (`POST /v1/mirror/sync`). */
  MirrorSync: 'mirror-sync',
  /** Builds of environments (`POST /v1/builds`, `POST /v1/envs`). */
  Builds: 'builds',
} as const;

/** One queue's name. */
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

/** Every queue, for processes that work on all of them and for metrics. */
export const ALL_QUEUES: readonly QueueName[] = Object.values(QueueName);
