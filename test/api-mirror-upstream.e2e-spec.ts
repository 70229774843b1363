import { INestApplication } from '@nestjs/common';
import { createTestDatabase } from '@venvfarm/db/testing';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { ErrorBodySchema } from '../apps/api/src/common/error-body';
import { adminAuth, createTestApp } from './support/test-app';
import { PypiSim, startPypiSim } from './support/pypi-sim';

/**
 * The mirror API against a real upstream (pypi-sim on the real data): a queued sync runs in
 * the server and reports into its job, an unknown project is fetched lazily, reverse
 * dependencies answer, and a dead upstream is a 503 with Retry-After, never a 500.
 */
describe('mirror API with an upstream', () => {
  let dir: string;
  let sim: PypiSim;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: INestApplication;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'venvfarm-api-upstream-'));
    const projects = join(dir, 'projects.txt');
    writeFileSync(projects, ['six', 'idna', 'python-dateutil', 'certifi', 'urllib3'].join('\n'));
    [sim, db] = await Promise.all([startPypiSim({ projectsFile: projects, cacheDir: join(dir, 'sim') }), createTestDatabase()]);
    app = await createTestApp({ databaseUrl: db.url, upstream: sim.simpleUrl });
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await sim?.stop();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('POST /v1/mirror/sync runs the sync in the server; the job reports progress and its summary', async () => {
    const queued = await http().post('/v1/mirror/sync').set(adminAuth).send({ include: ['six', 'idna>=3'] }).expect(202);
    expect(queued.body).toMatchObject({ queue: 'mirror-sync', params: { upstream: sim.simpleUrl, include: ['six', 'idna>=3'] } });
    let job = queued.body;
    for (let i = 0; i < 300 && ['queued', 'running'].includes(job.state); i++) {
      await new Promise((r) => setTimeout(r, 200));
      job = (await http().get(`/v1/mirror/jobs/${queued.body.id}`).expect(200)).body;
    }
    expect(job).toMatchObject({ state: 'done', error: null, progress: { phase: 'done', planned: 2, failed: 0, missing: 0 } });
    expect(job.progress.releasesInserted).toBeGreaterThan(0);

    const six = await http().get('/v1/projects/six').expect(200);
    expect(six.body.releases.length).toBe(job.progress.releasesInserted - (await http().get('/v1/projects/idna')).body.releases.length);
    const idna = (await http().get('/v1/projects/idna').expect(200)).body;
    expect(idna.releases.every((r: { version: string }) => Number(r.version.split('.')[0]) >= 3)).toBe(true);
    const status = await http().get('/v1/mirror/status').expect(200);
    expect(status.body.counts.projects).toBe(2);
  });

  it('GET /v1/projects/{name} fetches a project the mirror never saw from the upstream, once', async () => {
    await sim.resetStats();
    const first = await http().get('/v1/projects/Python_Dateutil').expect(200);
    expect(first.body.name).toBe('python-dateutil');
    const withSix = first.body.releases.find((r: { dependencies: { name: string }[] }) => r.dependencies.some((d) => d.name === 'six'));
    expect(withSix).toBeDefined();
    const pages = (await sim.stats()).requests.simple_project;
    expect(pages).toBe(1);
    await http().get('/v1/projects/python-dateutil').expect(200);
    expect((await sim.stats()).requests.simple_project).toBe(pages);
  });

  it('answers 404 for a project neither the mirror nor the upstream has', async () => {
    const res = await http().get('/v1/projects/no-such-project-here').expect(404);
    expect(ErrorBodySchema.parse(res.body)).toEqual({ error: 'not_found', detail: "no project named 'no-such-project-here' in the mirror or upstream" });
  });

  it('GET /v1/projects/{name}/dependents lists the releases that require it, in a version range', async () => {
    const res = await http().get('/v1/projects/six/dependents').expect(200);
    expect(res.body.projects.map((p: { name: string }) => p.name)).toEqual(['python-dateutil']);
    expect(res.body.releases.every((r: { depth: number; dependency: string }) => r.depth === 1 && r.dependency === 'six')).toBe(true);
    expect(res.body.truncated).toBe(false);
    expect(Object.keys(res.body.releases[0]).sort()).toEqual(['dependency', 'depth', 'marker', 'project', 'requirement', 'specifier', 'version', 'yanked']);
    // Only requirements that admit some six < 1.5: the unversioned ones, not six>=1.5.
    const old = await http().get('/v1/projects/six/dependents').query({ range: '<1.5' }).expect(200);
    expect(old.body.releases.length).toBeGreaterThan(0);
    expect(old.body.releases.length).toBeLessThan(res.body.releases.length);
    expect(old.body.releases.every((r: { specifier: string }) => r.specifier === '')).toBe(true);
    const cut = await http().get('/v1/projects/six/dependents').query({ limit: '1' }).expect(200);
    expect(cut.body).toMatchObject({ truncated: true, releases: [expect.any(Object)] });
  });

  it.each([
    [{ depth: 'two' }, 'depth', 'depth: must be an integer from 1 to 5'],
    [{ limit: '100000' }, 'limit', 'limit: must be an integer from 1 to 10000'],
    [{ transitive: 'yes' }, 'transitive', 'transitive: Invalid option'],
    [{ sort: 'name' }, 'sort', 'sort: not a field of this request'],
  ])('answers 400 for dependents query %j', async (query, field, detail) => {
    const res = await http().get('/v1/projects/six/dependents').query(query).expect(400);
    expect(ErrorBodySchema.parse(res.body)).toMatchObject({ error: 'invalid_input', field, detail: expect.stringContaining(detail) });
  });

  it('answers 400 naming the parameter and the position for a version range that does not parse', async () => {
    const res = await http().get('/v1/projects/six/dependents').query({ range: '>=1,<<2' }).expect(400);
    expect(ErrorBodySchema.parse(res.body)).toMatchObject({ error: 'invalid_input', field: 'range', position: 5, detail: expect.stringContaining('>=1,<<2') });
  });

  it('answers 400 naming the parameter for a name that is not PEP 508 name syntax, before asking the upstream', async () => {
    await sim.resetStats();
    const res = await http().get(`/v1/projects/${encodeURIComponent('six;rm -rf')}`).expect(400);
    expect(ErrorBodySchema.parse(res.body)).toMatchObject({ error: 'invalid_input', field: 'name', position: 3 });
    expect((await sim.stats()).requests.simple_project ?? 0).toBe(0);
  });

  it('answers 503 with Retry-After when a lazy fetch needs the upstream and it is down; the mirror still serves', async () => {
    await sim.stop();
    const res = await http().get('/v1/projects/certifi').expect(503);
    expect(res.headers['retry-after']).toBe('30');
    expect(res.body).toMatchObject({ error: 'upstream_unavailable' });
    expect(res.body.detail).toContain('certifi');
    await http().get('/v1/projects/six').expect(200);
  }, 60_000);
});
