/**
 * Bulk import of the full ../shared/data/pypi-2023-09 dump into a fresh database: wall time,
 * rows per second per table, database and table sizes, and the counts against names.tsv.gz.
 * Prints figures only.
 *
 *   tsx bench/mirror/import.bench.ts [--data DIR] [--again]
 *
 * The database is DATABASE_URL when set (used as it is, not emptied), else venvfarm_bench on
 * the machine's PostgreSQL, dropped and created anew; it is left in place, fully imported, for
 * the candidate-closure benchmark. `--again` imports the same dump a second time and reports
 * what changed (nothing, when all is well) and how long the no-op took.
 */
import { join, resolve } from 'node:path';
import { Client, Pool } from 'pg';
import { migrate } from '@venvfarm/db';
import { importDump, ImportSummary } from '@venvfarm/mirror';
import { DumpTerminal } from '../../apps/cli/src/progress/dump-progress';

const DEFAULT_DUMP = join(__dirname, '..', '..', '..', 'shared', 'data', 'pypi-2023-09');
const BENCH_DB = 'venvfarm_bench';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

/** A fresh venvfarm_bench, or DATABASE_URL as it is. */
async function database(): Promise<string> {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  const admin = new Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${BENCH_DB} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${BENCH_DB}`);
  } finally {
    await admin.end();
  }
  return `postgres://postgres@127.0.0.1:5432/${BENCH_DB}`;
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const perSecond = (n: number, ms: number) => `${Math.round((n * 1000) / ms).toLocaleString('en-US')}/s`;

async function report(pool: Pool, summary: ImportSummary): Promise<void> {
  const ms = summary.elapsedMs;
  const loadMs = ms - summary.finishingMs;
  process.stdout.write(
    `\nimport of ${summary.dir}: ${(ms / 1000).toFixed(1)} s ` +
      `(${(loadMs / 1000).toFixed(1)} s loading ${summary.shards} shards, ${(summary.finishingMs / 1000).toFixed(1)} s statistics and requires-python ranges)\n\n`,
  );
  process.stdout.write('| table | rows | rows/s | size (with indexes) |\n| --- | --- | --- | --- |\n');
  for (const table of ['projects', 'releases', 'files', 'metadata', 'requirements']) {
    const { rows } = await pool.query<{ n: string; size: string }>(`SELECT count(*) AS n, pg_total_relation_size('${table}') AS size FROM ${table}`);
    const n = Number(rows[0].n);
    process.stdout.write(`| ${table} | ${n.toLocaleString('en-US')} | ${perSecond(n, loadMs)} | ${mib(Number(rows[0].size))} |\n`);
  }
  const size = await pool.query<{ size: string }>('SELECT pg_database_size(current_database()) AS size');
  process.stdout.write(`\ndatabase size: ${mib(Number(size.rows[0].size))}\n`);
  const e = summary.expected;
  if (e !== null) {
    const p = summary.processed;
    const m = summary.mirror;
    const same = e.projects === m.projects && e.versions === m.releases && e.files === m.files;
    process.stdout.write(
      `names.tsv.gz: ${e.projects} projects, ${e.versions} versions, ${e.files} files; imported ${p.projects}/${p.releases}/${p.files}; ` +
        `mirror holds ${m.projects}/${m.releases}/${m.files} (${same ? 'equal' : 'DIFFERENT'})\n`,
    );
  }
}

async function main(): Promise<void> {
  const dir = resolve(option('data', DEFAULT_DUMP));
  const url = await database();
  const pool = new Pool({ connectionString: url, max: 4 });
  try {
    await migrate(pool);
    process.stdout.write(`importing ${dir} into ${new URL(url).pathname.slice(1)}\n`);
    const terminal = new DumpTerminal('import', process.stdout, process.stderr, 15_000);
    const summary = await importDump(pool, dir, { onProgress: terminal.progress, onProblem: terminal.problem, restart: true });
    terminal.finishImport(summary);
    await report(pool, summary);
    if (process.argv.includes('--again')) {
      const again = await importDump(pool, dir, { onProgress: terminal.progress, onProblem: terminal.problem, restart: true });
      terminal.finishImport(again);
      process.stdout.write(`second import of the same dump: ${(again.elapsedMs / 1000).toFixed(1)} s\n`);
    }
  } finally {
    await pool.end();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
