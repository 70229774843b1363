import { ConsoleLogger, Injectable, INestApplicationContext, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ConfigModule, loadConfig, VenvfarmConfig } from '@venvfarm/config';
import { Database, DatabaseModule } from '@venvfarm/db';
import { createTestDatabase } from '@venvfarm/db/testing';
import { MirrorSyncProducer } from '../job-producer';
import { JobProcessor, MissingProcessorError, RunningJob } from '../job-processor';
import { Queues } from '../queues';
import { dropTestQueues, QUEUE_BACKENDS, QueueBackendKind, testQueueConfig } from '../testing';
import { QueueModule, QueueModuleOptions } from './queue.module';
import { QueueProcessor } from './queue-processor.decorator';

@QueueProcessor('mirror-sync')
@Injectable()
class EchoProcessor implements JobProcessor<'mirror-sync'> {
  async process(job: RunningJob<'mirror-sync'>) {
    return { echoed: job.payload.upstream };
  }
}

@QueueProcessor('mirror-sync')
@Injectable()
class OtherProcessor extends EchoProcessor {}

@QueueProcessor('builds')
@Injectable()
class BuildEchoProcessor implements JobProcessor<'builds'> {
  async process(job: RunningJob<'builds'>) {
    return { key: job.payload.key };
  }
}

const payload = { upstream: 'http://127.0.0.1:1/simple/', incremental: false };

/** How apps use the queues through NestJS: processors found at start-up, producers injected. */
describe.each(QUEUE_BACKENDS)('QueueModule on %s', (kind: QueueBackendKind) => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let queue: ReturnType<typeof testQueueConfig>;
  let app: INestApplicationContext | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });
  beforeEach(() => {
    queue = testQueueConfig(kind);
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    await dropTestQueues(queue);
  });

  async function start(options: QueueModuleOptions, processors: Type[], overrides: Partial<VenvfarmConfig> = {}): Promise<INestApplicationContext> {
    const config = loadConfig({}, { databaseUrl: database.url, ...queue, ...overrides });
    const context = await Test.createTestingModule({ imports: [ConfigModule.forRoot(config), DatabaseModule, QueueModule.forRoot(options)], providers: processors })
      .setLogger(new ConsoleLogger({ logLevels: [] }))
      .compile();
    try {
      await context.init();
    } catch (error) {
      // Nest's close() rethrows a failed init instead of closing: the database pool is ours to end.
      await context.get(Database).close();
      throw error;
    }
    return context;
  }

  it('runs the processor it finds among the providers; the producer is injected', async () => {
    app = await start({ work: 'all' }, [EchoProcessor, BuildEchoProcessor]);
    const producer = app.get(MirrorSyncProducer);
    const job = await producer.enqueue(payload);
    for (;;) {
      const view = await producer.get(job.id);
      if (view?.state === 'done') {
        expect(view.progress).toEqual({ echoed: payload.upstream });
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    expect((await app.get(Queues).counts())['mirror-sync']).toMatchObject({ done: 1, queued: 0, running: 0 });
  });

  it('fails to start when a queue it must work on has no processor', async () => {
    await expect(start({ work: 'all' }, [])).rejects.toThrow(MissingProcessorError);
  });

  it('fails to start when a queue has two processors', async () => {
    await expect(start({ work: 'all' }, [EchoProcessor, OtherProcessor, BuildEchoProcessor])).rejects.toThrow('two processors for queue mirror-sync');
  });

  it('with VENVFARM_JOBS=off, leaves jobs queued and needs no processor', async () => {
    app = await start({ work: 'config' }, [], { runJobs: false });
    const producer = app.get(MirrorSyncProducer);
    const job = await producer.enqueue(payload);
    expect((await producer.get(job.id))?.state).toBe('queued');
  });
});
