import { INestApplication } from '@nestjs/common';
import type { VenvfarmConfig } from '@venvfarm/config';
import { createTestDatabase } from '@venvfarm/db/testing';
import { ProjectChanges } from '@venvfarm/resolution';
import { execFile } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import request from 'supertest';
import { PypiSim, startPypiSim } from './support/pypi-sim';
import { ErrorBodySchema } from '../apps/api/src/common/error-body';
import { ResolveService } from '../apps/api/src/resolve/resolve.service';
import { adminAuth, createTestApp } from './support/test-app';

/**
 * `POST /v1/resolve` over HTTP against a mirror synced from pypi-sim (real data): answers,
 * formats, the cache and its invalidation by an upstream change, and every error class.
 */
const PROJECTS = ['django', 'asgiref', 'sqlparse', 'typing-extensions', 'requests', 'urllib3', 'idna', 'certifi', 'charset-normalizer', 'flask', 'werkzeug', 'jinja2', 'markupsafe', 'itsdangerous', 'click', 'blinker'];
const SYNCED = PROJECTS.filter((p) => p !== 'flask');
const target = { python: '3.11', platform: 'x86_64-manylinux_2_28' };

describe('POST /v1/resolve', () => {
  let dir: string;
  let sim: PypiSim;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: INestApplication;
  const http = () => request(app.getHttpServer());
  const resolve = (body: object) => http().post('/v1/resolve').send({ ...target, ...body });

  const createApp = (overrides: Partial<VenvfarmConfig>, beforeInit?: (app: INestApplication) => void) =>
    createTestApp({ databaseUrl: db.url, upstream: sim.simpleUrl, ...overrides }, beforeInit);

  async function syncAndWait(body: object): Promise<Record<string, unknown>> {
    const queued = await http().post('/v1/mirror/sync').set(adminAuth).send(body).expect(202);
    let job = queued.body;
    for (let i = 0; i < 900 && ['queued', 'running'].includes(job.state); i++) {
      await new Promise((r) => setTimeout(r, 200));
      job = (await http().get(`/v1/mirror/jobs/${queued.body.id}`)).body;
    }
    expect(job).toMatchObject({ state: 'done', error: null });
    return job.progress;
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'venvfarm-resolve-e2e-'));
    writeFileSync(join(dir, 'projects.txt'), PROJECTS.join('\n'));
    [sim, db] = await Promise.all([startPypiSim({ projectsFile: join(dir, 'projects.txt'), cacheDir: join(dir, 'sim') }), createTestDatabase()]);
    app = await createApp({});
    await syncAndWait({ include: SYNCED });
  }, 300_000);

  afterAll(async () => {
    await app?.close();
    await sim?.stop();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('pins a valid set with hashed files, edges and timings, then serves it from the cache', async () => {
    const first = await resolve({ requirements: ['django>=4,<5', 'requests>=2.7'] }).expect(200);
    expect(first.headers['x-venvfarm-cache']).toBe('miss');
    expect(first.body).toMatchObject({ python: '3.11', platform: 'x86_64-manylinux_2_28', cached: false, key: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const pins = Object.fromEntries(first.body.pins.map((p: { name: string; version: string }) => [p.name, p]));
    expect(Object.keys(pins).sort()).toEqual(['asgiref', 'certifi', 'charset-normalizer', 'django', 'idna', 'requests', 'sqlparse', 'urllib3']);
    expect(pins.django.version).toMatch(/^4\./);
    expect(pins.django.dependencies).toEqual(['asgiref', 'sqlparse']);
    expect(pins.django.required_by).toEqual(['-r requirements']);
    expect(pins.urllib3.required_by).toEqual(['requests']);
    expect(pins.django.files.length).toBeGreaterThan(0);
    for (const file of pins.django.files) expect(file).toEqual({ filename: expect.any(String), url: expect.stringContaining(sim.url), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(first.body.requirements_txt).toContain(`django==${pins.django.version} \\\n    --hash=sha256:`);
    expect(first.body.timings).toMatchObject({ prefetch_ms: expect.any(Number), solve_ms: expect.any(Number), total_ms: expect.any(Number) });

    const again = await resolve({ requirements: ['requests>=2.7', 'Django >= 4, < 5'] }).expect(200);
    expect(again.body).toMatchObject({ cached: true, key: first.body.key, pins: first.body.pins });
    const refreshed = await resolve({ requirements: ['django>=4,<5', 'requests>=2.7'] }).set('Cache-Control', 'no-cache').expect(200);
    expect(refreshed.body).toMatchObject({ cached: false, pins: first.body.pins });
  });

  it('answers requirements_txt input, and requirements.txt or pylock.toml output by format or Accept', async () => {
    const txt = await resolve({ requirements_txt: '# web\nrequests>=2.7  # http\n--only-binary :all:\n', format: 'requirements.txt' }).expect(200);
    expect(txt.headers['content-type']).toMatch(/^text\/plain/);
    expect(txt.text).toMatch(/^requests==[\d.]+ \\\n {4}--hash=sha256:[0-9a-f]{64}/m);
    expect(txt.text).toContain('    # via requests');
    const toml = await resolve({ requirements: ['requests'] }).set('Accept', 'application/toml').expect(200);
    expect(toml.headers['content-type']).toMatch(/^application\/toml/);
    const lock = parse(toml.text) as { 'lock-version': string; packages: { name: string; wheels?: { hashes: { sha256: string } }[] }[] };
    expect(lock['lock-version']).toBe('1.0');
    expect(lock.packages.map((p) => p.name)).toEqual(['certifi', 'charset-normalizer', 'idna', 'requests', 'urllib3']);
    expect(lock.packages.every((p) => (p.wheels ?? []).every((w) => /^[0-9a-f]{64}$/.test(w.hashes.sha256)))).toBe(true);
    const plain = await resolve({ requirements: ['requests'] }).set('Accept', 'text/plain').expect(200);
    expect(plain.text).toContain('requests==');
  });

  it('fetches a project the mirror never saw from the upstream during the resolve', async () => {
    const res = await resolve({ requirements: ['flask>=2,<3'] }).expect(200);
    expect(res.body.pins.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['flask', 'werkzeug', 'jinja2', 'click']));
    expect(res.body.timings.lazy_fetches).toBeGreaterThanOrEqual(1);
  });

  it('venvfarm resolve (built CLI) prints the pinned requirements.txt, and the explanation when unsatisfiable', async () => {
    const cli = join(__dirname, '..', 'bin', 'venvfarm.js');
    const served = await createApp({});
    try {
      await served.listen(0, '127.0.0.1');
      const server = `http://127.0.0.1:${(served.getHttpServer().address() as AddressInfo).port}`;
      writeFileSync(join(dir, 'ok.txt'), 'requests>=2.7\n');
      const ok = await promisify(execFile)(process.execPath, [cli, 'resolve', '-r', join(dir, 'ok.txt'), '--python', '3.11', '--platform', 'x86_64-manylinux_2_28', '--server', server]);
      expect(ok.stdout).toMatch(/^requests==[\d.]+ \\$/m);
      expect(ok.stdout).toMatch(/--hash=sha256:[0-9a-f]{64}/);
      writeFileSync(join(dir, 'bad.txt'), 'requests==2.31.0\nurllib3<1.21\n');
      const bad = await promisify(execFile)(process.execPath, [cli, 'resolve', '-r', join(dir, 'bad.txt'), '--python', '3.11', '--server', server]).catch((e: { code: number; stderr: string }) => e);
      expect(bad).toMatchObject({ code: 1, stderr: expect.stringMatching(/^venvfarm: unsatisfiable: .*requests==2\.31\.0 depends on urllib3/s) });
    } finally {
      await served.close();
    }
  });

  it.each([
    [{ requirements: ['django>=4,<<5'] }, { field: 'requirements[0]', position: 10, detail: expect.stringContaining('django>=4,<<5') }],
    [{ requirements_txt: 'requests\n\ndjango>=4,<<5\n' }, { field: 'requirements_txt', line: 3, position: 10, detail: expect.stringContaining('django>=4,<<5') }],
    [{ requirements_txt: '-r other.txt' }, { field: 'requirements_txt', line: 1 }],
    [{ requirements: [] }, { field: 'requirements' }],
    [{ requirements: 'django' }, { field: 'requirements' }],
    [{ requirements: ['django'], python: '3' }, { field: 'python' }],
    [{ requirements: ['django'], platform: 'sparc-solaris' }, { field: 'platform' }],
    [{ requirements: ['django'], prereleases: 'sometimes' }, { field: 'prereleases' }],
    [{ requirements: ['django'], exclude_newer: 'yesterday' }, { field: 'exclude_newer' }],
    [{ requirements: ['django'], format: 'xml' }, { field: 'format' }],
    [{ requirements: ['django'], colour: 'blue' }, { field: 'colour' }],
    [{ requirements: ['pkg @ https://127.0.0.1/pkg.whl'] }, { field: 'requirements[0]' }],
    [{ requirements: ['django'], only_binary: ['ok', 'not ok'] }, { field: 'only_binary[1]', position: 3 }],
    [{ requirements: Array(1001).fill('django') }, { field: 'requirements' }],
  ])('answers 400 naming the field for %j', async (body, expected) => {
    const res = await resolve(body).expect(400);
    expect(ErrorBodySchema.parse(res.body)).toMatchObject({ error: 'invalid_input', detail: expect.any(String), ...expected });
  });

  it('answers 400 for a body that is not JSON and 413 for one that is too large', async () => {
    const broken = await http().post('/v1/resolve').set('Content-Type', 'application/json').send('{"requirements": [').expect(400);
    expect(ErrorBodySchema.parse(broken.body).error).toBe('invalid_json');
    const huge = { requirements: Array.from({ length: 20_000 }, (_, i) => `project-number-${i}>=1.0`) };
    const res = await resolve(huge).expect(413);
    expect(ErrorBodySchema.parse(res.body).error).toBe('payload_too_large');
  });

  it('answers 404 naming a project no index has', async () => {
    const res = await resolve({ requirements: ['django', 'no-such-project-anywhere'] }).expect(404);
    expect(ErrorBodySchema.parse(res.body)).toEqual({ error: 'not_found', detail: "no index has a project named 'no-such-project-anywhere'" });
  });

  it('answers 422 unsatisfiable with the derivation in sentences', async () => {
    const res = await resolve({ requirements: ['requests==2.31.0', 'urllib3<1.21'] }).expect(422);
    expect(ErrorBodySchema.parse(res.body).error).toBe('unsatisfiable');
    expect(res.body.detail).toMatch(/requests==2\.31\.0 depends on urllib3/);
    expect(res.body.detail).toMatch(/requirements are unsatisfiable|cannot be satisfied|is forbidden/i);
  });

  it('answers 422 too_complex when the time limit passes, never hangs', async () => {
    const strict = await createApp({ resolveTimeoutMs: 1 });
    try {
      const res = await request(strict.getHttpServer()).post('/v1/resolve').set('Cache-Control', 'no-cache').send({ ...target, requirements: ['django', 'requests', 'flask'] }).expect(422);
      expect(res.body).toMatchObject({ error: 'too_complex', detail: expect.stringContaining('time limit') });
    } finally {
      await strict.close();
    }
  });

  it('recomputes a cached answer whose project changed upstream and serves the other from cache', async () => {
    const django = await resolve({ requirements: ['django>=4,<5'] }).expect(200);
    const idna = await resolve({ requirements: ['idna'] }).expect(200);
    const sqlparse = django.body.pins.find((p: { name: string }) => p.name === 'sqlparse').version;
    await sim.yank('sqlparse', sqlparse, 'broken');
    const progress = await syncAndWait({ include: SYNCED, incremental: true });
    expect(progress).toMatchObject({ mode: 'incremental', failed: 0 });

    const djangoAfter = await resolve({ requirements: ['django>=4,<5'] }).expect(200);
    expect(djangoAfter.body.cached).toBe(false);
    expect(djangoAfter.body.pins.find((p: { name: string }) => p.name === 'sqlparse').version).not.toBe(sqlparse);
    const idnaAfter = await resolve({ requirements: ['idna'] }).expect(200);
    expect(idnaAfter.body).toMatchObject({ cached: true, pins: idna.body.pins });
  }, 120_000);

  it('checks a hot answer against the serials again after any project change, and recomputes it only if its projects changed', async () => {
    const changes = app.get(ProjectChanges);
    // Resolves when the server has heard of the next change (waits on the event, not a clock).
    const changed = () =>
      new Promise<void>((done) => {
        const stop = changes.onChange(() => {
          stop();
          done();
        });
      });
    const first = await resolve({ requirements: ['certifi'] }).expect(200);
    expect((await resolve({ requirements: ['certifi'] }).expect(200)).body.cached).toBe(true);

    // A project the answer did not touch: checked again, still valid, still a hit.
    let notified = changed();
    await db.pool.query(`UPDATE projects SET serial = serial + 1 WHERE name = 'click'`);
    await notified;
    expect((await resolve({ requirements: ['certifi'] }).expect(200)).body).toMatchObject({ cached: true, pins: first.body.pins });

    // The answer's own project: the next request is computed again, then cached again.
    notified = changed();
    await db.pool.query(`UPDATE projects SET serial = serial + 1 WHERE name = 'certifi'`);
    await notified;
    expect((await resolve({ requirements: ['certifi'] }).expect(200)).body).toMatchObject({ cached: false, pins: first.body.pins });
    expect((await resolve({ requirements: ['certifi'] }).expect(200)).body.cached).toBe(true);
  });

  describe('a known request with an answer in memory, answered below NestJS (cached-answers.ts)', () => {
    // The exact bytes of the request body: the key the answer is remembered by.
    const sent = JSON.stringify({ ...target, requirements: ['charset-normalizer', 'idna'] });
    const post = (text: string) => http().post('/v1/resolve').set('Content-Type', 'application/json').send(text);
    // The same request in other bytes (each indentation once): not known, so NestJS's route answers it.
    const otherwise = (indent: number) => JSON.stringify(JSON.parse(sent), null, indent);
    const withoutTimings = ({ timings: _timings, ...rest }: Record<string, unknown>) => rest;
    let first: request.Response;
    let computations: jest.SpyInstance;

    beforeAll(async () => {
      first = await post(sent).expect(200);
      computations = jest.spyOn(app.get(ResolveService), 'resolve');
    });
    beforeEach(() => computations.mockClear());
    afterAll(() => computations.mockRestore());

    it('answers it without NestJS, with the bytes and headers NestJS answers a hit with', async () => {
      const fast = await post(sent).expect(200);
      expect(computations).not.toHaveBeenCalled();
      // The same request spelled otherwise is not known by its bytes: NestJS validates it and answers from the cache.
      const viaNest = await post(otherwise(2)).expect(200);
      expect(computations).toHaveBeenCalledTimes(1);
      for (const res of [fast, viaNest]) {
        expect(res.headers).toMatchObject({ 'x-venvfarm-cache': 'hit', etag: `"${first.body.key}"`, 'content-type': 'application/json; charset=utf-8' });
        expect(res.headers['x-request-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(res.body.timings).toEqual({ total_ms: expect.any(Number) });
      }
      expect(withoutTimings(fast.body)).toEqual(withoutTimings(viaNest.body));
      expect(withoutTimings(fast.body)).toEqual({ ...withoutTimings(first.body), cached: true });
      // Its id is the caller's when given, as on every route.
      expect((await post(sent).set('X-Request-Id', 'hit-from-memory-1').expect(200)).headers['x-request-id']).toBe('hit-from-memory-1');
      expect(computations).toHaveBeenCalledTimes(1);
    });

    it('answers in the format Accept asks for, as NestJS does', async () => {
      const fast = await post(sent).set('Accept', 'text/plain').expect(200);
      expect(computations).not.toHaveBeenCalled();
      const viaNest = await post(otherwise(3)).set('Accept', 'text/plain').expect(200);
      expect(computations).toHaveBeenCalledTimes(1);
      expect(fast.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(fast.text).toBe(viaNest.text);
      expect(fast.text).toBe(first.body.requirements_txt);
    });

    it('hands a request whose body it read but does not know to Fastify with that body, byte for byte', async () => {
      // Read by the lane (a JSON body with a Content-Length), unknown: Fastify parses the same bytes.
      const unknown = await post(JSON.stringify({ ...target, requirements: ['idna'] })).expect(200);
      expect(unknown.body.pins.map((p: { name: string }) => p.name)).toEqual(['idna']);
      const broken = await post(sent.slice(0, -1)).expect(400);
      expect(ErrorBodySchema.parse(broken.body).error).toBe('invalid_json');
      expect(computations).toHaveBeenCalledTimes(1);
    });

    it('leaves a body it cannot read as sent (chunked, compressed) to Fastify', async () => {
      // Chunked: no Content-Length, so NestJS's route validates it and answers from the cache.
      const server = app.getHttpServer() as import('node:http').Server;
      if (!server.listening) await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
      const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const chunked = await new Promise<{ status: number; body: Record<string, unknown> }>((done, fail) => {
        const req = httpRequest(`${baseUrl}/v1/resolve`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' } }, (res) => {
          let text = '';
          res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk)).on('end', () => done({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
        });
        req.on('error', fail);
        req.write(sent.slice(0, 10));
        req.end(sent.slice(10));
      });
      expect(chunked).toMatchObject({ status: 200, body: { cached: true, key: first.body.key } });
      expect(computations).toHaveBeenCalledTimes(1);
      const gzipped = await post(sent).set('Content-Encoding', 'gzip').expect(415);
      expect(ErrorBodySchema.parse(gzipped.body).error).toBe('unsupported_media_type');
    });

    it('leaves a request for a fresh answer or with a query to NestJS', async () => {
      const fresh = await post(sent).set('Cache-Control', 'max-age=0, no-cache').expect(200);
      expect(fresh.body.cached).toBe(false);
      expect(computations).toHaveBeenCalledTimes(1);
      const queried = await http().post('/v1/resolve?verbose=1').set('Content-Type', 'application/json').send(sent).expect(400);
      expect(ErrorBodySchema.parse(queried.body)).toMatchObject({ error: 'invalid_input', field: 'verbose' });
    });

    it('asks for the read token when reads need one, as NestJS does', async () => {
      const READ = 'read-token-of-the-hit-test-0123';
      const guarded = await createApp({ readToken: READ });
      try {
        const hit = () => request(guarded.getHttpServer()).post('/v1/resolve').set('Content-Type', 'application/json').send(sent);
        // Known to this app once NestJS's route has answered it.
        expect((await hit().set('Authorization', `Bearer ${READ}`).expect(200)).body.key).toBe(first.body.key);
        const answered = await hit().set('Authorization', `Bearer ${READ}`).expect(200);
        expect(answered.headers['x-venvfarm-cache']).toBe('hit');
        const none = await hit().expect(401);
        expect(none.headers['www-authenticate']).toBe('Bearer realm="venvfarm"');
        expect(ErrorBodySchema.parse(none.body).error).toBe('unauthorized');
        expect(ErrorBodySchema.parse((await hit().set('Authorization', `Bearer ${READ}x`).expect(403)).body).error).toBe('forbidden');
      } finally {
        await guarded.close();
      }
    });
  });

  it('answers 503 with Retry-After when an unknown project needs the upstream and it is down', async () => {
    await sim.stop();
    const res = await resolve({ requirements: ['some-project-never-mirrored'] }).expect(503);
    expect(res.headers['retry-after']).toBe('30');
    expect(ErrorBodySchema.parse(res.body).error).toBe('upstream_unavailable');
    await resolve({ requirements: ['idna'] }).expect(200);
  }, 60_000);

  it('describes the endpoint in OpenAPI', async () => {
    const { setupOpenApi } = await import('../apps/api/src/openapi');
    const docs = await createApp({}, setupOpenApi);
    try {
      const res = await request(docs.getHttpServer()).get('/docs-json').expect(200);
      expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/v1/resolve']));
      expect(res.body.paths['/v1/resolve'].post.requestBody.content['application/json'].examples.requirements.value.requirements).toEqual(['django>=4,<5', 'requests>=2.7']);
      await request(docs.getHttpServer()).get('/docs').expect(200);
    } finally {
      await docs.close();
    }
  });
});
