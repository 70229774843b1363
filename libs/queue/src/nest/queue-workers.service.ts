import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { VenvfarmConfig } from '@venvfarm/config';
import type { JobProcessor, JobProcessors } from '../job-processor';
import { ALL_QUEUES, QueueName } from '../queue-names';
import { Queues } from '../queues';
import { QUEUE_PROCESSOR } from './queue-processor.decorator';

/** Which queues a process works on; see `QueueModule.forRoot`. */
export type QueueWork = 'all' | 'config' | 'none';

/** Injection token of the {@link QueueWork} option. */
export const QUEUE_WORK = 'venvfarm:queue-work';

/**
 * Starts this process's workers once every module is up, with the processors found among the
 * providers (classes marked `@QueueProcessor`), and stops them before anything closes. The
 * producers close last: Nest 11's `app.close()` runs every `beforeApplicationShutdown` hook while
 * the HTTP server still takes requests, and only closes it before the `onApplicationShutdown`
 * hooks, so requests that add or read jobs keep working until the server has stopped.
 */
@Injectable()
export class QueueWorkersService implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('queue');

  constructor(
    private readonly queues: Queues,
    private readonly config: VenvfarmConfig,
    private readonly discovery: DiscoveryService,
    @Inject(QUEUE_WORK) private readonly work: QueueWork,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.work === 'none') return;
    if (this.work === 'config' && !this.config.runJobs) {
      this.queues.workers.watchStalled(ALL_QUEUES);
      return;
    }
    try {
      this.queues.workers.start(this.processors(), ALL_QUEUES);
    } catch (error) {
      // A failed start never reaches the shutdown hooks: let go of the connections here.
      await this.queues.close();
      throw error;
    }
    this.logger.log(`working on queues: ${ALL_QUEUES.join(', ')}`);
  }

  /** Gives running jobs back to the queue (before the database closes); the producers stay open. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.queues.workers.stop();
  }

  /** Closes the producers once the HTTP server has stopped; later calls get `QueueUnavailableError`. */
  async onApplicationShutdown(): Promise<void> {
    await this.queues.close();
  }

  private processors(): JobProcessors {
    const found: Partial<Record<QueueName, JobProcessor<QueueName>>> = {};
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      if (instance === null || typeof instance !== 'object') continue;
      const queue = Reflect.getMetadata(QUEUE_PROCESSOR, instance.constructor) as QueueName | undefined;
      if (queue === undefined) continue;
      if (found[queue] !== undefined && found[queue] !== instance) throw new Error(`two processors for queue ${queue}: ${found[queue]!.constructor.name} and ${instance.constructor.name}`);
      found[queue] = instance as JobProcessor<QueueName>;
    }
    return found as JobProcessors;
  }
}
