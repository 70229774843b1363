/**
 * Private indexes end to end (issue 10): an index and its tokens made with the CLI, real twine
 * (Debian's) uploading a wheel and an sdist, real pip installing them from `/{index}/simple/`,
 * and the dependency-confusion rule: the private project `six` hides the upstream's `six` for
 * pip, for `POST /v1/resolve` and for `POST /v1/builds` (a real Docker build) on that index,
 * while names the index lacks still come from the upstream. Wrong, revoked and missing tokens are
 * refused (403, 403, 401), the same file twice is 409, and bad uploads (too large, a filename
 * that disagrees with the metadata, a corrupt archive) are refused with nothing stored.
 */
import { INestApplication } from '@nestjs/common';
import { Database } from '@venvfarm/db';
import { createTestDatabase } from '@venvfarm/db/testing';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import request from 'supertest';
import { ErrorBodySchema } from '../apps/api/src/common/error-body';
import { finishedBuild } from './support/builds';
import { makeVenv, pipEnv, run } from './support/pip';
import { PypiSim, startPypiSim } from './support/pypi-sim';
import { adminAuth, createTestApp, TEST_ADMIN_TOKEN } from './support/test-app';

const WHEELHOUSE = process.env.VENVFARM_WHEELHOUSE ?? '/opt/pypi/files';
const MAKE_DIST = resolve(__dirname, 'fixtures', 'private-dist', 'make_dist.py');
const CLI = resolve(__dirname, '..', 'bin', 'venvfarm.js');
/** Small enough that a test can send a larger file. */
const UPLOAD_LIMIT = 256 * 1024;

/** Every file under `dir` (the artifact store's blobs and named objects), relative. */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else out.push(path.slice(dir.length + 1));
    }
  };
  walk(dir);
  return out.filter((p) => !p.startsWith('tmp/')).sort();
}

