import { DynamicModule, Logger, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { VenvfarmConfig } from '@venvfarm/config';
import { Database } from '@venvfarm/db';
import { BuildProducer, MirrorSyncProducer } from '../job-producer';
import { QueueName } from '../queue-names';
import { queueSettings } from '../queue-settings';
import { Queues } from '../queues';
import { QUEUE_WORK, QueueWork, QueueWorkersService } from './queue-workers.service';

/** How a process uses the queues. */
export interface QueueModuleOptions {
  /**
   * `all`: run the processors of every queue (apps/worker); `config`: the same unless
   * `VENVFARM_JOBS=off`, in which case only give back the jobs of dead workers (`serve`);
   * `none`: add and read jobs only. A queue without a processor is a start-up error.
   */
  readonly work: QueueWork;
}

const logger = new Logger('queue');

async function openQueues(config: VenvfarmConfig, db: Database): Promise<Queues> {
  const queues = new Queues(queueSettings(config, db.url, (level, message) => logger[level](message)));
  try {
    // Connects (and on PostgreSQL creates or migrates the queue schema) before the app answers;
    // a backend that does not answer within the deadline fails the start, naming REDIS_URL.
    await queues.ping();
  } catch (error) {
    await queues.close();
    throw error;
  }
  return queues;
}

/**
 * The queues of the process, from `VenvfarmConfig` (Redis when `REDIS_URL` is set, else the
 * `Database`'s PostgreSQL): provides {@link Queues} and the typed producers.
 */
@Module({})
export class QueueModule {
  static forRoot(options: QueueModuleOptions): DynamicModule {
    return {
      module: QueueModule,
      global: true,
      imports: [DiscoveryModule],
      providers: [
        { provide: Queues, inject: [VenvfarmConfig, Database], useFactory: openQueues },
        { provide: MirrorSyncProducer, inject: [Queues], useFactory: (queues: Queues) => queues.producer(QueueName.MirrorSync) },
        { provide: BuildProducer, inject: [Queues], useFactory: (queues: Queues) => queues.producer(QueueName.Builds) },
        { provide: QUEUE_WORK, useValue: options.work },
        QueueWorkersService,
      ],
      exports: [Queues, MirrorSyncProducer, BuildProducer],
    };
  }
}
