import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pool } from 'pg';
import { Version } from '@venvfarm/pep440';
import { createTestDatabase } from '@venvfarm/db/testing';
import { candidateClosure, ensureProject, LazyMirror, parseAllowList, PENDING_SERIAL, ReleaseFilter, startEnsuring, syncMirror, SyncSummary } from '@venvfarm/mirror';
import { SpecifierSet } from '@venvfarm/pep440';
import { parseProjectName, parseTarget } from '@venvfarm/pep508';
import { ChangelogEntry, RetryEvent, UpstreamClient, UpstreamError } from '@venvfarm/upstream';
import { mirrorSyncCommand } from '../apps/cli/src/mirror-sync.command';
import { POPULAR_TXT, PypiSim, REPO_ROOT, startPypiSim } from './support/pypi-sim';

/**
 * The metadata sync against real pypi-sim serving the real data set (popular.txt) as of serial
 * S, then advanced: full sync of an allow-list, incremental from the XML-RPC changelog and from
 * the root index's `_last-serial`, a yank upstream, 10% injected failures, and a malformed page
 * and metadata file served by a loopback proxy of our own.
 */
jest.setTimeout(120_000);

/** As of S each of these has older releases; advancing to S2 reveals the newest of about half. */
const S = 3_700_000;
const S2 = 3_900_000;
const ALLOW_LIST = `# twenty popular projects
flask
django>=4        # only the 4.x releases and later
requests
click
jinja2
werkzeug
itsdangerous
blinker
markupsafe
attrs
six
packaging
urllib3
idna
certifi
pytest
pluggy
iniconfig
celery
kombu
`;
const filter = () => new ReleaseFilter(parseAllowList(ALLOW_LIST), null);

type Db = Awaited<ReturnType<typeof createTestDatabase>>;

async function releaseCounts(pool: Pool): Promise<Map<string, number>> {
  const { rows } = await pool.query<{ name: string; n: string }>(
    'SELECT p.name, count(r.id) AS n FROM projects p LEFT JOIN releases r ON r.project_id = p.id GROUP BY p.name',
  );
  return new Map(rows.map((r) => [r.name, Number(r.n)]));
}

async function totals(pool: Pool): Promise<{ projects: number; releases: number; files: number; withMetadata: number; yanked: number }> {
  const { rows } = await pool.query(`SELECT
      (SELECT count(*) FROM projects)::int AS projects, (SELECT count(*) FROM releases)::int AS releases,
      (SELECT count(*) FROM files)::int AS files, (SELECT count(*) FROM files WHERE metadata_id IS NOT NULL)::int AS "withMetadata",
      (SELECT count(*) FROM releases WHERE yanked)::int AS yanked`);
  return rows[0];
}

const indexSerial = async (pool: Pool) => Number((await pool.query(`SELECT serial FROM indexes WHERE name = 'pypi'`)).rows[0].serial);

/** Runs `venvfarm mirror sync ...` in-process against `db`, returning what it printed. */
async function cli(db: Db, args: string[]): Promise<string> {
  let out = '';
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += chunk.toString();
    return true;
  });
  try {
    await mirrorSyncCommand({ ...process.env, DATABASE_URL: db.url }).exitOverride().parseAsync(args, { from: 'user' });
  } finally {
    write.mockRestore();
  }
  return out;
}