describe('private indexes: uploads with twine, installs with pip, and the upstream behind them', () => {
  let dir: string;
  let sim: PypiSim;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: INestApplication;
  let url: string;
  let token: string;
  let dist: string;
  const http = () => request(app.getHttpServer());
  const cli = (...args: string[]) => run(process.execPath, [CLI, ...args, '--server', url], { ...process.env, VENVFARM_ADMIN_TOKEN: TEST_ADMIN_TOKEN });
  const twine = (password: string, ...files: string[]) =>
    run('twine', ['upload', '--non-interactive', '--disable-progress-bar', '--repository-url', `${url}/acme/`, '-u', '__token__', '-p', password, ...files], pipEnv());
  /** A raw upload, as twine sends it. */
  const upload = async (authorization: string | null, filename: string, bytes: Buffer, fields: Record<string, string> = {}) => {
    const form = new FormData();
    form.set(':action', 'file_upload');
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    form.set('content', new Blob([bytes]), filename);
    const response = await fetch(`${url}/acme/`, { method: 'POST', body: form, headers: authorization === null ? {} : { Authorization: authorization } });
    return { status: response.status, headers: response.headers, body: (await response.json()) as unknown };
  };
  const basic = (password: string) => `Basic ${Buffer.from(`__token__:${password}`).toString('base64')}`;
  const counts = async () => {
    const pool = app.get(Database).pool;
    const { rows } = await pool.query<{ n: string }>(`SELECT (SELECT count(*) FROM files) || '/' || (SELECT count(*) FROM releases) || '/' || (SELECT count(*) FROM projects) AS n`);
    return { rows: rows[0].n, store: filesUnder(join(dir, 'data', 'store')) };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'venvfarm-uploads-'));
    dist = join(dir, 'dist');
    mkdirSync(dist);
    // The private `six`: version 0.1, far below the upstream's, and it needs idna from the upstream.
    execFileSync('python3', [MAKE_DIST, dist, 'six', '0.1', 'idna>=3']);
    [sim, db] = await Promise.all([startPypiSim({ args: ['--wheelhouse', WHEELHOUSE], cacheDir: join(dir, 'sim') }), createTestDatabase()]);
    app = await createTestApp({ databaseUrl: db.url, upstream: sim.simpleUrl, dataDir: join(dir, 'data'), uploadMaxBytes: UPLOAD_LIMIT, executor: 'docker' });
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    await Promise.all([sim?.stop(), db?.drop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('makes an index and its token with the CLI (admin only), and twine uploads a wheel and an sdist', async () => {
    expect(ErrorBodySchema.parse((await http().post('/v1/indexes').send({ name: 'acme' }).expect(401)).body).error).toBe('unauthorized');
    expect((await http().post('/v1/indexes').set(adminAuth).send({ name: 'simple' }).expect(400)).body.field).toBe('name');
    const created = await cli('index', 'create', 'acme');
    expect(created.stdout).toBe('created index acme (in front of pypi)\n');
    expect(created.status).toBe(0);
    expect((await http().post('/v1/indexes').set(adminAuth).send({ name: 'acme' }).expect(409)).body.error).toBe('conflict');
    const made = await cli('token', 'create', '--index', 'acme', '--description', 'tests');
    expect(made.status).toBe(0);
    token = made.stdout.trim();
    expect(token).toMatch(/^vf-[A-Za-z0-9_-]{43}$/);

    const files = readdirSync(dist).map((f) => join(dist, f));
    const uploaded = await twine(token, ...files);
    expect(uploaded.stdout + uploaded.stderr).not.toMatch(/ERROR/);
    expect(uploaded.status).toBe(0);
    const page = await http().get('/acme/simple/six/').set('Accept', 'application/vnd.pypi.simple.v1+json').expect(200);
    expect(page.body.versions).toEqual(['0.1']);
    expect(page.body.files.map((f: { filename: string }) => f.filename).sort()).toEqual(['six-0.1-py3-none-any.whl', 'six-0.1.tar.gz']);
    // The wheel's METADATA is its PEP 658 metadata, served from the store.
    const wheel = page.body.files.find((f: { filename: string }) => f.filename.endsWith('.whl'));
    const metadata = await http().get(new URL(`${wheel.url}.metadata`, `${url}/acme/simple/six/`).pathname).expect(200);
    expect(metadata.text).toContain('Requires-Dist: idna>=3');
  }, 120_000);

  it('refuses a missing token (401), a wrong or revoked one (403), and the same file twice (409)', async () => {
    const wheel = readFileSync(join(dist, 'six-0.1-py3-none-any.whl'));
    const none = await upload(null, 'six-0.1-py3-none-any.whl', wheel);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Basic/);
    expect((await upload(basic('vf-not-a-token'), 'six-0.1-py3-none-any.whl', wheel)).status).toBe(403);
    const other = (await http().post('/v1/indexes/acme/tokens').set(adminAuth).send({}).expect(201)).body as { id: number; token: string };
    await cli('token', 'revoke', String(other.id), '--index', 'acme');
    const revoked = await upload(basic(other.token), 'six-0.1-py3-none-any.whl', wheel);
    expect(revoked).toMatchObject({ status: 403, body: { error: 'forbidden', detail: 'this token was revoked' } });
    const again = await upload(basic(token), 'six-0.1-py3-none-any.whl', wheel);
    expect(again).toMatchObject({ status: 409, body: { error: 'conflict' } });
    const twiceWithTwine = await twine(token, join(dist, 'six-0.1-py3-none-any.whl'));
    expect(twiceWithTwine.status).not.toBe(0);
    expect(twiceWithTwine.stdout + twiceWithTwine.stderr).toMatch(/409 Conflict/);
  }, 60_000);

  it('refuses an oversized upload (413), a filename that disagrees with its metadata and a corrupt archive (400), storing nothing', async () => {
    const before = await counts();
    const wheel = readFileSync(join(dist, 'six-0.1-py3-none-any.whl'));
    const large = await upload(basic(token), 'six-0.2-py3-none-any.whl', Buffer.alloc(UPLOAD_LIMIT + 1000, 1));
    expect(large).toMatchObject({ status: 413, body: { error: 'payload_too_large' } });
    const renamed = await upload(basic(token), 'six-0.2-py3-none-any.whl', wheel);
    expect(renamed).toMatchObject({ status: 400, body: { error: 'invalid_input', field: 'content' } });
    expect(ErrorBodySchema.parse(renamed.body).detail).toMatch(/six-0.2-py3-none-any.whl is version 0.2, but its metadata says 0.1/);
    const otherName = await upload(basic(token), 'seven-0.1-py3-none-any.whl', wheel);
    expect(ErrorBodySchema.parse(otherName.body).detail).toMatch(/names project seven, but its metadata says six/);
    const corrupt = await upload(basic(token), 'six-0.3-py3-none-any.whl', Buffer.concat([wheel.subarray(0, 200), Buffer.alloc(300, 7)]));
    expect(corrupt).toMatchObject({ status: 400, body: { error: 'invalid_input', field: 'content' } });
    const corruptSdist = await upload(basic(token), 'six-0.3.tar.gz', Buffer.from('not gzip at all'));
    expect(corruptSdist).toMatchObject({ status: 400, body: { error: 'invalid_input' } });
    const wrongDigest = await upload(basic(token), 'six-0.1-py3-none-any.whl', wheel, { sha256_digest: '0'.repeat(64) });
    expect(wrongDigest).toMatchObject({ status: 400, body: { field: 'sha256_digest' } });
    expect(await counts()).toEqual(before);
    expect(readdirSync(join(dir, 'data', 'uploads'))).toEqual([]);
  }, 60_000);

  it('lets pip install the private six (wheel and sdist) from the index, never the upstream six, with idna from the upstream', async () => {
    for (const [venv, extra] of [['wheel', []], ['sdist', ['--no-binary', 'six']]] as const) {
      const python = makeVenv(join(dir, venv));
      const installed = await run(python, ['-m', 'pip', 'install', '--no-cache-dir', '--progress-bar', 'off', '-i', `${url}/acme/simple`, ...extra, 'six']);
      expect(installed.stdout + installed.stderr).toMatch(/Successfully installed idna-\S+ six-0\.1/);
      const imported = await run(python, ['-c', 'import six, idna; print(six.PRIVATE, six.__version__)']);
      expect(imported.stdout).toBe('True 0.1\n');
    }
    // The upstream's six is still what /simple/ serves.
    const upstream = await http().get('/simple/six/').set('Accept', 'application/vnd.pypi.simple.v1+json').expect(200);
    expect(upstream.body.versions).toContain('1.16.0');
    expect(upstream.body.versions).not.toContain('0.1');
  }, 300_000);

  it('resolves and builds against the index with the private six, and against the mirror with the upstream six', async () => {
    const onIndex = await http().post('/v1/resolve').send({ requirements: ['six'], index: 'acme', python: '3.11', platform: 'x86_64-manylinux_2_28' }).expect(200);
    expect(onIndex.body.pins.map((p: { name: string; version: string }) => `${p.name}==${p.version}`)).toEqual([expect.stringMatching(/^idna==3\./), 'six==0.1']);
    const upstream = await http().post('/v1/resolve').send({ requirements: ['six'], python: '3.11', platform: 'x86_64-manylinux_2_28' }).expect(200);
    expect(upstream.body.pins.map((p: { name: string }) => p.name)).toEqual(['six']);
    expect(upstream.body.pins[0].version).not.toBe('0.1');
    expect((await http().post('/v1/resolve').send({ requirements: ['six'], index: 'nope' }).expect(404)).body.error).toBe('not_found');

    const queued = await http().post('/v1/builds').set(adminAuth).send({ requirements: ['six'], index: 'acme', python: '3.11', platform: 'x86_64-manylinux_2_28' }).expect(202);
    const build = await finishedBuild(app, queued.body.id as number);
    expect(build).toMatchObject({ status: 'done', error: null });
    expect((build.pins as { name: string; version: string }[]).find((p) => p.name === 'six')?.version).toBe('0.1');
    const tarball = join(dir, 'env.tar.gz');
    writeFileSync(tarball, (await http().get(build.download as string).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    }).expect(200)).body as Buffer);
    expect(statSync(tarball).size).toBeGreaterThan(0);
    const listing = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' });
    expect(listing).toMatch(/site-packages\/six-0\.1\.dist-info\/METADATA/);
  }, 600_000);
});
