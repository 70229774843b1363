/**
 * A worker killed in the middle of a build (issue 9): `kill -9` while the install runs in its
 * container; the build's job comes back once its lock expires, a new worker removes what the
 * dead one left (its container, its build directory) and completes the build, and no partial
 * tarball is ever served. A build whose workers are lost more often than the queue allows
 * (`VENVFARM_QUEUE_MAX_STALLS`) fails, says why, and does not hold its key: the next request
 * builds it. Real Docker, real wheels from pypi-sim, workers as real processes.
 */
import { INestApplication } from '@nestjs/common';
import { DockerExecutor } from '@venvfarm/builds';
import { createTestDatabase } from '@venvfarm/db/testing';
import { dropTestQueues, testQueueConfig } from '@venvfarm/queue/testing';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { binaryBody } from './support/binary-body';
import { PypiSim, startPypiSim } from './support/pypi-sim';
import { adminAuth, createTestApp, TEST_ADMIN_TOKEN } from './support/test-app';
import { startWorker, VenvfarmProcess } from './support/venvfarm-process';

jest.setTimeout(240_000);

const WHEELHOUSE = process.env.VENVFARM_WHEELHOUSE ?? '/opt/pypi/files';
const BODY = { requirements: ['six', 'idna', 'markupsafe', 'pygments', 'certifi', 'click'], python: '3.11', platform: 'x86_64-manylinux_2_28' };
const LOCK_MS = 3000;
const STALLED_INTERVAL_MS = 500;
/** A job's worker may be lost once; the second time the job fails. */
const MAX_STALLS = 1;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(check: () => Promise<T | null | undefined | false>): Promise<T> {
  for (;;) {
    const value = await check();
    if (value !== null && value !== undefined && value !== false) return value;
    await sleep(100);
  }
}

