import { INestApplication } from '@nestjs/common';
import { createTestDatabase } from '@venvfarm/db/testing';
import { JobView } from '@venvfarm/queue';
import { dropTestQueues, testQueueConfig } from '@venvfarm/queue/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { AddressInfo, connect, createServer, Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { ErrorBodySchema } from '../apps/api/src/common/error-body';
import { adminAuth, createTestApp, TEST_ADMIN_TOKEN } from './support/test-app';
import { startServe } from './support/venvfarm-process';

/**
 * The API while its Redis is gone, end to end with a real Redis behind a TCP proxy that the
 * test closes after start-up (Redis dying under a running server): adding a sync, reading a job
 * and the readiness probe answer 503 within the queue deadline (`VENVFARM_QUEUE_TIMEOUT_MS`)
 * instead of hanging, `/metrics` answers without the job gauge, and the app still shuts down.
 * And `venvfarm serve` with nothing listening at `REDIS_URL` exits within the deadline, saying so.
 */
jest.setTimeout(60_000);

/** The queue deadline of these tests: short, so that the test is quick. */
const DEADLINE_MS = 1_000;
/** What an answer may take beyond the deadline (a loaded test machine). */
const SLACK_MS = 2_000;

/** A TCP proxy to `target` that can be closed, cutting every connection through it. */
async function startProxy(target: URL): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  };
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port || 6379), target.hostname);
    track(client);
    track(upstream);
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = new URL(target.href);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return {
    url: url.toString(),
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

/** A loopback port nothing listens on (bound, then released). */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Runs `call`, and how long it took. */
async function timed<T>(call: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await call();
  return { value, ms: Date.now() - started };
}

/** A 503 `queue_unavailable` answer of the one error shape, with Retry-After. */
function expectQueueUnavailable(res: request.Response): void {
  expect(res.status).toBe(503);
  const body = ErrorBodySchema.parse(res.body);
  expect(body.error).toBe('queue_unavailable');
  expect(body.detail).toMatch(/REDIS_URL redis:\/\/127\.0\.0\.1:\d+/);
  expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
}

describe('the API while the queue backend is unreachable', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  const queue = testQueueConfig('redis');
  let dir: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    dir = mkdtempSync(join(tmpdir(), 'venvfarm-queue-unavailable-'));
  });

  afterAll(async () => {
    await dropTestQueues(queue);
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('when Redis goes away after start-up', () => {
    let proxy: Awaited<ReturnType<typeof startProxy>>;
    let app: INestApplication | undefined;

    afterAll(async () => {
      await app?.close();
      await proxy?.close();
    });

    it('adding a sync, reading a job and readiness answer 503 within the deadline; /metrics answers; the app still closes', async () => {
      proxy = await startProxy(new URL(queue.redisUrl!));
      app = await createTestApp({ databaseUrl: db.url, redisUrl: proxy.url, queueNamespace: queue.queueNamespace, queueTimeoutMs: DEADLINE_MS, runJobs: false });
      const http = () => request(app!.getHttpServer());

      // While Redis is there, everything works.
      const queued = (await http().post('/v1/mirror/sync').set(adminAuth).send({ include: ['flask'] }).expect(202)).body as JobView;
      await http().get(`/v1/mirror/jobs/${queued.id}`).expect(200);
      await http().get('/health/ready').expect(200);

      await proxy.close();

      const sync = await timed(() => http().post('/v1/mirror/sync').set(adminAuth).send({ include: ['django'] }));
      expectQueueUnavailable(sync.value);
      expect(sync.ms).toBeLessThan(DEADLINE_MS + SLACK_MS);

      for (const id of [queued.id, '999999']) {
        const job = await timed(() => http().get(`/v1/mirror/jobs/${id}`));
        expectQueueUnavailable(job.value);
        expect(job.ms).toBeLessThan(DEADLINE_MS + SLACK_MS);
      }
      // An id that names no job needs no backend: still a 400 on the field.
      const invalid = await http().get('/v1/mirror/jobs/x').expect(400);
      expect(ErrorBodySchema.parse(invalid.body)).toMatchObject({ error: 'invalid_input' });

      const ready = await timed(() => http().get('/health/ready'));
      expect(ready.value.status).toBe(503);
      expect(ErrorBodySchema.parse(ready.value.body)).toMatchObject({ error: 'not_ready', detail: expect.stringMatching(/^queue: .*did not answer within 1000 ms/) });
      expect(ready.ms).toBeLessThan(DEADLINE_MS + SLACK_MS);

      const metrics = await timed(() => http().get('/metrics'));
      expect(metrics.value.status).toBe(200);
      expect(metrics.value.text).not.toContain('venvfarm_queue_jobs{');
      expect(metrics.ms).toBeLessThan(DEADLINE_MS + SLACK_MS);

      const closing = await timed(() => app!.close());
      app = undefined;
      expect(closing.ms).toBeLessThan(10_000);
    });
  });

  it('`venvfarm serve` with nothing listening at REDIS_URL exits within the deadline, naming REDIS_URL', async () => {
    const port = await deadPort();
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL: `redis://127.0.0.1:${port}`,
      VENVFARM_QUEUE_NAMESPACE: queue.queueNamespace,
      VENVFARM_QUEUE_TIMEOUT_MS: String(DEADLINE_MS),
      VENVFARM_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
      VENVFARM_LOG_LEVEL: 'warn',
    };
    const started = Date.now();
    const failure = await startServe(['--data-dir', join(dir, 'data')], env).then(
      async (server) => {
        await server.killAll();
        return null;
      },
      (error: unknown) => error as Error,
    );
    expect(failure).not.toBeNull();
    expect(failure!.message).toContain(`did not answer within ${DEADLINE_MS} ms`);
    expect(failure!.message).toContain(`Redis at REDIS_URL redis://127.0.0.1:${port}`);
    // Node and Nest start in a few seconds; the deadline is one more.
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
