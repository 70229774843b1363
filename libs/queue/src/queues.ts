/**
 * A process's connection to its queues: the typed producers, the workers it runs, job counts for
 * metrics, and an orderly close (workers first, so running jobs go back to the queue, then the
 * producers).
 */
import { JobProducer, JobStateCounts, MirrorSyncProducer } from './job-producer';
import { BullQueue, QueueConnection } from './queue-connection';
import { ALL_QUEUES, QueueName } from './queue-names';
import type { QueueSettings } from './queue-settings';
import { QueueWorkers } from './queue-workers';

/** The producer class of each queue. */
interface Producers {
  'mirror-sync': MirrorSyncProducer;
}

const PRODUCER_CLASSES: { readonly [Q in QueueName]: new (name: Q, queue: BullQueue, settings: QueueSettings) => Producers[Q] } = {
  'mirror-sync': MirrorSyncProducer,
};

/** The queues as one process uses them. */
export class Queues {
  /** The processors this process runs; empty until started. */
  readonly workers: QueueWorkers;
  private readonly connection: QueueConnection;
  private readonly producers = new Map<QueueName, { producer: JobProducer<QueueName>; queue: BullQueue }>();
  private closing: Promise<void> | null = null;

  constructor(readonly settings: QueueSettings) {
    this.connection = new QueueConnection(settings);
    this.workers = new QueueWorkers(this.connection);
  }

  /** The producer of a queue (one per queue and process). */
  producer<Q extends QueueName>(name: Q): Producers[Q] {
    let entry = this.producers.get(name);
    if (entry === undefined) {
      const queue = this.connection.queue(name);
      entry = { producer: new PRODUCER_CLASSES[name](name, queue, this.settings), queue };
      this.producers.set(name, entry);
    }
    return entry.producer as Producers[Q];
  }

  /** Job counts by queue and state (metrics). */
  async counts(): Promise<Record<QueueName, JobStateCounts>> {
    const entries = await Promise.all(ALL_QUEUES.map(async (name) => [name, await this.producer(name).counts()] as const));
    return Object.fromEntries(entries) as Record<QueueName, JobStateCounts>;
  }

  /** Resolves when the backend answers; rejects otherwise (readiness). */
  async ping(): Promise<void> {
    await Promise.all(ALL_QUEUES.map((name) => this.producer(name).ping()));
  }

  /** Stops the workers (giving their jobs back), then closes the producers. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.workers.stop();
      await Promise.all([...this.producers.values()].map(({ queue }) => queue.close()));
      this.producers.clear();
    })();
    return this.closing;
  }
}