describe('mirror sync against pypi-sim', () => {
  let cacheDir: string;
  let sim: PypiSim;
  let viaChangelog: Db;
  let viaRootIndex: Db;
  let listFile: string;
  let initial: SyncSummary;

  beforeAll(async () => {
    cacheDir = mkdtempSync(join(tmpdir(), 'venvfarm-sync-e2e-'));
    listFile = join(cacheDir, 'allow.txt');
    writeFileSync(listFile, ALLOW_LIST);
    [sim, viaChangelog, viaRootIndex] = await Promise.all([
      startPypiSim({ projectsFile: POPULAR_TXT, serial: S, cacheDir: join(cacheDir, 'sim') }),
      createTestDatabase(),
      createTestDatabase(),
    ]);
  });

  afterAll(async () => {
    await sim?.stop();
    await viaChangelog?.drop();
    await viaRootIndex?.drop();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  it('a full sync mirrors the allow-listed projects, releases the specifiers admit, and metadata from .metadata files only', async () => {
    await sim.resetStats();
    initial = await syncMirror(viaChangelog.pool, { upstream: new UpstreamClient(sim.simpleUrl), filter: filter() });
    const stats = await sim.stats();
    expect(initial).toMatchObject({ mode: 'full', planned: 20, failed: 0, missing: 0, serialAfter: S });
    expect(initial.failures).toEqual([]);
    // A metadata sync downloads no artifact; each .metadata hash is read once.
    expect(stats.requests.file ?? 0).toBe(0);
    expect(stats.requests.metadata).toBe(initial.metadataFetched);

    const counts = await releaseCounts(viaChangelog.pool);
    expect([...counts.keys()].sort()).toEqual([...parseAllowList(ALLOW_LIST).entries.keys()].sort());
    const django = await viaChangelog.pool.query<{ version: string }>(`SELECT version FROM releases r JOIN projects p ON p.id = r.project_id WHERE p.name = 'django'`);
    expect(django.rows.length).toBeGreaterThan(0);
    expect(django.rows.every((r) => Version.parse(r.version).compare(Version.parse('4')) >= 0)).toBe(true);

    const flask = await viaChangelog.pool.query(
      `SELECT rq.text FROM files f JOIN releases r ON r.id = f.release_id JOIN projects p ON p.id = r.project_id
       JOIN metadata m ON m.id = f.metadata_id JOIN requirements rq ON rq.id = ANY (m.requirement_ids)
       WHERE p.name = 'flask' AND f.filename = 'Flask-2.2.5-py3-none-any.whl'`,
    );
    expect(flask.rows.map((r) => r.text)).toContain('Werkzeug (>=2.2.2)');
    const t = await totals(viaChangelog.pool);
    expect(t.withMetadata).toBeGreaterThan(0);

    // The same sync through the root index only (no XML-RPC): the same rows.
    await syncMirror(viaRootIndex.pool, { upstream: new UpstreamClient(sim.simpleUrl, { xmlRpcUrl: null }), filter: filter() });
    expect(await totals(viaRootIndex.pool)).toEqual(t);

    // A second full sync changes nothing and downloads no metadata again.
    const again = await syncMirror(viaChangelog.pool, { upstream: new UpstreamClient(sim.simpleUrl), filter: filter() });
    expect(again).toMatchObject({ releasesInserted: 0, filesInserted: 0, metadataFetched: 0 });
    expect(await totals(viaChangelog.pool)).toEqual(t);
  });

  it('after the upstream advances and yanks, --incremental picks up exactly the changelog\'s releases and the yank', async () => {
    const before = await releaseCounts(viaChangelog.pool);
    await sim.advance(S2);
    const yanked = await sim.yank('click', '8.1.3', 'broken on windows');
    expect(yanked.serial).toBeGreaterThan(S2);

    // What the upstream says changed, filtered by the allow-list the way a user reads it.
    const changelog: ChangelogEntry[] = await new UpstreamClient(sim.simpleUrl).changelogSinceSerial(S);
    const allowed = parseAllowList(ALLOW_LIST).entries;
    const expected = new Map<string, number>();
    for (const row of changelog) {
      if (row.action !== 'new release' || !allowed.has(row.name)) continue;
      if (row.name === 'django' && Version.parse(row.version!).compare(Version.parse('4')) < 0) continue;
      expected.set(row.name, (expected.get(row.name) ?? 0) + 1);
    }
    expect([...expected.values()].reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(5);
    expect(changelog.some((r) => r.name === 'click' && r.action === 'yank release')).toBe(true);

    await sim.resetStats();
    const out = await cli(viaChangelog, ['--upstream', sim.simpleUrl, '--include', listFile, '--incremental']);
    expect(out).toMatch(/incremental \(xml-rpc\)/);
    const stats = await sim.stats();
    expect(stats.xmlrpc_calls.changelog_since_serial).toBeGreaterThanOrEqual(1);
    // Only changed projects are fetched: no root index, one page per changed project.
    expect(stats.requests.simple_index ?? 0).toBe(0);
    expect(stats.requests.simple_project).toBe(new Set([...expected.keys(), 'click']).size);

    const viaRoot = await syncMirror(viaRootIndex.pool, { upstream: new UpstreamClient(sim.simpleUrl, { xmlRpcUrl: null }), filter: filter(), incremental: true });
    expect(viaRoot).toMatchObject({ mode: 'incremental', changesFrom: 'root-index', failed: 0 });

    for (const db of [viaChangelog, viaRootIndex]) {
      const after = await releaseCounts(db.pool);
      const added = new Map([...after].map(([name, n]) => [name, n - (before.get(name) ?? 0)]).filter(([, n]) => n !== 0) as Array<[string, number]>);
      expect(added).toEqual(expected);
      const click = await db.pool.query(
        `SELECT r.yanked, r.yanked_reason, bool_and(f.yanked) AS files_yanked FROM releases r JOIN projects p ON p.id = r.project_id
         JOIN files f ON f.release_id = r.id WHERE p.name = 'click' AND r.version = '8.1.3' GROUP BY r.id`,
      );
      expect(click.rows).toEqual([{ yanked: true, yanked_reason: 'broken on windows', files_yanked: true }]);
      expect(await indexSerial(db.pool)).toBe(yanked.serial);
    }
    expect(await totals(viaRootIndex.pool)).toEqual(await totals(viaChangelog.pool));

    // Nothing changed since: an incremental run fetches no page.
    await sim.resetStats();
    const idle = await syncMirror(viaChangelog.pool, { upstream: new UpstreamClient(sim.simpleUrl), filter: filter(), incremental: true });
    expect(idle).toMatchObject({ planned: 0, serialAfter: yanked.serial });
    expect((await sim.stats()).requests.simple_project ?? 0).toBe(0);
  });

  it('ensureProject fetches a project the mirror has never seen, once', async () => {
    const upstream = new UpstreamClient(sim.simpleUrl);
    const [a, b] = await Promise.all([ensureProject(viaChangelog.pool, upstream, 'MarkupSafe'), ensureProject(viaChangelog.pool, upstream, 'Jinja2')]);
    expect(a).toMatchObject({ status: 'present', name: 'markupsafe' });
    expect(b.status).toBe('present');
    await sim.resetStats();
    const results = await Promise.all([ensureProject(viaChangelog.pool, upstream, 'Blinker_Extra_Missing'), ensureProject(viaChangelog.pool, upstream, 'zope.interface'), ensureProject(viaChangelog.pool, upstream, 'zope-interface')]);
    expect(results.map((r) => r.status)).toEqual(['missing', 'fetched', 'fetched']);
    expect((await sim.stats()).requests.simple_project).toBe(2);
    expect((await releaseCounts(viaChangelog.pool)).get('zope-interface')).toBeGreaterThan(10);
    expect((await ensureProject(viaChangelog.pool, upstream, 'zope-interface')).status).toBe('present');
  });
});

describe('lazy mirror of a large project', () => {
  it('lists its files at once and fetches their metadata after; until then the resolver does not see it', async () => {
    // numpy: hundreds of releases with wheels, a `.metadata` file per release and build, each 100 ms away.
    const slow = await startPypiSim({ projectsFile: POPULAR_TXT, args: ['--latency-ms', '100'] });
    const db = await createTestDatabase();
    const target = parseTarget({ python: '3.11', platform: 'x86_64-manylinux_2_28' });
    const closure = () => candidateClosure(db.pool, [{ name: parseProjectName('numpy'), specifier: SpecifierSet.parse('') }], target);
    const state = async () =>
      (
        await db.pool.query<{ serial: string; files: number; wheels: number; with_metadata: number }>(`SELECT p.serial, count(f.id)::int AS files,
            (count(f.id) FILTER (WHERE f.metadata_sha256 IS NOT NULL))::int AS wheels, (count(f.id) FILTER (WHERE f.metadata_id IS NOT NULL))::int AS with_metadata
          FROM projects p JOIN releases r ON r.project_id = p.id JOIN files f ON f.release_id = r.id WHERE p.name = 'numpy' GROUP BY p.serial`)
      ).rows;
    try {
      const upstream = new UpstreamClient(slow.simpleUrl);
      const ensuring = startEnsuring(db.pool, upstream, 'NumPy');
      expect(await ensuring.listed).toMatchObject({ status: 'fetched', name: 'numpy' });
      const [listed] = await state();
      expect(Number(listed.serial)).toBe(PENDING_SERIAL);
      expect(listed.files).toBeGreaterThan(1000);
      expect(listed.with_metadata).toBeLessThan(listed.wheels);
      expect((await closure()).missing).toEqual(['numpy']);
      // The resolver's way in waits for the metadata (joining the fetch under way); the index's would not.
      expect(await new LazyMirror(db.pool, upstream, { offline: false }).ensure(parseProjectName('numpy'))).toBe('fetched');
      const [complete] = await state();
      expect(Number(complete.serial)).toBeGreaterThan(0);
      expect(complete.files).toBe(listed.files);
      expect(complete.with_metadata).toBe(complete.wheels);
      expect((await ensuring.complete).failures).toEqual([]);
      const resolvable = await closure();
      expect(resolvable.missing).toEqual([]);
      expect(resolvable.projects.get('numpy')?.length).toBeGreaterThan(0);
      expect((await slow.stats()).requests.simple_project).toBe(1);
    } finally {
      await db.drop();
      await slow.stop();
    }
  });

  it('stops fetching metadata when closed, leaves the project pending, and the next start completes it', async () => {
    const slow = await startPypiSim({ projectsFile: POPULAR_TXT, args: ['--latency-ms', '100'] });
    const db = await createTestDatabase();
    const serial = async () => Number((await db.pool.query(`SELECT serial FROM projects WHERE name = 'numpy'`)).rows[0].serial);
    try {
      const upstream = new UpstreamClient(slow.simpleUrl);
      const stopping = new LazyMirror(db.pool, upstream, { offline: false });
      expect(await stopping.ensure(parseProjectName('numpy'), 'listed')).toBe('fetched');
      const resolver = stopping.ensure(parseProjectName('numpy')).catch((error: unknown) => error);
      const started = Date.now();
      await stopping.close();
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(await resolver).toBeInstanceOf(UpstreamError);
      expect(await serial()).toBe(PENDING_SERIAL);
      const metadataBefore = (await slow.stats()).requests.metadata ?? 0;
      // A new server: the resolver's way in completes what the stopped one left.
      expect(await new LazyMirror(db.pool, upstream, { offline: false }).ensure(parseProjectName('numpy'))).toBe('fetched');
      expect(await serial()).toBeGreaterThan(0);
      expect((await slow.stats()).requests.metadata).toBeGreaterThan(metadataBefore);
    } finally {
      await db.drop();
      await slow.stop();
    }
  });
});

describe('mirror sync under faults', () => {
  let cacheDir: string;
  /** A clean simulator at S, and the mirror an uninterrupted, fault-free sync of it makes. */
  let clean: PypiSim;
  let reference: Db;

  beforeAll(async () => {
    cacheDir = mkdtempSync(join(tmpdir(), 'venvfarm-sync-faults-'));
    [clean, reference] = await Promise.all([startPypiSim({ projectsFile: POPULAR_TXT, serial: S, cacheDir: join(cacheDir, 'sim') }), createTestDatabase()]);
    await syncMirror(reference.pool, { upstream: new UpstreamClient(clean.simpleUrl), filter: filter() });
  });
  afterAll(async () => {
    await clean?.stop();
    await reference?.drop();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  it('completes with --fail-rate 0.1, logging every retry, with the rows of a clean run', async () => {
    const [sim, flaky] = await Promise.all([
      startPypiSim({ projectsFile: POPULAR_TXT, serial: S, failRate: 0.1, seed: 7, cacheDir: join(cacheDir, 'sim') }),
      createTestDatabase(),
    ]);
    try {
      const retries: RetryEvent[] = [];
      const summary = await syncMirror(flaky.pool, {
        upstream: new UpstreamClient(sim.simpleUrl, { baseDelayMs: 5, maxDelayMs: 50, retries: 10, onRetry: (e) => retries.push(e) }),
        filter: filter(),
      });
      const stats = await sim.stats();
      expect(summary).toMatchObject({ failed: 0, serialAfter: S });
      expect(stats.injected_failures).toBeGreaterThan(0);
      expect(retries.length).toBe(stats.injected_failures);
      expect(retries.every((r) => r.status === 503 && r.url.startsWith(sim.url) && r.attempt >= 1)).toBe(true);
      expect(summary.retries).toBe(retries.length);
      expect(await totals(flaky.pool)).toEqual(await totals(reference.pool));
    } finally {
      await sim.stop();
      await flaky.drop();
    }
  });

  it('reports and skips a malformed page and a bad .metadata file, and keeps the serial so the next run retries', async () => {
    const sim = clean;
    const db = await createTestDatabase();
    // A loopback proxy in front of the simulator that breaks six's page and one flask .metadata.
    const BAD_METADATA = '/files/flask/Flask-2.2.5-py3-none-any.whl.metadata';
    let broken = true;
    const proxy: Server = createServer(async (req, res) => {
      const self = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
      if (broken && req.url === '/simple/six/') {
        res.writeHead(200, { 'Content-Type': 'application/vnd.pypi.simple.v1+json' }).end('{"meta": {"_last-serial": 1}, "files": [{"filename": ');
        return;
      }
      if (broken && req.url === BAD_METADATA) {
        res.writeHead(200, { 'Content-Type': 'application/octet-stream' }).end('Metadata-Version: 2.1\nName: flask\nRequires-Dist: tampered\n');
        return;
      }
      const upstream = await fetch(`${sim.url}${req.url}`, { method: req.method, headers: { Accept: req.headers.accept ?? '*/*' } });
      const body = Buffer.from(await upstream.arrayBuffer()).toString('latin1').split(sim.url).join(self);
      res.writeHead(upstream.status, { 'Content-Type': upstream.headers.get('content-type') ?? 'text/plain' }).end(Buffer.from(body, 'latin1'));
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/simple/`;
    try {
      const first = await syncMirror(db.pool, { upstream: new UpstreamClient(proxyUrl), filter: filter() });
      expect(first.failures.map((f) => [f.project, f.what])).toEqual(expect.arrayContaining([['six', 'page'], ['flask', 'metadata']]));
      expect(first.failures).toHaveLength(2);
      expect(first.failures.find((f) => f.what === 'metadata')!.message).toMatch(/sha256/);
      expect(first.serialAfter).toBe(0);
      const counts = await releaseCounts(db.pool);
      expect(counts.has('six')).toBe(false);
      expect(counts.size).toBe(19);
      const flask = await db.pool.query(`SELECT serial FROM projects WHERE name = 'flask'`);
      expect(Number(flask.rows[0].serial)).toBe(0);

      // The upstream is fixed: an incremental run fetches just what was skipped, and the serial advances.
      broken = false;
      const second = await syncMirror(db.pool, { upstream: new UpstreamClient(proxyUrl), filter: filter(), incremental: true, changesFrom: 'root-index' });
      expect(second).toMatchObject({ failed: 0, planned: 2, serialAfter: S });
      expect((await releaseCounts(db.pool)).size).toBe(20);
      const tampered = await db.pool.query(`SELECT 1 FROM requirements WHERE text = 'tampered'`);
      expect(tampered.rowCount).toBe(0);
    } finally {
      proxy.close();
      await db.drop();
    }
  });

  it('falls back to PEP 503 HTML against an index without PEP 691, with the same releases and files', async () => {
    const [htmlSim, viaHtml] = await Promise.all([
      startPypiSim({ projectsFile: POPULAR_TXT, serial: S, noJson: true, cacheDir: join(cacheDir, 'sim') }),
      createTestDatabase(),
    ]);
    try {
      const html = await syncMirror(viaHtml.pool, { upstream: new UpstreamClient(htmlSim.simpleUrl), filter: filter() });
      expect(html).toMatchObject({ failed: 0, planned: 20, serialAfter: S });
      const shape = (pool: Pool) =>
        pool.query(`SELECT p.name, p.serial, r.version, r.yanked, f.filename, encode(f.sha256, 'hex') AS sha256, f.requires_python, f.metadata_id IS NOT NULL AS has_metadata
                    FROM projects p JOIN releases r ON r.project_id = p.id JOIN files f ON f.release_id = r.id ORDER BY f.filename`);
      expect((await shape(viaHtml.pool)).rows).toEqual((await shape(reference.pool)).rows);
    } finally {
      await htmlSim.stop();
      await viaHtml.drop();
    }
  });

  it('kill -9 mid-sync, then a rerun, ends with the rows of an uninterrupted run', async () => {
    const [sim, killed] = await Promise.all([
      // Latency keeps the run long enough to be killed halfway.
      startPypiSim({ projectsFile: POPULAR_TXT, serial: S, latencyMs: 15, cacheDir: join(cacheDir, 'sim') }),
      createTestDatabase(),
    ]);
    try {
      // The syncer in a process of its own, committing one project per transaction.
      const child = spawn(
        'npx',
        [
          'tsx',
          '-e',
          `const { Pool } = require('pg');
           const { syncMirror, parseAllowList, ReleaseFilter } = require('./libs/mirror/src');
           const { UpstreamClient } = require('./libs/upstream/src');
           const pool = new Pool({ connectionString: process.env.DATABASE_URL });
           syncMirror(pool, { upstream: new UpstreamClient(process.env.UPSTREAM), filter: new ReleaseFilter(parseAllowList(process.env.ALLOW), null), batchSize: 1, concurrency: 2 })
             .then(() => pool.end());`,
        ],
        { cwd: REPO_ROOT, env: { ...process.env, DATABASE_URL: killed.url, UPSTREAM: sim.simpleUrl, ALLOW: ALLOW_LIST }, stdio: 'ignore', detached: true },
      );
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      const deadline = Date.now() + 60_000;
      while ((await totals(killed.pool)).projects < 5) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error('the syncer did not commit 5 projects in time');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      // The whole process group: npx, tsx and node.
      process.kill(-child.pid!, 'SIGKILL');
      await exited;
      const partial = await totals(killed.pool);
      expect(partial.projects).toBeLessThan(20);
      expect(await indexSerial(killed.pool)).toBe(0);

      const rerun = await syncMirror(killed.pool, { upstream: new UpstreamClient(sim.simpleUrl), filter: filter() });
      expect(rerun).toMatchObject({ failed: 0, serialAfter: S });
      expect(await totals(killed.pool)).toEqual(await totals(reference.pool));
    } finally {
      await sim.stop();
      await killed.drop();
    }
  });
});
