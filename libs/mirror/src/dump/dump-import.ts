/**
 * `venvfarm mirror import DIR`: loads a dump (see dump-format.ts) into one index of the mirror
 * through the ingest writer, one shard per transaction.
 *
 * Crash safety: a shard's rows and the job progress naming it as done commit together, so a
 * run killed at any point leaves whole shards; the rerun resumes the same job and skips them.
 * Importing a dump again changes nothing (the writer's merges skip identical rows).
 *
 * Speed: the next shard is read (gunzip on the thread pool) and prepared (parsing, hashing,
 * COPY text; in slices that yield to the event loop) while PostgreSQL merges the previous one,
 * so the database and Node each keep a core busy.
 */
import { resolve } from 'node:path';
import type { Pool } from 'pg';
import { IngestWriter, WriteResult } from '../ingest/ingest-writer';
import { IngestRepository } from '../ingest/ingest.repository';
import { refreshRequiresPythonRanges } from '../repositories/closure.repository';
import { mirrorStatus, MirrorStatus } from '../repositories/status.repository';
import type { DumpFormatError } from './dump-format';
import { DumpJobRepository } from './dump-job.repository';
import { DumpTotals, listShards, readDumpTotals, readShard, ShardContents } from './dump-reader';

/** Counts per table. */
export interface TableCounts {
  projects: number;
  releases: number;
  files: number;
}

/** Progress of an import, after each committed shard. */
export interface ImportProgress {
  readonly jobId: number;
  readonly shardsDone: number;
  readonly shardsTotal: number;
  /** Rows of the dump processed so far (including shards committed by an interrupted run). */
  readonly processed: TableCounts;
  /** Rows processed by this run, for rates. */
  readonly processedThisRun: TableCounts;
  readonly elapsedMs: number;
}

/** What an import did. */
export interface ImportSummary {
  readonly jobId: number;
  readonly dir: string;
  readonly shards: number;
  /** Shards an interrupted earlier run had committed, skipped by this one. */
  readonly resumedShards: number;
  /** Rows of the dump (projects, versions, files), whether new, changed or unchanged. */
  readonly processed: TableCounts;
  readonly inserted: TableCounts;
  readonly updated: TableCounts;
  readonly skippedLines: number;
  readonly elapsedMs: number;
  /** Of which: statistics and Requires-Python ranges after the last shard. */
  readonly finishingMs: number;
  /** Totals of names.tsv.gz, when the dump has one. */
  readonly expected: DumpTotals | null;
  readonly mirror: MirrorStatus['counts'];
}

/** Options of an import. */
export interface ImportOptions {
  readonly indexName?: string;
  readonly onProgress?: (progress: ImportProgress) => void;
  /** A malformed line or unreadable shard (reported and skipped). */
  readonly onProblem?: (problem: DumpFormatError) => void;
  /** Start over instead of resuming an interrupted import of the same folder. */
  readonly restart?: boolean;
}

/** What an import run keeps in mirror_runs.progress. */
interface StoredProgress {
  shards_done: string[];
  shards_total: number;
  processed: TableCounts;
  inserted: TableCounts;
  updated: TableCounts;
  skipped_lines: number;
  max_serial: number;
}

const zero = (): TableCounts => ({ projects: 0, releases: 0, files: 0 });

function add(into: TableCounts, result: WriteResult, field: 'inserted' | 'updated'): void {
  into.projects += result.projects[field];
  into.releases += result.releases[field];
  into.files += result.files[field];
}

function restore(progress: Record<string, unknown>, total: number): StoredProgress {
  const p = progress as Partial<StoredProgress>;
  return {
    shards_done: Array.isArray(p.shards_done) ? p.shards_done : [],
    shards_total: total,
    processed: { ...zero(), ...p.processed },
    inserted: { ...zero(), ...p.inserted },
    updated: { ...zero(), ...p.updated },
    skipped_lines: p.skipped_lines ?? 0,
    max_serial: p.max_serial ?? 0,
  };
}

