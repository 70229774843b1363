/**
 * The package index with real pip (issue 10): venvfarm in front of pypi-sim serving this
 * machine's real wheels. pip installs a 20+ package set through `/simple/` into a fresh venv and
 * the packages import; a second install into another fresh venv reaches the upstream zero times;
 * the HTML and the JSON pages each work for pip on their own; pip reads PEP 658 metadata instead
 * of downloading wheels to read it. With the upstream failing 10% of its requests, an install
 * through the proxy still succeeds; a file whose upstream bytes do not match the listed hash is
 * neither stored nor served whole.
 */
import { INestApplication } from '@nestjs/common';
import { ArtifactStore } from '@venvfarm/artifacts';
import { Database } from '@venvfarm/db';
import { createTestDatabase } from '@venvfarm/db/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { ErrorBodySchema } from '../apps/api/src/common/error-body';
import { metadataSettled } from './support/mirror-settled';
import { HTML_ONLY_PYTHON, makeVenv, pinsFromWheelhouse, run } from './support/pip';
import { PypiSim, PypiSimOptions, startPypiSim } from './support/pypi-sim';
import { createTestApp } from './support/test-app';

const WHEELHOUSE = process.env.VENVFARM_WHEELHOUSE ?? '/opt/pypi/files';
/** A web stack: 20 pins, compiled ones among them (pydantic-core, markupsafe). */
const SET = ['fastapi', 'uvicorn', 'httpx', 'jinja2', 'python-multipart'];
/** Import names of some of the pins. */
const IMPORTS = ['fastapi', 'uvicorn', 'httpx', 'jinja2', 'multipart', 'pydantic', 'pydantic_core', 'starlette', 'anyio', 'markupsafe', 'idna', 'certifi', 'h11', 'click', 'httpcore', 'typing_inspection'];

/** pypi-sim (real wheels), a database and the API listening on loopback, for one describe block. */
function useIndex(simOptions: PypiSimOptions) {
  const fixture = {} as { dir: string; sim: PypiSim; db: Awaited<ReturnType<typeof createTestDatabase>>; app: INestApplication; url: string };
  beforeAll(async () => {
    fixture.dir = mkdtempSync(join(tmpdir(), 'venvfarm-index-pip-'));
    [fixture.sim, fixture.db] = await Promise.all([startPypiSim({ ...simOptions, args: ['--wheelhouse', WHEELHOUSE], cacheDir: join(fixture.dir, 'sim') }), createTestDatabase()]);
    fixture.app = await createTestApp({ databaseUrl: fixture.db.url, upstream: fixture.sim.simpleUrl, dataDir: join(fixture.dir, 'data') });
    await fixture.app.listen(0, '127.0.0.1');
    fixture.url = `http://127.0.0.1:${(fixture.app.getHttpServer().address() as { port: number }).port}`;
  }, 180_000);
  afterAll(async () => {
    await fixture.app?.close();
    await Promise.all([fixture.sim?.stop(), fixture.db?.drop()]);
    rmSync(fixture.dir, { recursive: true, force: true });
  });
  return fixture;
}

/** pip installs `args` from the index into a fresh venv under the fixture's folder. */
async function pipInstall(index: { dir: string; url: string }, venv: string, args: readonly string[], interpreter?: string) {
  const python = makeVenv(join(index.dir, venv), interpreter);
  const result = await run(python, ['-m', 'pip', 'install', '--no-cache-dir', '--disable-pip-version-check', '--progress-bar', 'off', '-i', `${index.url}/simple`, ...args]);
  return { python, ...result };
}

