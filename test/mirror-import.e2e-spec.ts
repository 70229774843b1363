import { ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { createTestDatabase } from '@venvfarm/db/testing';

/**
 * `venvfarm mirror import` and `export` as processes, on a small dump cut from real shards of
 * ../shared/data/pypi-2023-09: counts, a no-op re-import, a kill -9 midway and a rerun, and an
 * export that imports into another database and reproduces the dump byte for byte.
 */
const REPO = join(__dirname, '..');
const DUMP = join(REPO, '..', 'shared', 'data', 'pypi-2023-09');
const SHARDS = ['00', '0f', '1e', '3c', '5a', '77', '96', 'a5', 'b4', 'c3', 'e1', 'ff'];
const PER_SHARD = 120;

/** Runs the CLI commands from source (main.ts registration is not needed for these two). */
const ENTRY = `
const { Command } = require('commander');
const { mirrorImportCommand } = require('./apps/cli/src/mirror-import.command');
const { mirrorExportCommand } = require('./apps/cli/src/mirror-export.command');
new Command('mirror').addCommand(mirrorImportCommand()).addCommand(mirrorExportCommand())
  .parseAsync(process.argv.slice(1), { from: 'user' })
  .catch((e) => { process.stderr.write('venvfarm: ' + (e instanceof Error ? e.message : e) + '\\n'); process.exit(1); });
`;

function venvfarm(databaseUrl: string, args: string[]): ChildProcess {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl };
  // node itself (tsx as a loader, not its wrapper process), so that SIGKILL hits the importer.
  return spawn(process.execPath, ['--import', 'tsx', '-e', ENTRY, '--', ...args], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
}

async function run(databaseUrl: string, args: string[]): Promise<string> {
  const child = venvfarm(databaseUrl, args);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`venvfarm mirror ${args.join(' ')} exited with ${code}: ${err}`);
  return out;
}

/** A dump of the first PER_SHARD projects of some real shards, with its names.tsv.gz. */
function writeFixture(dir: string): { projects: number; versions: number; files: number } {
  mkdirSync(join(dir, 'projects'), { recursive: true });
  const names: string[] = [];
  const totals = { projects: 0, versions: 0, files: 0 };
  for (const shard of SHARDS) {
    const lines = gunzipSync(readFileSync(join(DUMP, 'projects', `${shard}.jsonl.gz`)))
      .toString('utf8')
      .split('\n')
      .slice(0, PER_SHARD);
    writeFileSync(join(dir, 'projects', `${shard}.jsonl.gz`), gzipSync(lines.map((l) => l + '\n').join('')));
    for (const line of lines) {
      const p = JSON.parse(line) as { name: string; versions: { serial: number; files: unknown[] }[] };
      const files = p.versions.reduce((n, v) => n + v.files.length, 0);
      names.push(`${p.name}\t${shard}\t${p.versions.length}\t${files}\t${Math.max(0, ...p.versions.map((v) => v.serial))}`);
      totals.projects++;
      totals.versions += p.versions.length;
      totals.files += files;
    }
  }
  names.sort((a, b) => (a < b ? -1 : 1));
  writeFileSync(join(dir, 'names.tsv.gz'), gzipSync(names.map((n) => n + '\n').join('')));
  return totals;
}

/** Decompressed contents of a dump's files, for byte-for-byte comparison. */
function dumpDigest(dir: string, shards: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const file of [...shards.map((s) => `projects/${s}.jsonl.gz`), 'names.tsv.gz']) {
    out[file] = createHash('sha256').update(gunzipSync(readFileSync(join(dir, file)))).digest('hex');
  }
  return out;
}

