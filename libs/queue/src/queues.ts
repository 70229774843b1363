/**
 * A process's connection to its queues: the typed producers, the workers it runs, job counts for
 * metrics, and an orderly close (workers first, so running jobs go back to the queue, then the
 * producers). Every call made for a request settles within `callTimeoutMs` or rejects with
 * `QueueUnavailableError`, and so does any call after `close()`: closed queues never reopen.
 */
import { BackendCalls } from './backend-calls';
import { BuildProducer, JobProducer, JobStateCounts, MirrorSyncProducer } from './job-producer';
import { BullQueue, QueueConnection } from './queue-connection';
import { ALL_QUEUES, QueueName } from './queue-names';
import type { QueueSettings } from './queue-settings';
import { QueueWorkers } from './queue-workers';

/** The producer class of each queue. */
interface Producers {
  'mirror-sync': MirrorSyncProducer;
  builds: BuildProducer;
}

const PRODUCER_CLASSES: { readonly [Q in QueueName]: new (name: Q, queue: BullQueue, settings: QueueSettings, calls: BackendCalls) => Producers[Q] } = {
  'mirror-sync': MirrorSyncProducer,
  builds: BuildProducer,
};

/** The queues as one process uses them. */
export class Queues {
  /** The processors this process runs; empty until started. */
  readonly workers: QueueWorkers;
  private readonly connection: QueueConnection;
  private readonly calls: BackendCalls;
  private readonly producers = new Map<QueueName, { producer: JobProducer<QueueName>; queue: BullQueue }>();
  private closing: Promise<void> | null = null;

  constructor(readonly settings: QueueSettings) {
    this.connection = new QueueConnection(settings);
    this.workers = new QueueWorkers(this.connection);
    this.calls = new BackendCalls(settings.backend, settings.callTimeoutMs);
  }

  /**
   * The producer of a queue (one per queue and process). After {@link close} it throws
   * `QueueUnavailableError` rather than open new connections that nothing would close.
   */
  producer<Q extends QueueName>(name: Q): Producers[Q] {
    let entry = this.producers.get(name);
    if (entry === undefined) {
      if (this.closing !== null) throw this.calls.closedError(`use the ${name} queue`);
      const queue = this.connection.queue(name);
      entry = { producer: new PRODUCER_CLASSES[name](name, queue, this.settings, this.calls), queue };
      this.producers.set(name, entry);
    }
    return entry.producer as Producers[Q];
  }

  /** Job counts by queue and state (metrics). */
  async counts(): Promise<Record<QueueName, JobStateCounts>> {
    const entries = await Promise.all(ALL_QUEUES.map(async (name) => [name, await this.producer(name).counts()] as const));
    return Object.fromEntries(entries) as Record<QueueName, JobStateCounts>;
  }

  /** Resolves when the backend answers; rejects with `QueueUnavailableError` otherwise (start-up, readiness). */
  async ping(): Promise<void> {
    await Promise.all(ALL_QUEUES.map((name) => this.producer(name).ping()));
  }

  /**
   * Stops the workers (giving their jobs back), then closes the producers: from then on every
   * producer call rejects with `QueueUnavailableError`. A producer whose connection does
   * not close within `callTimeoutMs` (its backend is gone) is disconnected. Idempotent.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.workers.stop();
      this.calls.close();
      await Promise.all([...this.producers.values()].map(({ queue }) => this.closeQueue(queue)));
      this.producers.clear();
    })();
    return this.closing;
  }

  private async closeQueue(queue: BullQueue): Promise<void> {
    const closed = queue.close().then(
      () => true,
      (error: Error) => {
        this.settings.log?.('warn', `queue ${queue.name}: ${error.message} while closing`);
        return true;
      },
    );
    let timer: NodeJS.Timeout | undefined;
    const inTime = await Promise.race([closed, new Promise<boolean>((resolve) => (timer = setTimeout(resolve, this.settings.callTimeoutMs, false)))]);
    clearTimeout(timer);
    // Dropping the connection does not wait for an answer; it is not awaited, as it may never come.
    if (!inTime) queue.disconnect().catch(() => undefined);
  }
}
