/**
 * `npm run bench:resolve`: venvfarm's POST /v1/resolve against real pip on the same index.
 *
 * pypi-sim serves the real data restricted to popular.txt on a fixed loopback port; the mirror
 * (database venvfarm_bench_resolve on the machine's PostgreSQL, kept between runs) is filled by
 * a metadata sync from it (incremental when it was filled before). The built server
 * (`venvfarm serve`, Redis cache) resolves every set of ../shared/bench/requirement-sets for its
 * own target (this machine's Python and platform, as pip's), cold (Cache-Control: no-cache) and
 * warm; pip runs `install --dry-run --report` on the same set. Printed: per set, whether the pins
 * equal pip's (and the differences), whether venvfarm's answer is a valid installation (checked
 * against the upstream's JSON API, independently of the resolver), cold and warm p50, pip's wall
 * time and the ratios, beside the figures recorded in bench/README.md; then a bounded load run
 * (autocannon, loopback) for hits and misses, and the HTTP peers (http-peers.ts): nginx and a
 * plain Node server serving the bytes of a cached answer, measured side by side with the cached
 * resolve and GET /health, with the ratio to nginx. Figures only, no assertions. The server's log
 * lines go to a file (its path is printed), not through this process, which is also the client.
 *
 *   tsx bench/resolve/resolve.bench.ts [--only NAME[,NAME]] [--cold-runs 5] [--warm-runs 50] [--load-seconds 10] [--peer-seconds 10]
 */
import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { openDatabase } from '@venvfarm/db';
import { syncMirror } from '@venvfarm/mirror';
import { UpstreamClient } from '@venvfarm/upstream';
import { parseRequirementsTxt, parseTarget } from '@venvfarm/pep508';
import { POPULAR_TXT, REPO_ROOT, SHARED_DIR, startPypiSim } from '../../test/support/pypi-sim';
import { formatPeerReport, measureHttpPeers } from './http-peers';
import { InstallChecker } from './install-check';
import { pinKey, runPip } from './pip-reference';

const SETS_DIR = join(SHARED_DIR, 'bench', 'requirement-sets');
const SIM_PORT = 18641;
const DB = 'venvfarm_bench_resolve';
const ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));
const say = (line: string) => process.stdout.write(`${line}\n`);

async function ensureDatabase(): Promise<string> {
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${DB}`);
  } finally {
    await admin.end();
  }
  return `postgres://postgres@127.0.0.1:5432/${DB}`;
}

/**
 * Starts `venvfarm serve` with its output (the ready line, then a JSON log line per request) in
 * a file, so that the load runs below do not also make this process read the server's logs.
 */
async function startServer(env: NodeJS.ProcessEnv): Promise<{ url: string; child: ChildProcess; log: string }> {
  const log = join(mkdtempSync(join(tmpdir(), 'venvfarm-bench-server-')), 'server.log');
  const out = openSync(log, 'w');
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'venvfarm.js'), 'serve', '--port', '0', '--host', '127.0.0.1'], { env, stdio: ['ignore', out, 'inherit'] });
  closeSync(out);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`server exited with ${child.exitCode ?? child.signalCode}; its output is in ${log}`);
    const ready = /venvfarm listening on (\S+)/.exec(readFileSync(log, 'utf8'));
    if (ready) return { url: ready[1], child, log };
    await new Promise((wait) => setTimeout(wait, 100));
  }
}

/** The figures of the run recorded in bench/README.md (2026-11-21, idle machine), printed beside this run's. */
const RECORDED = {
  date: '2026-11-21',
  sets: {
    ansible: { match: true, cold: 46.1, warm: 1.4 },
    'aws-cli': { match: true, cold: 166, warm: 1.3 },
    'data-science': { match: true, cold: 33.8, warm: 1.2 },
    'dev-tools': { match: true, cold: 51.2, warm: 1.4 },
    'django-stack': { match: false, cold: 59.1, warm: 1.4 },
    docs: { match: true, cold: 25.0, warm: 1.1 },
    'fastapi-stack': { match: true, cold: 28.7, warm: 1.2 },
    'flask-stack': { match: true, cold: 30.8, warm: 1.2 },
    jupyter: { match: true, cold: 89.0, warm: 1.5 },
    ml: { match: true, cold: 126, warm: 1.3 },
    'seed-example': { match: true, cold: 19.6, warm: 0.9 },
    'unsat-drf': { match: true, cold: 11.1, warm: 9.2 },
  } as Record<string, { match: boolean; cold: number; warm: number }>,
  hits: '4,631 req/s, p50 2 ms, p99 15 ms (16 connections)',
  misses: '31 req/s, p50 127 ms, p99 194 ms (4 connections)',
};