describe('a worker killed mid-build', () => {
  let sim: PypiSim;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: INestApplication;
  let dataDir: string;
  const queue = testQueueConfig('postgres');
  const processes: VenvfarmProcess[] = [];
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'venvfarm-build-faults-'));
    [sim, db] = await Promise.all([startPypiSim({ args: ['--wheelhouse', WHEELHOUSE] }), createTestDatabase()]);
    // The API queues and serves; only the worker processes build.
    app = await createTestApp({ databaseUrl: db.url, upstream: sim.simpleUrl, dataDir, executor: 'docker', runJobs: false, ...queue, queueLockMs: LOCK_MS, queueStalledIntervalMs: STALLED_INTERVAL_MS, queueMaxStalls: MAX_STALLS });
    await app.listen(0, '127.0.0.1');
  });

  afterAll(async () => {
    await Promise.all(processes.splice(0).map((p) => p.killAll()));
    await app?.close();
    await dropTestQueues(queue);
    await Promise.all([sim?.stop(), db?.drop()]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Follows the build's log as it is written until it shows `text`. */
  async function logShows(id: number, text: string): Promise<void> {
    const url = await app.getUrl();
    const response = await fetch(`${url.replace('[::1]', '127.0.0.1')}/v1/builds/${id}/log`);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let seen = '';
    while (!seen.includes(text)) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the log ended without '${text}':\n${seen}`);
      seen += decoder.decode(value, { stream: true });
    }
    await reader.cancel();
  }

  const worker = () => {
    const started = startWorker({
      DATABASE_URL: db.url,
      VENVFARM_DATA_DIR: dataDir,
      VENVFARM_UPSTREAM: sim.simpleUrl,
      VENVFARM_EXECUTOR: 'docker',
      VENVFARM_QUEUE_NAMESPACE: queue.queueNamespace,
      VENVFARM_QUEUE_LOCK_MS: String(LOCK_MS),
      VENVFARM_QUEUE_STALLED_INTERVAL_MS: String(STALLED_INTERVAL_MS),
      VENVFARM_QUEUE_MAX_STALLS: String(MAX_STALLS),
      VENVFARM_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
      VENVFARM_LOG_LEVEL: 'warn',
    });
    processes.push(started);
    return started;
  };

  it('is taken up by another worker, which completes the build; nothing partial is served, nothing is left behind', async () => {
    const queued = await http().post('/v1/builds').set(adminAuth).send(BODY).expect(202);
    const { id, key } = queued.body as { id: number; key: string };
    const download = `/v1/envs/${key}.tar.gz`;
    const build = async () => (await http().get(`/v1/builds/${id}`).expect(200)).body as Record<string, unknown>;

    const first = worker();
    // Killed once the files are staged, as the log (followed live) says: pip is running in the
    // first worker's container.
    await logShows(id, 'staged 6 files');
    await http().get(download).expect(404);
    await first.stop('SIGKILL');
    const docker = new DockerExecutor();
    await http().get(download).expect(404);

    const second = worker();
    const done = await until(async () => {
      const view = await build();
      return view.status === 'done' || view.status === 'failed' ? view : null;
    });
    expect(done).toMatchObject({ status: 'done', error: null });
    const tarball = await http().get(download).buffer(true).parse(binaryBody).expect(200);
    expect(createHash('sha256').update(tarball.body as Buffer).digest('hex')).toBe(done.sha256);
    // The second attempt's log follows the first's.
    expect((await http().get(`/v1/builds/${id}/log`)).text).toMatch(/attempt 1:[\s\S]*staged 6 files[\s\S]*attempt 2:[\s\S]*done: /);

    // The dead worker's container and build directory are gone, and the live worker's too.
    expect(await docker.buildContainers()).toBe(0);
    expect(readdirSync(join(dataDir, 'builds'))).toEqual([]);
    await second.stop('SIGTERM');
  });

  it('fails once its workers are lost more often than the queue allows, says why, and lets the next request build the key', async () => {
    // Another target than the test above: another key.
    const body = { ...BODY, platform: 'x86_64-manylinux_2_31' };
    const queued = await http().post('/v1/builds').set(adminAuth).send(body).expect(202);
    const { id, key } = queued.body as { id: number; key: string };
    const build = async () => (await http().get(`/v1/builds/${id}`).expect(200)).body as Record<string, unknown>;

    const first = worker();
    await logShows(id, 'attempt 1:');
    await first.stop('SIGKILL');
    // Given back once (the lock expired), taken by the next worker, which is lost too.
    const second = worker();
    await logShows(id, 'attempt 2:');
    await second.stop('SIGKILL');
    // Over the limit: the job goes back with its failure deferred, and fails (not run) when the
    // next worker takes it, without its processor knowing.
    const third = worker();
    const failed = await until(async () => {
      const view = await build();
      return view.status === 'failed' || view.status === 'done' ? view : null;
    });
    expect(failed).toMatchObject({ status: 'failed', key });
    expect(failed.error).toMatch(/workers were lost \(killed or gone\) more often than the queue allows \(VENVFARM_QUEUE_MAX_STALLS\)/);
    // The list says so too, and the log has ended.
    expect(((await http().get('/v1/builds?status=failed').expect(200)).body as { id: number }[]).map((b) => b.id)).toContain(id);
    await http().get(`/v1/builds/${id}/log`).expect(200);

    // The key is free: the same request queues a new build, which a live worker completes.
    const again = await http().post('/v1/builds').set(adminAuth).send(body).expect(202);
    expect(again.body).toMatchObject({ key, status: 'queued' });
    expect(again.body.id).not.toBe(id);
    const done = await until(async () => {
      const view = (await http().get(`/v1/builds/${again.body.id}`).expect(200)).body as Record<string, unknown>;
      return view.status === 'done' || view.status === 'failed' ? view : null;
    });
    expect(done).toMatchObject({ status: 'done', error: null });
    await http().get(`/v1/envs/${key}.tar.gz`).expect(200);
    expect(await new DockerExecutor().buildContainers()).toBe(0);
    await third.stop('SIGTERM');
  });

  it('gives a row that names no job (older rows, or a server stopped between the insert and the enqueue) its job on the next request, and builds it', async () => {
    const body = { ...BODY, platform: 'x86_64-manylinux_2_24' };
    const queued = await http().post('/v1/builds').set(adminAuth).send(body).expect(202);
    const { id, key } = queued.body as { id: number; key: string };
    // As a row from before job ids were recorded: its job is in the queue, the row does not name it.
    await db.pool.query('UPDATE builds SET job_id = NULL WHERE id = $1', [id]);
    // Not judged lost without a job: still queued.
    expect((await http().get(`/v1/builds/${id}`).expect(200)).body).toMatchObject({ status: 'queued' });

    const again = await http().post('/v1/builds').set(adminAuth).send(body).expect(202);
    expect(again.body).toMatchObject({ id, key, status: 'queued' });
    const { rows } = await db.pool.query<{ job_id: string | null }>('SELECT job_id FROM builds WHERE id = $1', [id]);
    expect(rows[0].job_id).toMatch(/^[1-9][0-9]*$/);

    const live = worker();
    const done = await until(async () => {
      const view = (await http().get(`/v1/builds/${id}`).expect(200)).body as Record<string, unknown>;
      return view.status === 'done' || view.status === 'failed' ? view : null;
    });
    expect(done).toMatchObject({ status: 'done', error: null });
    // One build of the key: the row's job was the one already queued, not a second.
    expect((await http().get(`/v1/builds/${id}/log`).expect(200)).text.match(/attempt \d+:/g)).toEqual(['attempt 1:']);
    await live.stop('SIGTERM');
  });
});

