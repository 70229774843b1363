/**
 * HTTP metadata sync of every project of popular.txt (3,544) from pypi-sim into a fresh
 * database: wall time, the requests the simulator saw (`/_sim/stats`), and the rows written.
 * Then an incremental run with nothing changed, to show what keeping up costs. Prints figures
 * only. `tsx bench/mirror/sync.bench.ts [--concurrency N] [--cache-dir DIR]` (a cache dir kept
 * from an earlier run makes the simulator warm; the default is a cold one).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase } from '@venvfarm/db/testing';
import { syncMirror, SyncSummary } from '@venvfarm/mirror';
import { UpstreamClient } from '@venvfarm/upstream';
import { POPULAR_TXT, startPypiSim } from '../../test/support/pypi-sim';

function argument(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const line = (label: string, value: string) => process.stdout.write(`${label.padEnd(34)} ${value}\n`);

/** Runs the benchmark and prints its figures. */
export async function benchSync(options: { concurrency?: number; cacheDir?: string } = {}): Promise<void> {
  const concurrency = options.concurrency ?? 8;
  const tempCache = options.cacheDir === undefined ? mkdtempSync(join(tmpdir(), 'venvfarm-sync-bench-')) : null;
  const [sim, db] = await Promise.all([startPypiSim({ projectsFile: POPULAR_TXT, cacheDir: options.cacheDir ?? tempCache! }), createTestDatabase()]);
  try {
    process.stdout.write(`HTTP sync of popular.txt from pypi-sim (${tempCache === null ? 'warm' : 'cold'} simulator, ${concurrency} concurrent requests)\n`);
    const upstream = new UpstreamClient(sim.simpleUrl, { onRetry: () => undefined });
    let lastLine = Date.now();
    const full = await syncMirror(db.pool, {
      upstream,
      concurrency,
      onProgress: (p) => {
        if (Date.now() - lastLine < 15_000) return;
        lastLine = Date.now();
        process.stderr.write(`  ${p.done}/${p.planned} projects, ${p.requests} requests\n`);
      },
    });
    const stats = await sim.stats();
    const { rows } = await db.pool.query<Record<string, string>>(`SELECT
        (SELECT count(*) FROM projects) AS projects, (SELECT count(*) FROM releases) AS releases,
        (SELECT count(*) FROM files) AS files, (SELECT count(*) FROM files WHERE metadata_id IS NOT NULL) AS files_with_metadata,
        (SELECT count(*) FROM metadata) AS metadata, (SELECT count(*) FROM requirements) AS requirements,
        pg_size_pretty(pg_database_size(current_database())) AS size`);
    const r = rows[0];
    const written = Number(r.projects) + Number(r.releases) + Number(r.files) + Number(r.metadata) + Number(r.requirements);
    report('full sync', full);
    line('requests seen by pypi-sim', `${stats.requests_total} (${Object.entries(stats.requests).map(([k, v]) => `${k} ${v}`).join(', ')})`);
    line('bytes served', `${(Number(stats.bytes_served) / 1e6).toFixed(1)} MB`);
    line('requests/s', (stats.requests_total / full.seconds).toFixed(0));
    line('rows', `${r.projects} projects, ${r.releases} releases, ${r.files} files (${r.files_with_metadata} with metadata), ${r.metadata} metadata, ${r.requirements} requirements`);
    line('rows/s', (written / full.seconds).toFixed(0));
    line('database size', r.size);

    await sim.resetStats();
    const idle = await syncMirror(db.pool, { upstream: new UpstreamClient(sim.simpleUrl), incremental: true, concurrency });
    report('incremental, nothing changed', idle);
    line('requests seen by pypi-sim', String((await sim.stats()).requests_total));
  } finally {
    await sim.stop();
    await db.drop();
    if (tempCache !== null) rmSync(tempCache, { recursive: true, force: true });
  }
}

function report(label: string, s: SyncSummary): void {
  line(`${label}: time`, `${s.seconds.toFixed(1)} s`);
  line(`${label}: projects`, `${s.planned} planned, ${s.done - s.missing - s.failed} synced, ${s.failed} failed, ${s.missing} missing, ${s.upToDate} up to date`);
  line(`${label}: metadata files`, `${s.metadataFetched} fetched, ${s.metadataReused} reused`);
  line(`${label}: client requests`, `${s.requests} (${s.retries} retries)`);
}

if (require.main === module) {
  const concurrency = argument('--concurrency');
  benchSync({ concurrency: concurrency === undefined ? undefined : Number(concurrency), cacheDir: argument('--cache-dir') }).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