describe('venvfarm mirror import / export', () => {
  jest.setTimeout(240_000);
  const dbs: Awaited<ReturnType<typeof createTestDatabase>>[] = [];
  let work: string;
  let fixture: string;
  let expected: { projects: number; versions: number; files: number };

  const counts = async (db: (typeof dbs)[number]) => {
    const { rows } = await db.pool.query(
      'SELECT (SELECT count(*) FROM projects) AS projects, (SELECT count(*) FROM releases) AS versions, (SELECT count(*) FROM files) AS files',
    );
    return { projects: Number(rows[0].projects), versions: Number(rows[0].versions), files: Number(rows[0].files) };
  };
  /** Physical identity and writing transaction of every row: unchanged when nothing was rewritten. */
  const fingerprint = async (db: (typeof dbs)[number]) => {
    const parts: string[] = [];
    for (const table of ['projects', 'releases', 'files', 'metadata', 'requirements']) {
      parts.push((await db.pool.query(`SELECT string_agg(ctid::text || xmin::text, ',' ORDER BY id) AS f FROM ${table}`)).rows[0].f);
    }
    return createHash('sha256').update(parts.join('|')).digest('hex');
  };

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'venvfarm-import-e2e-'));
    fixture = join(work, 'fixture');
    expected = writeFixture(fixture);
    for (let i = 0; i < 3; i++) dbs.push(await createTestDatabase());
  });

  afterAll(async () => {
    for (const db of dbs) await db.drop();
    rmSync(work, { recursive: true, force: true });
  });

  it('imports a dump: the counts it prints equal names.tsv.gz and the database', async () => {
    const [db] = dbs;
    const out = await run(db.url, ['import', fixture]);
    const summary = out.trim().split('\n').pop()!;
    expect(summary).toContain(`imported ${expected.projects} projects, ${expected.versions} releases, ${expected.files} files from ${SHARDS.length} shards`);
    expect(summary).toContain('(equal)');
    expect(await counts(db)).toEqual(expected);
    const job = (await db.pool.query("SELECT state, progress FROM mirror_runs WHERE kind = 'import'")).rows;
    expect(job).toHaveLength(1);
    expect(job[0].state).toBe('done');
    expect(job[0].progress.shards_done).toHaveLength(SHARDS.length);
    const serial = (await db.pool.query("SELECT serial FROM indexes WHERE name = 'pypi'")).rows[0].serial;
    expect(Number(serial)).toBe(Number((await db.pool.query('SELECT max(serial) AS s FROM releases')).rows[0].s));
  });

  it('changes nothing and duplicates nothing when the same dump is imported again', async () => {
    const [db] = dbs;
    const before = await fingerprint(db);
    const out = await run(db.url, ['import', fixture]);
    expect(out).toContain('new: 0 projects, 0 releases, 0 files; changed: 0 projects, 0 releases, 0 files');
    expect(await fingerprint(db)).toBe(before);
    expect(await counts(db)).toEqual(expected);
  });

  it('ends with the same rows after a kill -9 midway and a rerun', async () => {
    const [reference, db] = dbs;
    const child = venvfarm(db.url, ['import', fixture]);
    const exited = new Promise((resolve) => child.on('exit', resolve));
    // Kill as soon as some, not all, shards have committed.
    let done = 0;
    for (let i = 0; i < 2000 && done < 2; i++) {
      await new Promise((r) => setTimeout(r, 10));
      const { rows } = await db.pool.query("SELECT jsonb_array_length(progress -> 'shards_done') AS n FROM mirror_runs WHERE kind = 'import'");
      done = rows[0]?.n ?? 0;
    }
    child.kill('SIGKILL');
    await exited;
    const job = (await db.pool.query("SELECT state, jsonb_array_length(progress -> 'shards_done') AS n FROM mirror_runs WHERE kind = 'import'")).rows[0];
    expect(job.state).toBe('running'); // killed, not finished
    expect(job.n).toBeGreaterThanOrEqual(2);
    expect(job.n).toBeLessThan(SHARDS.length);
    expect((await counts(db)).files).toBeLessThan(expected.files);

    const out = await run(db.url, ['import', fixture]);
    expect(out).toContain(`resumed after ${job.n} committed shards`);
    expect(out).toContain(`imported ${expected.projects} projects, ${expected.versions} releases, ${expected.files} files`);
    expect(await counts(db)).toEqual(expected);
    expect((await db.pool.query("SELECT state FROM mirror_runs WHERE kind = 'import'")).rows).toEqual([{ state: 'done' }]);

    // Same content as the uninterrupted import, not just the same counts.
    const [a, b] = [join(work, 'after-kill-reference'), join(work, 'after-kill')];
    await run(reference.url, ['export', a]);
    await run(db.url, ['export', b]);
    expect(dumpDigest(b, SHARDS)).toEqual(dumpDigest(a, SHARDS));
  });

  it('exports a dump that reproduces the source and imports into a second database', async () => {
    const [source, , copy] = dbs;
    const exported = join(work, 'export');
    const out = await run(source.url, ['export', exported]);
    expect(out).toContain(`exported ${expected.projects} projects, ${expected.versions} releases, ${expected.files} files into 256 shards`);
    expect(dumpDigest(exported, SHARDS)).toEqual(dumpDigest(fixture, SHARDS));

    const imported = await run(copy.url, ['import', exported]);
    expect(imported).toContain('(equal)');
    expect(await counts(copy)).toEqual(expected);
    const again = join(work, 'export-of-copy');
    await run(copy.url, ['export', again]);
    expect(dumpDigest(again, SHARDS)).toEqual(dumpDigest(exported, SHARDS));
  });
});
