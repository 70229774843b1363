/**
 * `npm run bench:proxy`: venvfarm's package index (`GET /simple/{project}/`, PEP 503 HTML and
 * PEP 691 JSON, and `GET /files/{sha256}/{filename}` from the artifact store) against nginx
 * serving the very same bytes as static files. Figures only, no assertions on them.
 *
 * pypi-sim serves popular.txt of the real metadata snapshot plus this machine's wheelhouse (real
 * wheels of several MB). The built API (`node dist/apps/api/main.js`) runs on a fresh database
 * created here (and dropped at the end) with an empty directory store, the simulator as its
 * upstream, jobs off, its log lines (one per request, as deployed) going to a file. Warm-up
 * fills it through the index itself: a small project page (six) and the largest page of the
 * popular set (pydantic-core, ~6,000 files, 3.7 MB of JSON) in HTML and JSON, the numpy and pandas
 * pages, then a small wheel (six) and two real multi-MB wheels (a numpy and a pandas cp311
 * manylinux wheel of the wheelhouse) through `/files/...`, the second request of each coming from
 * the mirror or the store. Those second answers are written under nginx's root at the same paths
 * (bench/proxy/same-bytes.ts), nginx (one worker, sendfile, loopback) serves them, and both
 * servers are checked to answer every path with the same body. The small file is also served by
 * a plain Node http server holding its bytes in memory and doing nothing else (the platform's
 * ceiling for any Node server on this machine, bench/resolve/http-peers.ts). Before venvfarm
 * first asks for the largest page, the upstream's own first and repeated answers are timed.
 *
 * Then autocannon (bench/support/load.ts: 10 connections, one client, loopback) loads each path
 * on nginx and on venvfarm, each once per round in turn, a few rounds of 5 s (the first after a
 * 1 s warm-up of each); every answer is checked (200 and exactly the expected body bytes) and
 * only checked answers count. Printed: one table (req/s, p50, p99, MB/s of bodies, venvfarm /
 * nginx) with the median round of each, and per row the ratio against the target (>= 0.5 of
 * nginx). Everything started is stopped and removed at the end, on failure and on Ctrl-C
 * (bench/support/teardown.ts). The process exits 1 when any answer failed its check.
 *
 *   tsx bench/proxy/proxy.bench.ts [--seconds 5] [--rounds 3] [--warmup 1] [--connections 10]
 *     [--small six] [--large pydantic-core] [--wheelhouse /opt/pypi/files] [--nginx-workers 1]
 *     [--keep-log]
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, copyFileSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { POPULAR_TXT, REPO_ROOT, startPypiSim } from '../../test/support/pypi-sim';
import { childEnv } from '../../test/support/venvfarm-process';
import { LoadFigure, LoadTarget, measureRounds, medianRun } from '../support/load';
import { startNginx } from '../support/nginx';
import { markdownTable, thousands } from '../support/table';
import { Teardown } from '../support/teardown';
import { metadataSettled } from '../../test/support/mirror-settled';
import { startNodePeer } from '../resolve/http-peers';
import { checkSame, get, PageFile, sameFile, samePage, Served, SIMPLE_JSON } from './same-bytes';

const ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const API = join(REPO_ROOT, 'dist', 'apps', 'api', 'main.js');
/** Given, so that the server writes no token file. */
const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef';
const TARGET_RATIO = 0.5;
/** The real multi-MB wheels: CPython 3.11, manylinux, x86_64. */
const CP311_MANYLINUX = /-cp311-cp311-manylinux[^-]*x86_64[^-]*\.whl$/;

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}
const say = (line: string) => process.stdout.write(`${line}\n`);
const size = (bytes: number) => (bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${thousands(bytes)} B`);
const ms = (x: number) => (Number.isFinite(x) ? (x >= 100 ? thousands(x) : x.toFixed(x >= 10 ? 1 : 2)) : '-');
const mbps = (bytesPerSecond: number) => (bytesPerSecond >= 100e6 ? thousands(bytesPerSecond / 1e6) : (bytesPerSecond / 1e6).toFixed(1));

/** Creates an empty database on the local PostgreSQL (the server migrates it) and adds its drop to the teardown. */
async function createDatabase(teardown: Teardown): Promise<string> {
  const name = `venvfarm_bench_proxy_${randomBytes(4).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new Client({ connectionString: ADMIN_URL });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  teardown.add(`drop database ${name}`, () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Starts the built API with its output in `log`; resolves with its URL once it printed its listening line. */
async function startApi(env: Record<string, string>, log: string, teardown: Teardown): Promise<{ url: string; child: ChildProcess }> {
  const out = openSync(log, 'w');
  const child = spawn(process.execPath, [API], { cwd: REPO_ROOT, env: childEnv(env), stdio: ['ignore', out, out] });
  closeSync(out);
  teardown.watch(child);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  teardown.add('stop venvfarm', async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    const text = readFileSync(log, 'utf8');
    const ready = /venvfarm listening on (\S+)/.exec(text);
    if (ready) return { url: ready[1].replace(/\/$/, ''), child };
    if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
      throw new Error(`venvfarm did not start (${child.exitCode ?? child.signalCode ?? 'timeout'}):\n${text.slice(-3000)}`);
    }
    await new Promise((wait) => setTimeout(wait, 50));
  }
}

/** Waits until no project of the mirror at `databaseUrl` is only listed (test/support/mirror-settled.ts); returns the ms waited. */
async function settled(databaseUrl: string): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await metadataSettled((sql) => client.query(sql), 300_000);
  } finally {
    await client.end();
  }
}