interface Timed {
  status: number;
  ms: number;
  body: { pins?: { name: string; version: string; extras: string[] }[]; error?: string; detail?: string; cached?: boolean; platform?: string; python?: string };
}

async function post(url: string, body: object, noCache: boolean): Promise<Timed> {
  const started = performance.now();
  const res = await fetch(`${url}/v1/resolve`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(noCache ? { 'Cache-Control': 'no-cache' } : {}) },
    body: JSON.stringify(body),
  });
  const parsed = (await res.json()) as Timed['body'];
  return { status: res.status, ms: performance.now() - started, body: parsed };
}

async function load(url: string, body: object, noCache: boolean, seconds: number): Promise<autocannon.Result> {
  return autocannon({
    url: `${url}/v1/resolve`,
    method: 'POST',
    connections: noCache ? 4 : 16,
    duration: seconds,
    headers: { 'content-type': 'application/json', ...(noCache ? { 'cache-control': 'no-cache' } : {}) },
    body: JSON.stringify(body),
  });
}

async function main(): Promise<void> {
  const only = option('only', '').split(',').filter(Boolean);
  const coldRuns = Number(option('cold-runs', '5'));
  const warmRuns = Number(option('warm-runs', '50'));
  const loadSeconds = Number(option('load-seconds', '10'));
  const peerSeconds = Number(option('peer-seconds', '5'));
  const sets = readdirSync(SETS_DIR).filter((f) => f.endsWith('.txt')).sort().filter((f) => only.length === 0 || only.includes(f.replace(/\.txt$/, '')));

  const sim = await startPypiSim({ projectsFile: POPULAR_TXT, cacheDir: '/tmp/venvfarm-bench-sim-cache', args: ['--port', String(SIM_PORT)] });
  const databaseUrl = await ensureDatabase();
  let server: { url: string; child: ChildProcess; log: string } | null = null;
  try {
    const db = await openDatabase({ databaseUrl, dataDir: '/tmp/unused' });
    const index = await db.pool.query<{ url: string | null; serial: string }>(`SELECT url, serial FROM indexes WHERE name = 'pypi'`);
    const incremental = index.rows[0]?.url === sim.simpleUrl && Number(index.rows[0].serial) > 0;
    const syncStarted = performance.now();
    const summary = await syncMirror(db.pool, { upstream: new UpstreamClient(sim.simpleUrl, { onRetry: () => undefined }), incremental });
    await db.close();
    say(`mirror ${DB}: ${incremental ? 'incremental' : 'full'} sync from pypi-sim (popular.txt) in ${((performance.now() - syncStarted) / 1000).toFixed(1)} s, ${summary.requests} requests`);

    // An admin token of its own, so that the server writes no token file into the working tree.
    server = await startServer({
      ...process.env,
      DATABASE_URL: databaseUrl,
      VENVFARM_UPSTREAM: sim.simpleUrl,
      REDIS_URL: 'redis://127.0.0.1:6379',
      VENVFARM_JOBS: 'off',
      VENVFARM_ADMIN_TOKEN: 'bench-admin-token-0123456789abcdef',
    });
    say(`server log: ${server.log}`);
    const probe = await post(server.url, { requirements: ['idna'] }, true);
    const target = parseTarget({ python: probe.body.python!, platform: probe.body.platform! });
    say(`target: CPython ${target.pythonFull.toString()} on ${target.name} (the server's own, as pip's); cold = ${coldRuns} runs with Cache-Control: no-cache, warm = ${warmRuns} runs\n`);
    const checker = new InstallChecker(sim.url, target);

    say('| set | pins equal pip | venvfarm valid | cold p50 ms | warm p50 ms | pip s | pip / cold | pip / warm |');
    say('| --- | --- | --- | --- | --- | --- | --- | --- |');
    const rows: { set: string; match: boolean; cold: number; warm: number; pip: number }[] = [];
    const notes: string[] = [];
    for (const file of sets) {
      const set = file.replace(/\.txt$/, '');
      const text = readFileSync(join(SETS_DIR, file), 'utf8');
      const roots = parseRequirementsTxt(text).requirements.map((e) => e.requirement);
      const pip = await runPip(sim.simpleUrl, join(SETS_DIR, file));
      const cold: Timed[] = [];
      for (let i = 0; i < coldRuns; i++) cold.push(await post(server.url, { requirements_txt: text }, true));
      const warm: Timed[] = [];
      for (let i = 0; i < warmRuns; i++) warm.push(await post(server.url, { requirements_txt: text }, false));
      const answer = cold[0];
      let match: boolean;
      let valid: string;
      if (answer.status === 200) {
        const ours = new Set(answer.body.pins!.map((p) => pinKey(p.name, p.version)));
        const theirs = pip.pins === null ? null : new Set([...pip.pins].map(([n, v]) => pinKey(n, v)));
        match = theirs !== null && ours.size === theirs.size && [...ours].every((k) => theirs.has(k));
        if (!match) {
          notes.push(
            theirs === null
              ? `${set}: pip found no solution (${pip.stderr.trim().split('\n').slice(-2).join(' ')}) but venvfarm pinned ${ours.size}`
              : `${set}: only venvfarm ${[...ours].filter((k) => !theirs.has(k)).join(' ') || '-'}; only pip ${[...theirs].filter((k) => !ours.has(k)).join(' ') || '-'}`,
          );
        }
        const problems = await checker.problems(roots, new Map(answer.body.pins!.map((p) => [p.name, { version: p.version, extras: p.extras }])));
        valid = problems.length === 0 ? 'yes' : `NO: ${problems.slice(0, 3).join('; ')}`;
      } else {
        match = pip.pins === null && answer.status === 422;
        valid = answer.status === 422 ? `422 ${answer.body.error}` : `${answer.status} ${answer.body.error}`;
        if (answer.status === 422) notes.push(`${set}: 422 ${answer.body.error}: ${(answer.body.detail ?? '').split('\n').slice(0, 6).join(' / ')}`);
        if (!match) notes.push(`${set}: venvfarm answered ${answer.status}, pip ${pip.pins === null ? 'found no solution' : `pinned ${pip.pins.size}`}`);
      }
      const coldP50 = median(cold.map((t) => t.ms));
      const warmP50 = median(warm.map((t) => t.ms));
      rows.push({ set, match, cold: coldP50, warm: warmP50, pip: pip.seconds * 1000 });
      say(`| ${set} | ${match ? 'yes' : 'no'} | ${valid} | ${fmt(coldP50)} | ${fmt(warmP50)} | ${pip.seconds.toFixed(1)} | ${Math.round((pip.seconds * 1000) / coldP50)}x | ${Math.round((pip.seconds * 1000) / warmP50)}x |`);
    }
    const matched = rows.filter((r) => r.match).length;
    say('');
    say(`pins equal to pip (or both unsatisfiable): ${matched}/${rows.length} (${Math.round((100 * matched) / rows.length)}%)`);
    say(`p50 over sets: venvfarm cold ${fmt(median(rows.map((r) => r.cold)))} ms, warm ${fmt(median(rows.map((r) => r.warm)))} ms, pip ${(median(rows.map((r) => r.pip)) / 1000).toFixed(2)} s`);
    say(`ratio pip / venvfarm: cold ${Math.round(median(rows.map((r) => r.pip)) / median(rows.map((r) => r.cold)))}x, warm ${Math.round(median(rows.map((r) => r.pip)) / median(rows.map((r) => r.warm)))}x; smallest per-set cold ratio ${Math.round(Math.min(...rows.map((r) => r.pip / r.cold)))}x`);
    for (const note of notes) say(`  note: ${note}`);

    say(`\nagainst the run recorded in bench/README.md (${RECORDED.date}):\n`);
    say('| set | pins equal pip: now / recorded | cold p50 ms: now / recorded | warm p50 ms: now / recorded |');
    say('| --- | --- | --- | --- |');
    for (const row of rows) {
      const then = RECORDED.sets[row.set];
      const yes = (m: boolean) => (m ? 'yes' : 'no');
      say(`| ${row.set} | ${yes(row.match)} / ${then ? yes(then.match) : '-'} | ${fmt(row.cold)} / ${then ? fmt(then.cold) : '-'} | ${fmt(row.warm)} / ${then ? fmt(then.warm) : '-'} |`);
    }

    if (loadSeconds > 0) {
      const body = { requirements_txt: readFileSync(join(SETS_DIR, 'django-stack.txt'), 'utf8') };
      say(`\nload (autocannon, loopback, ${loadSeconds} s each, django-stack.txt, server on this 2-core machine):`);
      for (const [label, noCache] of [['cache hits', false], ['cache misses', true]] as const) {
        const result = await load(server.url, body, noCache, loadSeconds);
        say(`  ${label.padEnd(12)} ${result.requests.average.toFixed(0)} req/s, latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ${result.non2xx} non-2xx, ${result.errors} errors (${result.connections} connections)`);
      }
      say(`  recorded (${RECORDED.date}): cache hits ${RECORDED.hits}; cache misses ${RECORDED.misses}`);
    }

    if (peerSeconds > 0) {
      say('');
      for (const line of formatPeerReport(await measureHttpPeers({ venvfarmUrl: server.url, seconds: peerSeconds }))) say(line);
    }
  } finally {
    server?.child.kill('SIGTERM');
    await sim.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
