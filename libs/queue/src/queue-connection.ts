/**
 * The one place that builds BullMQ objects: a queue (producer side) or a worker for a queue name,
 * on Redis or on BullMQ's PostgreSQL backend as the settings say. Internal to libs/queue.
 */
import { createPostgresBackend, IQueueBackend, JobProgress, Processor, Queue, Worker, WorkerOptions } from 'bullmq';
import type { QueueName } from './queue-names';
import type { QueueSettings } from './queue-settings';

/** A BullMQ queue on either backend. */
export type BullQueue = Queue<unknown, unknown, string, unknown, unknown, string, IQueueBackend, unknown>;
/** A BullMQ worker on either backend. */
export type BullWorker = Worker<unknown, unknown, string, IQueueBackend, JobProgress, unknown>;
/** A BullMQ processor function. */
export type BullProcessor = Processor<unknown, unknown, string>;

/** What the worker options may set beyond those derived from the settings. */
export type WorkerExtras = Pick<WorkerOptions, 'autorun' | 'concurrency'>;

/**
 * PostgreSQL pool sizes per BullMQ object (each owns a pool plus one LISTEN connection). A
 * producer runs one statement at a time per request; a worker overlaps fetching, lock renewal,
 * progress and the stalled check.
 */
const POOL_SIZE = { queue: 2, worker: 3 } as const;

/** Builds BullMQ queues and workers for the configured backend. */
export class QueueConnection {
  constructor(readonly settings: QueueSettings) {}

  /** A producer-side queue: add jobs, read them, count them. */
  queue(name: QueueName): BullQueue {
    const b = this.settings.backend;
    const queue =
      b.kind === 'redis'
        ? new Queue(name, { connection: { url: b.url }, prefix: b.prefix })
        : new Queue(name, { connection: { connectionString: b.url, schema: b.schema, migrate: true, max: POOL_SIZE.queue } }, createPostgresBackend);
    const bull = queue as unknown as BullQueue;
    bull.on('error', (error: Error) => this.settings.log?.('error', `queue ${name}: ${error.message}`));
    return bull;
  }

  /** A worker; `processor` null gives one that only runs the stalled-job check. */
  worker(name: QueueName, processor: BullProcessor | null, extras: WorkerExtras = {}): BullWorker {
    const b = this.settings.backend;
    const s = this.settings;
    const options = {
      lockDuration: s.lockDurationMs,
      stalledInterval: s.stalledIntervalMs,
      maxStalledCount: s.maxStalledCount,
      concurrency: 1,
      ...extras,
    };
    const worker =
      b.kind === 'redis'
        ? // Workers block on Redis; ioredis must retry forever rather than fail a blocked command.
          new Worker(name, processor, { ...options, connection: { url: b.url, maxRetriesPerRequest: null }, prefix: b.prefix })
        : new Worker(name, processor, { ...options, connection: { connectionString: b.url, schema: b.schema, migrate: true, max: POOL_SIZE.worker } }, createPostgresBackend);
    const bull = worker as unknown as BullWorker;
    bull.on('error', (error: Error) => s.log?.('error', `worker ${name}: ${error.message}`));
    return bull;
  }
}