describe('the package index with real pip', () => {
  const index = useIndex({});
  let pins: string[];
  beforeAll(() => {
    pins = pinsFromWheelhouse(WHEELHOUSE, SET);
  });

  it('installs a 20+ package set that imports, reading PEP 658 metadata; a second install asks the upstream nothing', async () => {
    expect(pins.length).toBeGreaterThanOrEqual(20);
    await index.sim.resetStats();
    const first = await pipInstall(index, 'first', pins);
    expect(first.stderr + first.stdout).toMatch(/Successfully installed/);
    expect(first.status).toBe(0);
    const imported = await run(first.python, ['-c', `import ${IMPORTS.join(', ')}; import pydantic_core; print(pydantic_core.__version__)`]);
    expect(imported.stderr).toBe('');
    expect(imported.status).toBe(0);
    const upstream = await index.sim.stats();
    // Each wheel came from the upstream once, and pip read metadata from .metadata files: the
    // proxy fetched exactly the wheels installed, no more.
    const downloads = Object.values(upstream.artifact_downloads as Record<string, number>);
    expect(downloads.length).toBe(pins.length);
    expect(downloads.every((n) => n === 1)).toBe(true);
    const served = await request(index.app.getHttpServer()).get('/metrics').expect(200);
    expect(served.text).toMatch(/venvfarm_index_files_served_total\{source="upstream"\} \d+/);

    // The mirror fetches the metadata of the projects the pages listed after serving them; that is the mirror's own work, done once.
    await metadataSettled((sql) => index.db.pool.query(sql), 120_000);
    await index.sim.resetStats();
    const second = await pipInstall(index, 'second', pins);
    expect(second.status).toBe(0);
    const again = await index.sim.stats();
    expect(again.requests_total - (again.requests.sim ?? 0)).toBe(0);
    expect((await run(second.python, ['-c', `import ${IMPORTS.join(', ')}`])).status).toBe(0);
  }, 600_000);

  it('serves pip from the HTML pages alone (pip 22.0, before PEP 691) and from the JSON pages alone (pip 23)', async () => {
    const pages = (await Promise.all(['text/html', 'application/vnd.pypi.simple.v1+json'].map((accept) => request(index.app.getHttpServer()).get('/simple/six/').set('Accept', accept).expect(200)))).map((r) => r.headers['content-type']);
    expect(pages).toEqual(['text/html; charset=utf-8', 'application/vnd.pypi.simple.v1+json']);
    const html = await pipInstall(index, 'html', ['-v', 'six', 'idna'], HTML_ONLY_PYTHON);
    expect(html.status).toBe(0);
    // pip 22.0 reads no JSON page at all: it asked for, and parsed, HTML.
    expect(html.stdout).toMatch(/Using pip 22\.0/);
    const json = await pipInstall(index, 'json', ['-vv', 'six', 'idna']);
    expect(json.status).toBe(0);
    expect(json.stdout).toMatch(/Fetched page \S+\/simple\/idna\/ as application\/vnd\.pypi\.simple\.v1\+json/);
  }, 300_000);

  it('answers a kept page and a small stored file again with the same bytes and headers (from the lane in front of Fastify), and 304s', async () => {
    const http = () => request(index.app.getHttpServer());
    const json = 'application/vnd.pypi.simple.v1+json';
    const first = await http().get('/simple/idna/').set('Accept', json).expect(200);
    const again = await http().get('/simple/idna/').set('Accept', json).expect(200);
    for (const header of ['etag', 'content-type', 'cache-control', 'vary', 'x-pypi-last-serial', 'content-length']) expect([header, again.headers[header]]).toEqual([header, first.headers[header]]);
    expect(again.text).toBe(first.text);
    await http().get('/simple/idna/').set('Accept', json).set('If-None-Match', first.headers.etag as string).expect(304);
    const html = await http().get('/simple/idna/').expect(200);
    expect(html.headers['content-type']).toBe('text/html; charset=utf-8');
    // A wheel's metadata file is small: once read, it is held in memory and answered from there.
    const wheel = (first.body.files as { filename: string; url: string; 'core-metadata': false | { sha256: string } }[]).find((f) => f['core-metadata'] !== false)!;
    const path = new URL(`${wheel.url}.metadata`, `${index.url}/simple/idna/`).pathname;
    const metadata = [await http().get(path).expect(200), await http().get(path).expect(200)];
    expect(metadata[1].text).toBe(metadata[0].text);
    expect(metadata.map((m) => m.headers.etag)).toEqual([`"${(wheel['core-metadata'] as { sha256: string }).sha256}"`, `"${(wheel['core-metadata'] as { sha256: string }).sha256}"`]);
    await http().get(path).set('If-None-Match', metadata[0].headers.etag as string).expect(304);
    const ranged = await http().get(path).set('Range', 'bytes=0-9').expect(206);
    expect(ranged.text).toBe(metadata[0].text.slice(0, 10));
  });

  it('refuses path traversal, absurd names and unknown files clearly, and stores nothing for them', async () => {
    const store = index.app.get(ArtifactStore);
    const http = () => request(index.app.getHttpServer());
    for (const path of ['/files/..%2F..%2Fetc/passwd', `/files/${'a'.repeat(64)}/..`, `/files/${'a'.repeat(64)}/a%2Fb.whl`, '/files/not-a-hash/six.whl', `/simple/${'x'.repeat(300)}/`, '/simple/-bad-/']) {
      const answer = await http().get(path);
      expect([400, 404]).toContain(answer.status);
      expect(ErrorBodySchema.parse(answer.body).detail.length).toBeGreaterThan(0);
    }
    const unknown = await http().get(`/files/${'ab'.repeat(32)}/six-1.16.0-py2.py3-none-any.whl`).expect(404);
    expect(ErrorBodySchema.parse(unknown.body).error).toBe('not_found');
    expect(await store.has('ab'.repeat(32))).toBe(false);
  });

  it('does not store nor serve whole a file whose upstream bytes do not match the listed hash', async () => {
    const db2 = index.app.get(Database).pool;
    // The mirror lists a hash the upstream's bytes do not have (as when the upstream is tampered with).
    const wrong = 'cd'.repeat(32);
    const { rows } = await db2.query<{ filename: string }>(
      `UPDATE files SET sha256 = decode($1, 'hex') WHERE id = (SELECT f.id FROM files f JOIN releases r ON r.id = f.release_id JOIN projects p ON p.id = r.project_id WHERE p.name = 'six' AND f.filename LIKE '%.whl' ORDER BY r.key DESC LIMIT 1) RETURNING filename`,
      [wrong],
    );
    const [{ filename }] = rows;
    const answer = await fetch(`${index.url}/files/${wrong}/${filename}`).then(
      async (r) => ({ status: r.status, body: await r.arrayBuffer().then((b) => b.byteLength, () => -1) }),
      () => ({ status: 0, body: -1 }),
    );
    // Either the stream was cut (the body could not be read whole) or an error answered.
    expect(answer.status === 502 || answer.body === -1).toBe(true);
    expect(await index.app.get(ArtifactStore).has(wrong)).toBe(false);
    const again = await request(index.app.getHttpServer()).get(`/files/${wrong}/${filename}`).expect(502);
    expect(ErrorBodySchema.parse(again.body).error).toBe('upstream_hash_mismatch');
    const metrics = await request(index.app.getHttpServer()).get('/metrics').expect(200);
    expect(metrics.text).toMatch(/venvfarm_index_hash_mismatches_total 2/);
  });
});

