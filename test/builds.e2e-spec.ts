/**
 * The build API end to end on real Docker (issue 9): `POST /v1/builds` resolves through the
 * lazy mirror (pypi-sim with this machine's real wheels), `serve`'s in-process worker builds in
 * the offline builder image, and the tarball is served with `GET /v1/envs/{key}.tar.gz`.
 * Identical concurrent requests make one build; a second request is a cache hit that starts no
 * container and asks the upstream nothing.
 */
import { INestApplication } from '@nestjs/common';
import { BuildExecutor, DockerExecutor } from '@venvfarm/builds';
import { createTestDatabase } from '@venvfarm/db/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { ErrorBodySchema } from '../apps/api/src/common/error-body';
import { BuildSchema } from '../apps/api/src/builds/dto/builds.dto';
import { binaryBody } from './support/binary-body';
import { finishedBuild } from './support/builds';
import { PypiSim, startPypiSim } from './support/pypi-sim';
import { adminAuth, createTestApp } from './support/test-app';

const WHEELHOUSE = process.env.VENVFARM_WHEELHOUSE ?? '/opt/pypi/files';
const BODY = { requirements: ['six', 'idna', 'markupsafe', 'pygments', 'certifi'], python: '3.11', platform: 'x86_64-manylinux_2_28' };