/** The last file of a page (newest release) that is in the wheelhouse and matches `pattern`. */
function wheelhouseFile(project: string, files: readonly PageFile[], wheelhouse: ReadonlySet<string>, pattern: RegExp): PageFile {
  const found = files.filter((f) => wheelhouse.has(f.filename) && pattern.test(f.filename)).at(-1);
  if (found === undefined) throw new Error(`no file of ${project} in the wheelhouse matches ${pattern}`);
  return found;
}

/** What the source tree is: the bench runs the build of the working tree. */
function sourceState(): string {
  const described = spawnSync('git', ['describe', '--always', '--dirty'], { cwd: REPO_ROOT, encoding: 'utf8' });
  return described.status === 0 ? described.stdout.trim() : 'unknown';
}

interface Row {
  readonly label: string;
  readonly served: Served;
}

async function main(teardown: Teardown): Promise<boolean> {
  const seconds = Number(option('seconds', '5'));
  const rounds = Number(option('rounds', '3'));
  const warmupSeconds = Number(option('warmup', '1'));
  const connections = Number(option('connections', '10'));
  const small = option('small', 'six');
  const large = option('large', 'pydantic-core');
  const wheelhouseDir = option('wheelhouse', '/opt/pypi/files');
  const workers = option('nginx-workers', '1');
  const keepLog = process.argv.includes('--keep-log');

  const work = mkdtempSync(join(tmpdir(), 'venvfarm-bench-proxy-'));
  teardown.add(`remove ${work}`, () => rmSync(work, { recursive: true, force: true }));
  // nginx's workers (an unprivileged user when started as root) read the root through `work`.
  chmodSync(work, 0o755);
  const root = join(work, 'www');
  const store = join(work, 'store');
  const log = join(work, 'server.log');
  for (const dir of [root, store, join(work, 'data')]) mkdirSync(dir);

  const started = performance.now();
  const sim = await startPypiSim({ projectsFile: POPULAR_TXT, args: ['--wheelhouse', wheelhouseDir] });
  teardown.watch(sim.process);
  teardown.add('stop pypi-sim', () => sim.stop());
  const databaseUrl = await createDatabase(teardown);
  const keptLog = join(tmpdir(), `venvfarm-bench-proxy-server-${process.pid}.log`);
  if (keepLog) teardown.add('keep the server log', () => copyFileSync(log, keptLog));
  const api = await startApi(
    {
      DATABASE_URL: databaseUrl,
      VENVFARM_UPSTREAM: sim.simpleUrl,
      VENVFARM_ADMIN_TOKEN: ADMIN_TOKEN,
      VENVFARM_STORE: store,
      VENVFARM_DATA_DIR: join(work, 'data'),
      VENVFARM_JOBS: 'off',
      PORT: '0',
      HOST: '127.0.0.1',
    },
    log,
    teardown,
  );
  say(`bench:proxy on ${sourceState()} (the built working tree), load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  say(`pypi-sim ${sim.url} (popular.txt + wheelhouse ${wheelhouseDir}), venvfarm ${api.url} (fresh database, directory store, jobs off), started in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  // Warm-up through the index. The lazy mirror lists a new project's files at once and fetches
  // their metadata after, which moves the project's serial (and so its page), so the first
  // requests come first and the bytes are taken once the mirror has settled.
  const wheelhouse = new Set(readdirSync(wheelhouseDir));
  // The upstream's own answers for the largest page before venvfarm asks for it: rendered (its first) and kept (a repeat).
  const upstreamLarge = [await get(`${sim.simpleUrl}${large}/`, SIMPLE_JSON), await get(`${sim.simpleUrl}${large}/`, SIMPLE_JSON)];
  const firstPages: [string, number][] = [];
  for (const project of [small, large, 'numpy', 'pandas']) firstPages.push([project, (await get(`${api.url}/simple/${project}/`, SIMPLE_JSON)).ms]);
  const settledMs = await settled(databaseUrl);
  const smallHtml = await samePage(api.url, root, small, 'html');
  const smallJson = await samePage(api.url, root, small, 'json');
  const largeHtml = await samePage(api.url, root, large, 'html');
  const largeJson = await samePage(api.url, root, large, 'json');
  const numpy = await samePage(api.url, root, 'numpy', 'json');
  const pandas = await samePage(api.url, root, 'pandas', 'json');
  const pageUrl = (project: string) => `${api.url}/simple/${project}/`;
  const smallWheel = await sameFile(pageUrl(small), root, wheelhouseFile(small, smallJson.files, wheelhouse, /\.whl$/));
  const numpyWheel = await sameFile(pageUrl('numpy'), root, wheelhouseFile('numpy', numpy.files, wheelhouse, CP311_MANYLINUX));
  const pandasWheel = await sameFile(pageUrl('pandas'), root, wheelhouseFile('pandas', pandas.files, wheelhouse, CP311_MANYLINUX));
  say(`\nfirst requests (JSON; the lazy mirror fetches the upstream's page and lists its files; the metadata of the files followed in ${ms(settledMs)} ms more):`);
  for (const [project, took] of firstPages) say(`  /simple/${project}/: ${ms(took)} ms`);
  say('then (a page: rendered from the mirror\'s tables, then kept; a file: through the upstream, then from the store):');
  for (const served of [smallHtml, smallJson, largeHtml, largeJson, numpy, pandas, smallWheel, numpyWheel, pandasWheel]) {
    say(`  ${served.path}${served.accept === undefined ? '' : ' (JSON)'}: ${size(served.bytes)}, ${ms(served.firstMs)} ms, then ${ms(served.secondMs)} ms`);
  }
  say(
    `\nlargest page (${large}, ${largeJson.files.length.toLocaleString('en-US')} files, JSON): the upstream renders it in ${ms(upstreamLarge[0].ms)} ms and repeats it in ${ms(upstreamLarge[1].ms)} ms; ` +
      `venvfarm: first request ${ms(firstPages[1][1])} ms (through the upstream), rendered from the mirror's tables ${ms(largeJson.firstMs)} ms, kept ${ms(largeJson.secondMs)} ms`,
  );

  const nginx = await startNginx({
    root,
    probePath: `/simple/${small}/`,
    defaultType: 'application/octet-stream',
    workers,
    // Content negotiation as venvfarm's: the PEP 691 JSON type when asked for, else HTML.
    http: `types { text/html html; ${SIMPLE_JSON} json; }
charset_types text/html ${SIMPLE_JSON};
map $http_accept $simple_page { default index.html; "~*application/vnd\\.pypi\\.simple\\.v1\\+json" index.json; }`,
    locations: `location /simple/ { index $simple_page; charset utf-8; }
location / { }`,
  });
  teardown.watch(nginx.process);
  teardown.add('stop nginx', () => nginx.stop());
  const rows: Row[] = [
    { label: `small project page (${small}), HTML`, served: smallHtml },
    { label: `small project page (${small}), JSON`, served: smallJson },
    { label: `largest project page (${large}), JSON`, served: largeJson },
    { label: `small file (${smallWheel.path.split('/').pop()})`, served: smallWheel },
    { label: `multi-MB wheel (${numpyWheel.path.split('/').pop()})`, served: numpyWheel },
  ];
  const notes: string[] = [];
  for (const served of [smallHtml, smallJson, largeHtml, largeJson, smallWheel, numpyWheel, pandasWheel]) {
    const differs = await checkSame(api.url, nginx.url, served);
    if (differs !== null) notes.push(differs);
  }
  say(`nginx ${nginx.url} (${workers} worker${workers === '1' ? '' : 's'}, sendfile): the same body as venvfarm for every path`);
  // The platform's ceiling for the small file: a plain Node http server (its own process) answering the same bytes from memory and nothing else.
  const node = await startNodePeer(readFileSync(join(root, ...decodeURIComponent(smallWheel.path).split('/').filter(Boolean))));
  teardown.add('stop the node http peer', () => node.stop());

  const target = (row: Row, base: string, server: string): LoadTarget => ({
    label: `${row.label} ${server}`,
    url: `${base}${row.served.path}`,
    ...(row.served.accept === undefined ? {} : { headers: { accept: row.served.accept } }),
    expectedBytes: row.served.bytes,
  });
  const targets: Record<string, LoadTarget> = {};
  rows.forEach((row, i) => {
    targets[`${i}:nginx`] = target(row, nginx.url, 'nginx');
    targets[`${i}:venvfarm`] = target(row, api.url, 'venvfarm');
  });
  const smallFileRow = rows.findIndex((row) => row.served === smallWheel);
  targets[`${smallFileRow}:node`] = { label: `${rows[smallFileRow].label} node http`, url: node.url, expectedBytes: smallWheel.bytes };
  say(`\nload: autocannon ${connections} connections, loopback, one client; ${rounds} rounds of ${seconds} s per server and request, taken in turn, the first after ${warmupSeconds} s of warm-up; about ${Math.ceil((rows.length * 2 * (rounds * seconds + warmupSeconds)) / 60)} min`);
  // Should venvfarm exit under load, the remaining rounds would measure nothing: stop there.
  const logTail = () => {
    try {
      return readFileSync(log, 'utf8').slice(-3000);
    } catch {
      return '(log removed)';
    }
  };
  const died = new Promise<never>((_, fail) => api.child.once('exit', (code, signal) => fail(new Error(`venvfarm exited during the load (${code ?? signal}); the end of its log:\n${logTail()}`))));
  died.catch(() => undefined);
  const load = async () => {
    // A warm-up before the first round only: the later rounds find both servers warm, and the run stays under 4 minutes.
    const first = await measureRounds(targets, 1, { connections, seconds, warmupSeconds });
    const later = await measureRounds(targets, rounds - 1, { connections, seconds, warmupSeconds: 0 });
    return Object.fromEntries(Object.keys(targets).map((name) => [name, [...first[name], ...later[name]]]));
  };
  const runs = await Promise.race([load(), died]);

  const table: string[][] = [];
  const targetLines: string[] = [];
  let failed = 0;
  rows.forEach((row, i) => {
    const nginxRuns = runs[`${i}:nginx`];
    const ourRuns = runs[`${i}:venvfarm`];
    const theirs = medianRun(nginxRuns);
    const ours = medianRun(ourRuns);
    const ratio = ours.requestsPerSecond / theirs.requestsPerSecond;
    const perRound = ourRuns.map((figure, round) => (figure.requestsPerSecond / nginxRuns[round].requestsPerSecond).toFixed(2));
    const bad = (figures: LoadFigure[]) => figures.reduce((sum, f) => sum + f.wrong + f.errors, 0);
    failed += bad(nginxRuns) + bad(ourRuns);
    const cells = (server: string, f: LoadFigure, versus: string) => [
      server === 'nginx' ? row.label : '',
      server === 'nginx' ? size(row.served.bytes) : '',
      server,
      thousands(f.requestsPerSecond),
      ms(f.p50),
      ms(f.p99),
      mbps(f.bodyBytesPerSecond),
      versus,
      `${f.wrong} / ${f.errors}`,
    ];
    table.push(cells('nginx', theirs, '1.00'), cells('venvfarm', ours, `**${ratio.toFixed(2)}**`));
    const nodeRuns = runs[`${i}:node`];
    let versusNode = '';
    if (nodeRuns !== undefined) {
      const plain = medianRun(nodeRuns);
      failed += bad(nodeRuns);
      table.push(cells('node http', plain, (plain.requestsPerSecond / theirs.requestsPerSecond).toFixed(2)));
      versusNode = `; venvfarm / node http ${(ours.requestsPerSecond / plain.requestsPerSecond).toFixed(2)}, node http / nginx ${(plain.requestsPerSecond / theirs.requestsPerSecond).toFixed(2)} (per round ${nodeRuns.map((f, round) => (f.requestsPerSecond / nginxRuns[round].requestsPerSecond).toFixed(2)).join(', ')})`;
    }
    targetLines.push(`${row.label}: venvfarm / nginx ${ratio.toFixed(2)} (per round ${perRound.join(', ')}); target: >= ${TARGET_RATIO} of nginx: ${ratio >= TARGET_RATIO ? 'met' : 'NOT met'}${versusNode}`);
  });
  say('');
  for (const line of markdownTable(['request', 'body', 'server', 'req/s', 'p50 ms', 'p99 ms', 'MB/s', 'venvfarm / nginx', 'wrong / errors'], table)) say(line);
  say('');
  for (const line of targetLines) say(line);
  say(`\nEach figure: the round with the median req/s; only answers that were 200 with exactly the expected body bytes count (req/s, latencies, MB/s = body bytes, 10^6/s). Load average now ${loadavg().map((l) => l.toFixed(2)).join(' ')}.`);
  for (const note of notes) say(`  note: ${note}`);
  if (failed > 0) process.stderr.write(`\n${failed} answers were wrong (not 200, or another body size) or errors, over all rounds: see the last column; server log: ${keepLog ? keptLog : 'rerun with --keep-log'}\n`);
  return failed === 0;
}

const teardown = new Teardown();
main(teardown)
  .then(async (ok) => {
    await teardown.run();
    process.exit(ok ? 0 : 1);
  })
  .catch(async (error: unknown) => {
    await teardown.run();
    if (!teardown.interrupted) process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