/** Imports the dump in `dir` into index `indexName` (default 'pypi'). */
export async function importDump(pool: Pool, dir: string, options: ImportOptions = {}): Promise<ImportSummary> {
  const root = resolve(dir);
  const indexName = options.indexName ?? 'pypi';
  const shards = listShards(root);
  const expected = await readDumpTotals(root);
  const jobs = new DumpJobRepository(pool);
  const job = await jobs.claim('import', indexName, { dir: root }, options.restart !== true);
  const started = Date.now();
  try {
    const state = restore(job.progress, shards.length);
    const resumedShards = state.shards_done.length;
    const done = new Set(state.shards_done);
    const todo = shards.filter((s) => !done.has(s));
    const thisRun = zero();
    let changedThisRun = 0;
    const writer = new IngestWriter(pool, job.indexId, { synchronousCommit: false, trustReferences: true });

    const read = (i: number): Promise<ShardContents> | null => (i < todo.length ? readShard(root, todo[i]) : null);
    let next = read(0);
    let writing: Promise<void> = Promise.resolve();
    for (let i = 0; next !== null; i++) {
      const contents = await next;
      next = read(i + 1);
      for (const problem of contents.errors) options.onProblem?.(problem);
      const batch = await writer.prepareAsync(contents.records);
      await writing;
      writing = writer
        .writePrepared(batch, {
          inTransaction: async (client) => {
            const after = structuredClone(state);
            after.shards_done.push(contents.shard);
            after.skipped_lines += contents.errors.length;
            after.max_serial = Math.max(after.max_serial, batch.maxSerial);
            after.processed.projects += batch.counts.projects;
            after.processed.releases += batch.counts.releases;
            after.processed.files += batch.counts.files;
            await jobs.reportProgress(client, job.id, { ...after, elapsed_ms: Date.now() - started });
          },
        })
        .then((result) => {
          // Only now is the shard committed; the in-memory state follows the stored one.
          state.shards_done.push(contents.shard);
          state.skipped_lines += contents.errors.length;
          state.max_serial = Math.max(state.max_serial, batch.maxSerial);
          for (const counts of [state.processed, thisRun]) {
            counts.projects += batch.counts.projects;
            counts.releases += batch.counts.releases;
            counts.files += batch.counts.files;
          }
          add(state.inserted, result, 'inserted');
          add(state.updated, result, 'updated');
          for (const table of [result.projects, result.releases, result.files]) changedThisRun += table.inserted + table.updated;
          options.onProgress?.({
            jobId: job.id,
            shardsDone: state.shards_done.length,
            shardsTotal: shards.length,
            processed: { ...state.processed },
            processedThisRun: { ...thisRun },
            elapsedMs: Date.now() - started,
          });
        });
      // Surface a failed write at once rather than after the next shard is prepared.
      writing.catch(() => undefined);
    }
    await writing;

    await jobs.advanceIndexSerial(job.indexId, state.max_serial);
    // What readers need once the rows are in: planner statistics for the new tables, and the
    // parsed Requires-Python ranges the candidate closure prefilters with.
    const finishing = Date.now();
    if (changedThisRun > 0 || resumedShards > 0) await new IngestRepository().analyze(pool);
    await refreshRequiresPythonRanges(pool);
    const finishingMs = Date.now() - finishing;
    const mirror = (await mirrorStatus(pool, indexName)).counts;
    const summary: ImportSummary = {
      jobId: job.id,
      dir: root,
      shards: shards.length,
      resumedShards,
      processed: state.processed,
      inserted: state.inserted,
      updated: state.updated,
      skippedLines: state.skipped_lines,
      elapsedMs: Date.now() - started,
      finishingMs,
      expected,
      mirror,
    };
    await jobs.reportProgress(pool, job.id, { ...state, elapsed_ms: summary.elapsedMs, mirror });
    await jobs.finish(job.id, 'done');
    return summary;
  } catch (error) {
    await jobs.finish(job.id, { error: error instanceof Error ? error.message : String(error) }).catch(() => undefined);
    throw error;
  } finally {
    await job.release();
  }
}