describe('the package index when the upstream fails 10% of its requests', () => {
  const index = useIndex({ failRate: 0.1, seed: 7 });

  it('installs a 20+ package set through the proxy, and stored files are served with the upstream gone', async () => {
    const pins = pinsFromWheelhouse(WHEELHOUSE, SET);
    const result = await pipInstall(index, 'venv', pins);
    expect(result.stderr + result.stdout).toMatch(/Successfully installed/);
    expect(result.status).toBe(0);
    expect((await index.sim.stats()).injected_failures).toBeGreaterThan(0);

    const page = await request(index.app.getHttpServer()).get('/simple/idna/').set('Accept', 'application/vnd.pypi.simple.v1+json').expect(200);
    const idna = (page.body.files as { filename: string; url: string }[]).find((f) => pins.some((p) => f.filename.startsWith(`idna-${p.split('==')[1]}-`)))!;
    await index.sim.stop();
    const stored = await request(index.app.getHttpServer()).get(new URL(idna.url, `${index.url}/simple/idna/`).pathname).expect(200);
    expect(stored.headers['cache-control']).toContain('immutable');
    const other = (page.body.files as { filename: string; url: string }[]).find((f) => f !== idna && f.filename.endsWith('.whl'))!;
    const down = await request(index.app.getHttpServer()).get(new URL(other.url, `${index.url}/simple/idna/`).pathname).expect(503);
    expect(down.headers['retry-after']).toBeDefined();
    expect(ErrorBodySchema.parse(down.body).error).toBe('upstream_unavailable');
  }, 600_000);
});