describe('builds over HTTP', () => {
  let sim: PypiSim;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: INestApplication;
  let dataDir: string;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'venvfarm-builds-e2e-'));
    [sim, db] = await Promise.all([startPypiSim({ args: ['--wheelhouse', WHEELHOUSE] }), createTestDatabase()]);
    app = await createTestApp({ databaseUrl: db.url, upstream: sim.simpleUrl, dataDir, executor: 'docker' });
  });

  afterAll(async () => {
    await app?.close();
    await Promise.all([sim?.stop(), db?.drop()]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  const finished = (id: number) => finishedBuild(app, id);

  it('refuses an unauthenticated build, and a target no builder has, naming what there is', async () => {
    const anonymous = await http().post('/v1/builds').send(BODY).expect(401);
    expect(ErrorBodySchema.parse(anonymous.body).error).toBe('unauthorized');
    const none = await http().post('/v1/builds').set(adminAuth).send({ ...BODY, python: '3.12' }).expect(422);
    expect(ErrorBodySchema.parse(none.body)).toMatchObject({ error: 'no_builder', detail: expect.stringContaining('Python 3.11 on x86_64-manylinux_2_36') });
  });

  it('makes one build of 20 concurrent identical requests, streams its log, and serves the tarball with ranges', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, () => http().post('/v1/builds').set(adminAuth).send(BODY)));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(202));
    const ids = new Set(answers.map((a) => BuildSchema.parse(a.body).id));
    expect(ids.size).toBe(1);
    const [id] = ids;
    const build = await finished(id);
    expect(build).toMatchObject({ status: 'done', error: null, python: '3.11', executor: 'docker' });
    expect((build.pins as { name: string }[]).map((p) => p.name)).toEqual(['certifi', 'idna', 'markupsafe', 'pygments', 'six']);
    expect(Object.keys(build.timings as object)).toEqual(expect.arrayContaining(['stage', 'install', 'pack', 'store', 'total']));
    const list = await http().get('/v1/builds?status=done&limit=5').expect(200);
    expect(list.body.map((b: { id: number }) => b.id)).toEqual([id]);

    const log = await http().get(`/v1/builds/${id}/log`).expect(200);
    expect(log.text).toMatch(/staged 5 files \(5 downloaded\)/);
    expect(log.text).toMatch(/Successfully installed/);
    const events = await http().get(`/v1/builds/${id}/log`).set('Accept', 'text/event-stream').expect(200);
    expect(events.text).toMatch(/^event: log\ndata: build /);
    expect(events.text).toMatch(/event: end\ndata: done\n\n$/);

    const download = build.download as string;
    const whole = await http().get(download).buffer(true).parse(binaryBody).expect(200);
    const bytes = whole.body as Buffer;
    expect(whole.headers['content-length']).toBe(String(bytes.length));
    expect(bytes.length).toBe(build.size);
    expect(whole.headers.etag).toBe(`"${build.key as string}"`);
    expect(whole.headers['cache-control']).toContain('immutable');
    expect(bytes.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    const part = await http().get(download).set('Range', 'bytes=10-109').buffer(true).parse(binaryBody).expect(206);
    expect(part.headers['content-range']).toBe(`bytes 10-109/${bytes.length}`);
    expect(part.body).toEqual(bytes.subarray(10, 110));
    await http().get(download).set('If-None-Match', `"${build.key as string}"`).expect(304);
    const past = await http().get(download).set('Range', `bytes=${bytes.length}-`).expect(416);
    expect(past.headers['content-range']).toBe(`bytes */${bytes.length}`);
    expect(ErrorBodySchema.parse(past.body).error).toBe('range_not_satisfiable');
  });

  it('answers a built key at once: no container started, nothing asked of the upstream', async () => {
    const executor = app.get(BuildExecutor) as DockerExecutor;
    const containers = executor.containersCreated;
    await sim.resetStats();
    const again = await http().post('/v1/builds').set(adminAuth).send({ ...BODY, requirements: [...BODY.requirements].reverse() }).expect(200);
    expect(BuildSchema.parse(again.body).status).toBe('done');
    const env = await http().post('/v1/envs').set(adminAuth).send(BODY).expect(200);
    expect(env.headers['content-type']).toBe('application/gzip');
    expect(executor.containersCreated).toBe(containers);
    // What reached the index: every kind of request but the simulator's own controls (the reset).
    const { sim: _controls, ...upstream } = (await sim.stats()).requests;
    expect(upstream).toEqual({});
  });

  it('builds a lock as it is: the lock of a resolution is the same build, in either format; its files come from the mirror by hash', async () => {
    const built = BuildSchema.parse((await http().post('/v1/builds').set(adminAuth).send(BODY).expect(200)).body);
    const target = { python: BODY.python, platform: BODY.platform };
    const resolved = await http().post('/v1/resolve').send(BODY).expect(200);
    const pylock = await http().post('/v1/resolve').send({ ...BODY, format: 'pylock.toml' }).expect(200);
    // A lock's URLs are the client's, never fetched: the server finds the files by their hashes.
    const elsewhere = pylock.text.replace(/url = "[^"]*"/g, 'url = "http://169.254.169.254/latest/meta-data"');
    expect(elsewhere).not.toBe(pylock.text);
    for (const lock of [resolved.body.requirements_txt as string, pylock.text, elsewhere]) {
      const again = await http().post('/v1/builds').set(adminAuth).send({ lock, ...target }).expect(200);
      expect(BuildSchema.parse(again.body)).toMatchObject({ key: built.key, status: 'done' });
    }
    // A lock of one of the files (pip-compile may list fewer hashes than there are files).
    const six = resolved.body.pins.find((p: { name: string }) => p.name === 'six');
    const one = await http().post('/v1/builds').set(adminAuth).send({ lock: `six==${six.version} --hash=sha256:${six.files[0].sha256}\n`, ...target });
    expect([200, 202]).toContain(one.status);
    expect(BuildSchema.parse(one.body).pins).toEqual([expect.objectContaining({ name: 'six', version: six.version, filename: six.files[0].filename })]);
  });

  it('refuses a lock it cannot build as is, naming the pin or the line', async () => {
    const target = { python: BODY.python, platform: BODY.platform };
    const wrong = await http().post('/v1/builds').set(adminAuth).send({ lock: `six==1.16.0 --hash=sha256:${'0'.repeat(64)}\n`, ...target }).expect(422);
    expect(ErrorBodySchema.parse(wrong.body)).toMatchObject({ error: 'unbuildable', detail: expect.stringContaining("six==1.16.0: none of the lock's 1 sha256 hash(es)") });
    const unknown = await http().post('/v1/builds').set(adminAuth).send({ lock: `no-such-project-anywhere==1.0 --hash=sha256:${'0'.repeat(64)}\n`, ...target }).expect(422);
    expect(ErrorBodySchema.parse(unknown.body).detail).toContain('no-such-project-anywhere==1.0: no index has this project');
    const unhashed = await http().post('/v1/builds').set(adminAuth).send({ lock: 'idna==3.4\n', ...target }).expect(400);
    expect(ErrorBodySchema.parse(unhashed.body)).toMatchObject({ error: 'invalid_input', field: 'lock', line: 1, detail: expect.stringContaining('idna==3.4 has no sha256 hash') });
    const both = await http().post('/v1/builds').set(adminAuth).send({ lock: `idna==3.4 --hash=sha256:${'0'.repeat(64)}`, requirements: ['idna'], ...target }).expect(400);
    expect(ErrorBodySchema.parse(both.body)).toMatchObject({ field: 'requirements', detail: expect.stringContaining('a lock is built as it is') });
    expect((await http().post('/v1/builds').send({ lock: 'idna==3.4\n', ...target }).expect(401)).body.error).toBe('unauthorized');
  });

  it('POST /v1/envs waits for a build it starts, or answers 202 with it when told not to wait', async () => {
    const queued = await http().post('/v1/envs?wait=0').set(adminAuth).send({ ...BODY, requirements: ['idna'] }).expect(202);
    expect(BuildSchema.parse(queued.body).status).toMatch(/^(queued|building)$/);
    const waited = await http().post('/v1/envs?wait=300').set(adminAuth).send({ ...BODY, requirements: ['six'] }).buffer(true).parse(binaryBody).expect(200);
    expect(waited.headers['content-type']).toBe('application/gzip');
    expect((waited.body as Buffer).length).toBe(Number(waited.headers['content-length']));
  });

  it('checks the wait of POST /v1/envs and the ids and keys of the read routes', async () => {
    expect(ErrorBodySchema.parse((await http().post('/v1/envs?wait=-1').set(adminAuth).send(BODY).expect(400)).body).field).toBe('wait');
    expect(ErrorBodySchema.parse((await http().get('/v1/builds/x').expect(400)).body).field).toBe('id');
    expect(ErrorBodySchema.parse((await http().get('/v1/builds/999999').expect(404)).body).error).toBe('not_found');
    expect(ErrorBodySchema.parse((await http().get(`/v1/envs/${'0'.repeat(64)}.tar.gz`).expect(404)).body).error).toBe('not_found');
    expect(ErrorBodySchema.parse((await http().get('/v1/envs/../../etc/passwd').expect(404)).body).error).toBe('not_found');
    expect(ErrorBodySchema.parse((await http().get('/v1/envs/abc.tar.gz').expect(400)).body).field).toBe('file');
  });
});
