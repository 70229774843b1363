import { INestApplication } from '@nestjs/common';
import { createTestDatabase } from '@venvfarm/db/testing';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { PypiSim, startPypiSim } from './support/pypi-sim';
import { adminAuth, createTestApp } from './support/test-app';

/**
 * Logs and metrics of the API, end to end: a resolve (a miss, then a hit) and a sync against
 * pypi-sim, then `GET /metrics` shows every series the operator needs; every log line written
 * while a request is handled (the access line and the upstream fetches it caused, through Nest's
 * Logger) carries that request's id, which is also the response's `X-Request-Id`.
 */

/** One pino line as the app writes it. */
interface LogLine {
  level: number;
  msg: string;
  reqId?: string;
  context?: string;
  req?: { method: string; url: string };
  res?: { statusCode: number };
}

/** One sample of the Prometheus text format. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses the samples of a Prometheus text exposition (label values here never hold `"` or `,`). */
function samples(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (m === null) throw new Error(`not a sample: ${line}`);
      const labels = Object.fromEntries((m[2] ?? '').split(',').filter(Boolean).map((pair) => /^(\w+)="(.*)"$/.exec(pair)!.slice(1, 3)));
      return { name: m[1], labels, value: Number(m[3]) };
    });
}

/** The one sample of `name` whose labels include `labels`. */
function sample(all: Sample[], name: string, labels: Record<string, string> = {}): Sample | undefined {
  const found = all.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} ${JSON.stringify(labels)}`);
  return found[0];
}

const target = { python: '3.11', platform: 'x86_64-manylinux_2_28' };

describe('logs and metrics', () => {
  let dir: string;
  let sim: PypiSim;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: INestApplication;
  let dropped = false;
  const lines: LogLine[] = [];
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'venvfarm-observability-'));
    writeFileSync(join(dir, 'projects.txt'), ['six', 'idna', 'certifi', 'python-dateutil', 'urllib3'].join('\n'));
    [sim, db] = await Promise.all([startPypiSim({ projectsFile: join(dir, 'projects.txt'), cacheDir: join(dir, 'sim') }), createTestDatabase()]);
    // Debug level: the upstream attempts a request causes are logged, so a request has several lines.
    app = await createTestApp({ databaseUrl: db.url, upstream: sim.simpleUrl, logLevel: 'debug' }, undefined, {
      logs: { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) },
    });
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await sim?.stop();
    if (!dropped) await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('after a resolve and a sync, GET /metrics', () => {
    let metrics: Sample[];
    let text: string;
    let upstreamSaw: number;

    beforeAll(async () => {
      // A miss (six is fetched lazily from the upstream), then a hit.
      const first = await http().post('/v1/resolve').send({ ...target, requirements: ['six'] }).expect(200);
      expect(first.body.cached).toBe(false);
      const second = await http().post('/v1/resolve').send({ ...target, requirements: ['six'] }).expect(200);
      expect(second.body.cached).toBe(true);

      const queued = await http().post('/v1/mirror/sync').set(adminAuth).send({ include: ['idna', 'certifi'] }).expect(202);
      let job = queued.body;
      for (let i = 0; i < 300 && !['done', 'failed'].includes(job.state); i++) {
        await new Promise((r) => setTimeout(r, 100));
        job = (await http().get(`/v1/mirror/jobs/${queued.body.id}`).expect(200)).body;
      }
      expect(job.state).toBe('done');

      const res = await http().get('/metrics').expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain;.*version=0\.0\.4/);
      text = res.text;
      metrics = samples(text);
      // What the upstream received, less the test's own calls to its control endpoints.
      const stats = await sim.stats();
      upstreamSaw = stats.requests_total - (stats.requests.sim ?? 0);
    }, 120_000);

    it('counts resolve cache hits and misses', () => {
      expect(sample(metrics, 'venvfarm_resolve_cache_misses_total')?.value).toBe(1);
      expect(sample(metrics, 'venvfarm_resolve_cache_hits_total')?.value).toBe(1);
    });

    it('times HTTP requests by route template and status, never by raw URL', () => {
      const resolves = sample(metrics, 'venvfarm_http_request_duration_seconds_count', { method: 'POST', route: '/v1/resolve', status_code: '200' });
      expect(resolves?.value).toBe(2);
      expect(sample(metrics, 'venvfarm_http_request_duration_seconds_sum', { route: '/v1/resolve' })?.value).toBeGreaterThan(0);
      // The le="+Inf" bucket holds every request; a finite bucket holds those that fast or faster.
      expect(sample(metrics, 'venvfarm_http_request_duration_seconds_bucket', { route: '/v1/resolve', le: '+Inf' })?.value).toBe(2);
      expect(sample(metrics, 'venvfarm_http_request_duration_seconds_count', { method: 'POST', route: '/v1/mirror/sync', status_code: '202' })?.value).toBe(1);
      const jobs = sample(metrics, 'venvfarm_http_request_duration_seconds_count', { method: 'GET', route: '/v1/mirror/jobs/:id', status_code: '200' });
      expect(jobs?.value).toBeGreaterThanOrEqual(1);
      const routes = new Set(metrics.filter((s) => s.name === 'venvfarm_http_request_duration_seconds_count').map((s) => s.labels.route));
      // A job id in a label would be a series per job.
      expect([...routes].filter((route) => /\/\d+(\/|$)/.test(route))).toEqual([]);
      expect(routes.has('/v1/mirror/jobs/:id')).toBe(true);
    });

    it('counts upstream requests by host and outcome, with retry and failure counters declared', () => {
      const host = new URL(sim.url).host;
      expect(sample(metrics, 'venvfarm_upstream_requests_total', { host, outcome: 'ok' })?.value).toBeGreaterThan(0);
      const requests = metrics.filter((s) => s.name === 'venvfarm_upstream_requests_total');
      expect(requests.every((s) => s.labels.host === host)).toBe(true);
      // Every request the upstream received is counted: the resolve's lazy fetches and the sync's.
      expect(requests.reduce((sum, s) => sum + s.value, 0)).toBe(upstreamSaw);
      expect(text).toContain('# TYPE venvfarm_upstream_retries_total counter');
      expect(text).toContain('# TYPE venvfarm_upstream_failures_total counter');
    });

    it('shows the database pool and the jobs by queue and state', () => {
      const connections = sample(metrics, 'venvfarm_db_pool_connections')?.value;
      expect(connections).toBeGreaterThanOrEqual(1);
      // Between requests the pool's connections are idle ones (none is held by a request).
      expect(sample(metrics, 'venvfarm_db_pool_idle_connections')?.value).toBe(connections);
      expect(sample(metrics, 'venvfarm_db_pool_waiting_clients')?.value).toBe(0);
      // Every state of the queue is a series (0 included), the finished sync among the done ones.
      const jobs = metrics.filter((s) => s.name === 'venvfarm_queue_jobs' && s.labels.queue === 'mirror-sync');
      expect(Object.fromEntries(jobs.map((s) => [s.labels.state, s.value]))).toEqual({ queued: 0, running: 0, retrying: 0, done: 1, failed: 0 });
    });

    it('includes the process metrics', () => {
      expect(sample(metrics, 'process_cpu_user_seconds_total')?.value).toBeGreaterThan(0);
      expect(sample(metrics, 'process_resident_memory_bytes')?.value).toBeGreaterThan(0);
      expect(sample(metrics, 'nodejs_heap_size_used_bytes')?.value).toBeGreaterThan(0);
    });

    it('is logged at debug, not at info, when scraped', () => {
      const scrapes = lines.filter((l) => l.req?.url === '/metrics');
      expect(scrapes.length).toBeGreaterThanOrEqual(1);
      expect(scrapes.every((l) => l.level === 20)).toBe(true);
    });
  });

  describe('request ids', () => {
    it('gives every line of a request its id, echoed as X-Request-Id; concurrent requests keep theirs apart', async () => {
      const resolve = (project: string, id: string) =>
        http().post('/v1/resolve').set('X-Request-Id', id).send({ ...target, requirements: [project] }).expect(200);
      const from = lines.length;
      // Two resolves at once, each fetching its own project (not mirrored yet) from the upstream.
      const [a, b] = await Promise.all([resolve('python-dateutil', 'req-dateutil-1'), resolve('urllib3', 'req-urllib3-1')]);
      expect(a.headers['x-request-id']).toBe('req-dateutil-1');
      expect(b.headers['x-request-id']).toBe('req-urllib3-1');
      const written = lines.slice(from);

      for (const [id, project] of [['req-dateutil-1', 'python-dateutil'], ['req-urllib3-1', 'urllib3']]) {
        const own = written.filter((l) => l.reqId === id);
        // The access line, and the upstream fetches this request caused (logged through Nest's Logger).
        expect(own.filter((l) => l.req?.url === '/v1/resolve' && l.res?.statusCode === 200)).toHaveLength(1);
        expect(own.filter((l) => l.context === 'upstream' && l.msg.includes(`/simple/${project}/`))).toHaveLength(1);
        // Every line about this project's page carries this request's id, none another's (or none).
        const about = written.filter((l) => l.msg.includes(`/simple/${project}/`));
        expect(about.length).toBeGreaterThanOrEqual(1);
        expect(about.map((l) => l.reqId)).toEqual(about.map(() => id));
      }
      // Nothing written while they ran lacks an id, except what runs outside requests (none here).
      expect(written.filter((l) => l.reqId === undefined)).toEqual([]);
    });

    it('logs a cache hit answered below NestJS like any request: its access line under its id, echoed', async () => {
      const send = (id: string) => http().post('/v1/resolve').set('X-Request-Id', id).send({ ...target, requirements: ['six'] }).expect(200);
      // 'six' was resolved and hit above: this process holds the answer and knows the request.
      const hit = await send('req-hit-1');
      expect(hit.headers).toMatchObject({ 'x-request-id': 'req-hit-1', 'x-venvfarm-cache': 'hit' });
      const own = lines.filter((l) => l.reqId === 'req-hit-1');
      expect(own).toEqual([expect.objectContaining({ level: 30, req: { method: 'POST', url: '/v1/resolve' }, res: { statusCode: 200 }, msg: expect.stringMatching(/^POST \/v1\/resolve 200 [\d.]+ ms$/) })]);
    });

    it('makes a new id when none or an unusable one comes in, different for each request', async () => {
      const plain = await http().get('/health').expect(200);
      const other = await http().get('/health').expect(200);
      const forged = await http().get('/health').set('X-Request-Id', 'two "words"').expect(200);
      const long = await http().get('/health').set('X-Request-Id', 'x'.repeat(129)).expect(200);
      const ids = [plain, other, forged, long].map((r) => r.headers['x-request-id'] as string);
      for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(new Set(ids).size).toBe(4);
      // Each has its access line under its own id.
      for (const id of ids) expect(lines.filter((l) => l.reqId === id && l.req?.url === '/health')).toHaveLength(1);
    });
  });

  describe('requests refused before a handler runs', () => {
    it('are logged with their id and timed under their route, or as unmatched', async () => {
      const broken = await http().post('/v1/resolve').set('X-Request-Id', 'req-broken-1').set('Content-Type', 'application/json').send('{"requirements": [').expect(400);
      expect(broken.headers['x-request-id']).toBe('req-broken-1');
      const missing = await http().get('/no/such/route/42').set('X-Request-Id', 'req-missing-1').expect(404);
      expect(missing.headers['x-request-id']).toBe('req-missing-1');
      expect(lines.filter((l) => l.reqId === 'req-broken-1' && l.res?.statusCode === 400 && l.level === 30)).toHaveLength(1);
      expect(lines.filter((l) => l.reqId === 'req-missing-1' && l.res?.statusCode === 404 && l.level === 30)).toHaveLength(1);
      const metrics = samples((await http().get('/metrics').expect(200)).text);
      expect(sample(metrics, 'venvfarm_http_request_duration_seconds_count', { method: 'POST', route: '/v1/resolve', status_code: '400' })?.value).toBe(1);
      expect(sample(metrics, 'venvfarm_http_request_duration_seconds_count', { method: 'GET', route: 'unmatched', status_code: '404' })?.value).toBe(1);
    });
  });

  describe('health', () => {
    it('GET /health keeps its answer; /health/live answers; /health/ready checks the database and the queue', async () => {
      expect((await http().get('/health').expect(200)).body).toEqual({ status: 'ok', version: expect.any(String) });
      expect((await http().get('/health/live').expect(200)).body).toEqual({ status: 'ok' });
      expect((await http().get('/health/ready').expect(200)).body).toEqual({ status: 'ok', checks: { database: 'ok', queue: 'ok' } });
    });

    // Last: it takes the database away.
    it('GET /health/ready is a 503 of the one error shape once the database is gone; /health/live still answers', async () => {
      dropped = true;
      await db.drop();
      const res = await http().get('/health/ready').expect(503);
      expect(res.body).toEqual({ error: 'not_ready', detail: expect.stringMatching(/^database: .*does not exist/) });
      expect((await http().get('/health/live').expect(200)).body).toEqual({ status: 'ok' });
      // The failed probe is logged at error, unlike a passing one.
      expect(lines.filter((l) => l.req?.url === '/health/ready' && l.res?.statusCode === 503).map((l) => l.level)).toEqual([50]);
    });
  });
});
