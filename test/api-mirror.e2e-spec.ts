import { INestApplication } from '@nestjs/common';
import { Version } from '@venvfarm/pep440';
import { createTestDatabase } from '@venvfarm/db/testing';
import request from 'supertest';
import { ErrorBodySchema } from '../apps/api/src/common/error-body';
import { adminAuth, createTestApp } from './support/test-app';

/** The mirror's HTTP API over a real PostgreSQL with a small hand-made project. */
describe('mirror API', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: INestApplication;

  beforeAll(async () => {
    db = await createTestDatabase();
    const key = (v: string) => Buffer.from(Version.parse(v).key());
    await db.pool.query(`
      INSERT INTO projects (id, index_id, name, serial) VALUES (1, 1, 'demo-pkg', 12);
      INSERT INTO requirements (id, text, target, specifier, marker) VALUES
        (1, 'requests>=2', 'requests', '>=2', NULL), (2, 'rich; extra == "cli"', 'rich', '', 'extra == "cli"');
      INSERT INTO metadata (id, digest, requires_python, provides_extras, requirement_ids)
        VALUES (1, '\\x01', '>=3.8', '{cli}', '{1,2}');`);
    await db.pool.query(
      `INSERT INTO releases (id, project_id, version, key, yanked, yanked_reason, serial) VALUES
         (1, 1, '1.0', $1, false, NULL, 10), (2, 1, '1.1', $2, true, 'broken', 12)`,
      [key('1.0'), key('1.1')],
    );
    await db.pool.query(`
      INSERT INTO files (release_id, filename, kind, tags, sha256, size, url, metadata_id) VALUES
        (1, 'demo_pkg-1.0-py3-none-any.whl', 'wheel', '{py3-none-any}', '\\xabcd', 100, 'http://127.0.0.1/f/demo_pkg-1.0-py3-none-any.whl', 1),
        (1, 'demo_pkg-1.0.tar.gz', 'sdist', NULL, NULL, NULL, NULL, 1),
        (2, 'demo_pkg-1.1.tar.gz', 'sdist', NULL, NULL, NULL, NULL, NULL);
      UPDATE indexes SET serial = 12, last_sync = now() - interval '30 seconds' WHERE name = 'pypi';`);
    // No upstream and no job runner: this suite pins the API over the rows above alone.
    app = await createTestApp({ databaseUrl: db.url, offline: true, runJobs: false });
  });

  afterAll(async () => {
    await app?.close();
    await db.drop();
  });

  it('GET /v1/projects/{name} answers releases, files and dependencies, by any spelling', async () => {
    const res = await request(app.getHttpServer()).get('/v1/projects/Demo_Pkg').expect(200);
    expect(res.body.name).toBe('demo-pkg');
    expect(res.body.releases.map((r: { version: string }) => r.version)).toEqual(['1.0', '1.1']);
    const [first, second] = res.body.releases;
    expect(first.files.map((f: { filename: string }) => f.filename)).toEqual(['demo_pkg-1.0-py3-none-any.whl', 'demo_pkg-1.0.tar.gz']);
    expect(first.files[0].sha256).toBe('abcd');
    expect(first.dependencies.map((d: { requirement: string }) => d.requirement)).toEqual(['requests>=2', 'rich; extra == "cli"']);
    expect(first.provides_extras).toEqual(['cli']);
    expect(second.yanked).toBe('broken');
    expect(second.dependencies).toEqual([]);
  });

  it('answers 404 with a JSON body for an unknown project', async () => {
    const res = await request(app.getHttpServer()).get('/v1/projects/no-such-thing').expect(404);
    expect(res.body).toEqual({ error: 'not_found', detail: "no project named 'no-such-thing' in the mirror" });
  });

  it('GET /v1/mirror/status reports serial, counts, last sync and lag', async () => {
    const res = await request(app.getHttpServer()).get('/v1/mirror/status').expect(200);
    expect(res.body).toMatchObject({ serial: 12, counts: { projects: 1, releases: 2, files: 3 } });
    expect(res.body.lag).toBeGreaterThanOrEqual(29);
    expect(typeof res.body.last_sync).toBe('string');
  });

  it('POST /v1/mirror/sync queues one job from the configured upstream and returns the same job while it is queued', async () => {
    const body = { incremental: true, include: ['django>=4'] };
    const first = await request(app.getHttpServer()).post('/v1/mirror/sync').set(adminAuth).send(body).expect(202);
    expect(first.body).toMatchObject({ state: 'queued', params: { ...body, upstream: 'https://pypi.org/simple/' } });
    const again = await request(app.getHttpServer()).post('/v1/mirror/sync').set(adminAuth).send(body).expect(202);
    expect(again.body.id).toBe(first.body.id);
    const job = await request(app.getHttpServer()).get(`/v1/mirror/jobs/${first.body.id}`).expect(200);
    expect(job.body.state).toBe('queued');
  });

  it.each([
    [{ incremental: 'yes' }, 'incremental', 'incremental: Invalid input: expected boolean'],
    [{ include: ['django>=4', 'not a requirement ^'] }, 'include[1]', 'include[1]: Expected'],
    [{ upstream: 'http://127.0.0.1:9/simple/' }, 'upstream', 'a request cannot choose one'],
    [{ surprise: 1 }, 'surprise', 'surprise: not a field of this request'],
  ])('rejects a bad sync body %j with 400 naming the field', async (body, field, detail) => {
    const res = await request(app.getHttpServer()).post('/v1/mirror/sync').set(adminAuth).send(body).expect(400);
    expect(ErrorBodySchema.parse(res.body)).toMatchObject({ error: 'invalid_input', field, detail: expect.stringContaining(detail) });
  });

  it('refuses a sync without the admin token (401) or with another (403)', async () => {
    const none = await request(app.getHttpServer()).post('/v1/mirror/sync').send({}).expect(401);
    expect(none.headers['www-authenticate']).toMatch(/^Bearer /);
    expect(ErrorBodySchema.parse(none.body).error).toBe('unauthorized');
    const wrong = await request(app.getHttpServer()).post('/v1/mirror/sync').set('Authorization', 'Bearer not-the-admin-token-at-all').send({}).expect(403);
    expect(ErrorBodySchema.parse(wrong.body).error).toBe('forbidden');
  });

  it('answers 404 for an unknown job and 400 naming the parameter for a malformed id', async () => {
    const missing = await request(app.getHttpServer()).get('/v1/mirror/jobs/999999').expect(404);
    expect(ErrorBodySchema.parse(missing.body).error).toBe('not_found');
    const malformed = await request(app.getHttpServer()).get('/v1/mirror/jobs/abc').expect(400);
    expect(ErrorBodySchema.parse(malformed.body)).toMatchObject({ error: 'invalid_input', field: 'id' });
  });
});
