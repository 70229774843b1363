/**
 * Latency of the candidate-closure query (sql/queries/mirror/candidate-closure.sql) for 20 real
 * roots on target CPython 3.11, x86_64-manylinux_2_28: p50 and p95 over many runs each, with
 * the rows and candidates each returns. Prints figures only.
 *
 *   tsx bench/mirror/closure.bench.ts [--database URL] [--runs 50] [--window 20]
 *   tsx bench/mirror/closure.bench.ts --seed-popular [--database URL]
 *
 * The database defaults to BENCH_DATABASE_URL, else the fully imported venvfarm_bench on the
 * machine's PostgreSQL. `--seed-popular` creates that database (if missing) and imports only the
 * projects of popular.txt plus the roots, for when no full import is at hand: its figures are
 * then for a partial mirror, which the output says.
 */
import { performance } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SpecifierSet } from '@venvfarm/pep440';
import { parseProjectName, parseTarget } from '@venvfarm/pep508';
import { Client, Pool } from 'pg';
import { migrate } from '@venvfarm/db';
import { candidateClosure, IngestWriter, listShards, readShard, refreshRequiresPythonRanges } from '@venvfarm/mirror';

const ROOTS = [
  'django', 'flask', 'requests', 'boto3', 'celery', 'jupyter', 'pandas', 'sphinx', 'pytest', 'numpy',
  'scipy', 'matplotlib', 'sqlalchemy', 'fastapi', 'ansible', 'black', 'notebook', 'scrapy', 'pydantic', 'aiohttp',
];
const DUMP = join(__dirname, '..', '..', '..', 'shared', 'data', 'pypi-2023-09');
const target = parseTarget({ python: '3.11', platform: 'x86_64-manylinux_2_28' });

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function ensureDatabase(url: string): Promise<void> {
  const u = new URL(url);
  const name = u.pathname.slice(1);
  u.pathname = '/postgres';
  const admin = new Client({ connectionString: u.toString() });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await admin.end();
  }
}

/** Imports popular.txt and the roots from the dump (a partial mirror for when no full import exists). */
async function seedPopular(pool: Pool): Promise<void> {
  const wanted = new Set([...readFileSync(join(DUMP, 'popular.txt'), 'utf8').split('\n').filter(Boolean), ...ROOTS]);
  const writer = new IngestWriter(pool, 1, { synchronousCommit: false });
  let projects = 0;
  const started = performance.now();
  for (const shard of listShards(DUMP)) {
    const { records } = await readShard(DUMP, shard);
    const chosen = records.filter((r) => wanted.has(r.name));
    for (let i = 0; i < chosen.length; i += 200) await writer.write(chosen.slice(i, i + 200));
    projects += chosen.length;
    if (shard.endsWith('f')) process.stdout.write(`seeded shards to ${shard}: ${projects} projects, ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
  }
  await pool.query('VACUUM ANALYZE');
}

async function main(): Promise<void> {
  const url = option('database', process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/venvfarm_bench');
  const runs = Number(option('runs', '50'));
  const window = Number(option('window', '20'));
  if (process.argv.includes('--seed-popular')) await ensureDatabase(url);
  const pool = new Pool({ connectionString: url, max: 2 });
  try {
    await migrate(pool);
    if (process.argv.includes('--seed-popular')) await seedPopular(pool);
    const counts = (await pool.query<{ projects: string; releases: string; files: string }>(
      `SELECT (SELECT count(*) FROM projects) AS projects, (SELECT count(*) FROM releases) AS releases, (SELECT count(*) FROM files) AS files`,
    )).rows[0];
    const parsed = performance.now();
    const added = await refreshRequiresPythonRanges(pool);
    process.stdout.write(
      `mirror ${new URL(url).pathname.slice(1)}: ${counts.projects} projects, ${counts.releases} releases, ${counts.files} files` +
        (Number(counts.projects) < 400_000 ? ' (PARTIAL mirror, not the full import)' : '') + '\n' +
        `requires-python texts parsed now: ${added} in ${((performance.now() - parsed) / 1000).toFixed(1)} s\n` +
        `target cpython 3.11 ${target.name}, window ${window}, ${runs} timed runs per root after 3 warm-up runs\n\n`,
    );

    const header = ['root', 'p50 ms', 'p95 ms', 'rows', 'projects', 'releases', 'files', 'missing'];
    process.stdout.write(header.map((h, i) => (i === 0 ? h.padEnd(12) : h.padStart(9))).join('') + '\n');
    const all: number[] = [];
    const medians: number[] = [];
    for (const name of ROOTS) {
      const roots = [{ name: parseProjectName(name), specifier: SpecifierSet.ANY }];
      let result = await candidateClosure(pool, roots, target, { window });
      for (let i = 0; i < 2; i++) result = await candidateClosure(pool, roots, target, { window });
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        const start = performance.now();
        result = await candidateClosure(pool, roots, target, { window });
        times.push(performance.now() - start);
      }
      times.sort((a, b) => a - b);
      all.push(...times);
      medians.push(percentile(times, 50));
      let releases = 0;
      let files = 0;
      for (const list of result.projects.values()) {
        releases += list.length;
        for (const r of list) files += r.files.length;
      }
      const cells = [percentile(times, 50).toFixed(1), percentile(times, 95).toFixed(1), result.rows, result.projects.size, releases, files, result.missing.length];
      process.stdout.write(name.padEnd(12) + cells.map((c) => String(c).padStart(9)).join('') + '\n');
    }
    all.sort((a, b) => a - b);
    medians.sort((a, b) => a - b);
    process.stdout.write(
      `\nall ${all.length} runs: p50 ${percentile(all, 50).toFixed(1)} ms, p95 ${percentile(all, 95).toFixed(1)} ms; ` +
        `median of per-root p50s ${percentile(medians, 50).toFixed(1)} ms (target: p50 under 20 ms)\n` +
        `(times are the whole repository call: one round trip plus assembling the typed result)\n`,
    );
  } finally {
    await pool.end();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
