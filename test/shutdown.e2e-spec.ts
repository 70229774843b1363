import { BeforeApplicationShutdown, Global, Injectable, Module } from '@nestjs/common';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { loadConfig, VenvfarmConfig } from '@venvfarm/config';
import { createTestDatabase } from '@venvfarm/db/testing';
import { JobView, Queues, QueueUnavailableError } from '@venvfarm/queue';
import { dropTestQueues, QUEUE_BACKENDS, QueueBackendKind, testQueueConfig } from '@venvfarm/queue/testing';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { AppModule } from '../apps/api/src/app.module';
import { configureEdge, FASTIFY_EDGE_OPTIONS } from '../apps/api/src/common/edge';
import { adminAuth, TEST_ADMIN_TOKEN } from './support/test-app';

/**
 * The order of a shutdown, on both queue backends. Nest 11's `app.close()` runs every
 * `beforeApplicationShutdown` hook while the HTTP server still takes requests, and closes the
 * server only after them: requests that add or read jobs in that window are still served (the
 * producers close in `onApplicationShutdown`, after the server), and once the queues are closed
 * they never open new connections (a late call is `QueueUnavailableError`, a 503).
 */
jest.setTimeout(60_000);

/** What the probe's requests answered, by route. */
type Answers = Record<string, number>;

/**
 * Sends requests to the app from a `beforeApplicationShutdown` hook. Nest runs the hooks of
 * global modules in the reverse of their registration: this module is global and imported before
 * the AppModule, so its hook runs after the queue module's (`workersStopped` checks it).
 */
@Injectable()
class ShutdownProbe implements BeforeApplicationShutdown {
  url = '';
  answers: Answers | null = null;
  /** Whether the queue workers had stopped when the probe's hook ran. */
  workersStoppedFirst: boolean | null = null;
  workersStopped = false;

  async beforeApplicationShutdown(): Promise<void> {
    this.workersStoppedFirst = this.workersStopped;
    const http = () => request(this.url);
    const sync = await http().post('/v1/mirror/sync').set(adminAuth).send({ include: ['requests'] });
    const job = await http().get(`/v1/mirror/jobs/${(sync.body as JobView).id ?? 1}`);
    const ready = await http().get('/health/ready');
    const metrics = await http().get('/metrics');
    this.answers = {
      'POST /v1/mirror/sync': sync.status,
      'GET /v1/mirror/jobs/:id': job.status,
      'GET /health/ready': ready.status,
      'GET /metrics': metrics.status,
      'venvfarm_queue_jobs in /metrics': metrics.text.includes('venvfarm_queue_jobs{') ? 1 : 0,
    };
  }
}

@Global()
@Module({ providers: [ShutdownProbe] })
class ShutdownProbeModule {}

describe.each(QUEUE_BACKENDS)('shutdown on %s', (kind: QueueBackendKind) => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  const queue = testQueueConfig(kind);

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await dropTestQueues(queue);
    await db?.drop();
  });

  it('requests made while the shutdown hooks run are served; the closed queues answer QueueUnavailableError and stay closed', async () => {
    const config = loadConfig({}, { logLevel: 'silent', adminToken: TEST_ADMIN_TOKEN, databaseUrl: db.url, upstream: 'http://127.0.0.1:1/simple/', runJobs: false, ...queue });
    const moduleRef = await Test.createTestingModule({ imports: [ShutdownProbeModule, AppModule] })
      .overrideProvider(VenvfarmConfig)
      .useValue(config)
      .compile();
    const app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(FASTIFY_EDGE_OPTIONS), { logger: false });
    configureEdge(app);
    await app.listen(0, '127.0.0.1');
    const probe = app.get(ShutdownProbe);
    probe.url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    const queues = app.get(Queues);
    // Instrumented, not replaced: the workers stop as they would, and the probe learns when.
    const stopWorkers = queues.workers.stop.bind(queues.workers);
    queues.workers.stop = async () => {
      await stopWorkers();
      probe.workersStopped = true;
    };

    await app.close();

    expect(probe.workersStoppedFirst).toBe(true);
    expect(probe.answers).toEqual({
      'POST /v1/mirror/sync': 202,
      'GET /v1/mirror/jobs/:id': 200,
      'GET /health/ready': 200,
      'GET /metrics': 200,
      'venvfarm_queue_jobs in /metrics': 1,
    });
    expect(() => queues.producer('mirror-sync')).toThrow(QueueUnavailableError);
    await expect(queues.ping()).rejects.toThrow(QueueUnavailableError);
    await expect(queues.counts()).rejects.toThrow('this process has closed its queues (it is shutting down)');
  });
});
