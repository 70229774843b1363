/**
 * `venvfarm mirror export DIR`: writes one index of the mirror in the dump format (see
 * dump-format.ts), so `venvfarm mirror import DIR` on another venvfarm seeds it with the same
 * projects, releases, files and metadata. Every shard file and names.tsv.gz is written under a
 * temporary name and renamed, so a reader never sees half a file.
 */
import { mkdirSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { Pool } from 'pg';
import type { FileRecord } from '../ingest/records';
import { DumpExportRepository, ExportReleaseRow } from './dump-export.repository';
import { ExportRelease, formatDumpLine, SHARDS, shardOf } from './dump-format';
import { DumpJobRepository } from './dump-job.repository';
import type { TableCounts } from './dump-import';

const gzipAsync = promisify(gzip);

/** Progress of an export, after each shard. */
export interface DumpExportProgress {
  readonly shardsDone: number;
  readonly shardsTotal: number;
  readonly processed: TableCounts;
  readonly elapsedMs: number;
}

/** What an export wrote. */
export interface DumpExportSummary {
  readonly jobId: number;
  readonly dir: string;
  readonly shards: number;
  readonly processed: TableCounts;
  readonly elapsedMs: number;
}

/** Options of an export. */
export interface DumpExportOptions {
  readonly indexName?: string;
  readonly onProgress?: (progress: DumpExportProgress) => void;
}

/** `2020-05-31T06:21:25Z` (the dump's spelling), with milliseconds only when there are some. */
export function dumpTime(date: Date | null): string | null {
  if (date === null) return null;
  const iso = date.toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}

async function writeAtomically(path: string, data: Buffer): Promise<void> {
  const temporary = `${path}.tmp-${process.pid}`;
  await writeFile(temporary, data);
  await rename(temporary, path);
}

interface ProjectLine {
  name: string;
  line: string;
  releases: number;
  files: number;
  maxSerial: number;
}

/** Builds the dump lines of one shard's projects. */
async function shardLines(snapshot: DumpExportRepository, projects: readonly { id: number; name: string; serial: number }[]): Promise<ProjectLine[]> {
  const rows = await snapshot.releases(projects.map((p) => p.id));
  const metadataIds = [...new Set(rows.map((r) => r.metadata_id).filter((id): id is number => id !== null))];
  const metadata = new Map((await snapshot.metadata(metadataIds)).map((m) => [m.id, m]));

  const byProject = new Map<number, ExportReleaseRow[]>();
  for (const row of rows) {
    let list = byProject.get(row.project_id);
    if (list === undefined) byProject.set(row.project_id, (list = []));
    list.push(row);
  }
  return projects.map((project) => {
    const releases: (ExportRelease & { files: FileRecord[] })[] = [];
    let last: string | null = null;
    let files = 0;
    let maxSerial = 0;
    for (const row of byProject.get(project.id) ?? []) {
      if (row.release_id !== last) {
        last = row.release_id;
        const serial = Number(row.serial);
        maxSerial = Math.max(maxSerial, serial);
        releases.push({
          version: row.version,
          serial,
          uploadTime: dumpTime(row.upload_time),
          invalid: row.invalid,
          yanked: row.yanked ? (row.yanked_reason ?? '') : false,
          files: [],
        });
      }
      if (row.filename === null) continue;
      files++;
      const meta = row.metadata_id === null ? undefined : metadata.get(row.metadata_id);
      releases[releases.length - 1].files.push({
        filename: row.filename,
        requiresPython: row.requires_python,
        requiresDist: meta?.requires_dist ?? null,
        providesExtras: meta?.provides_extras ?? [],
        synthetic: row.synthetic === true,
        sha256: row.sha256,
        size: row.size === null ? null : Number(row.size),
        url: row.url,
        yanked: row.file_yanked ? (row.file_yanked_reason ?? '') : false,
        metadataSha256: row.metadata_sha256,
        uploadTime: dumpTime(row.file_upload_time),
      });
    }
    return { name: project.name, line: formatDumpLine(project.name, project.serial, releases), releases: releases.length, files, maxSerial };
  });
}

/** Exports index `indexName` (default 'pypi') into `dir` (projects/NN.jsonl.gz and names.tsv.gz). */
export async function exportDump(pool: Pool, dir: string, options: DumpExportOptions = {}): Promise<DumpExportSummary> {
  const root = resolve(dir);
  const indexName = options.indexName ?? 'pypi';
  const jobs = new DumpJobRepository(pool);
  const job = await jobs.claim('export', indexName, { dir: root }, false);
  const started = Date.now();
  let snapshot: DumpExportRepository | null = null;
  try {
    mkdirSync(join(root, 'projects'), { recursive: true });
    snapshot = await DumpExportRepository.open(pool);
    const byShard = new Map<string, { id: number; name: string; serial: number }[]>(SHARDS.map((s) => [s, []]));
    for (const p of await snapshot.projects(job.indexId)) byShard.get(shardOf(p.name))!.push({ id: p.id, name: p.name, serial: Number(p.serial) });

    const processed: TableCounts = { projects: 0, releases: 0, files: 0 };
    const names: string[] = [];
    let writing: Promise<void> = Promise.resolve();
    for (const [i, shard] of SHARDS.entries()) {
      // Code-point order, as the source dump sorts (not the database's collation).
      const projects = byShard.get(shard)!.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const lines = projects.length === 0 ? [] : await shardLines(snapshot, projects);
      for (const l of lines) {
        names.push(`${l.name}\t${shard}\t${l.releases}\t${l.files}\t${l.maxSerial}`);
        processed.projects++;
        processed.releases += l.releases;
        processed.files += l.files;
      }
      const text = lines.map((l) => l.line + '\n').join('');
      await writing;
      // Compression and the write overlap with reading the next shard.
      writing = gzipAsync(Buffer.from(text, 'utf8')).then((data) => writeAtomically(join(root, 'projects', `${shard}.jsonl.gz`), data));
      writing.catch(() => undefined);
      const progress = { shardsDone: i + 1, shardsTotal: SHARDS.length, processed: { ...processed }, elapsedMs: Date.now() - started };
      await jobs.reportProgress(pool, job.id, { shards_done: i + 1, shards_total: SHARDS.length, processed, elapsed_ms: progress.elapsedMs });
      options.onProgress?.(progress);
    }
    await writing;
    names.sort((a, b) => {
      const x = a.slice(0, a.indexOf('\t'));
      const y = b.slice(0, b.indexOf('\t'));
      return x < y ? -1 : x > y ? 1 : 0;
    });
    await writeAtomically(join(root, 'names.tsv.gz'), await gzipAsync(Buffer.from(names.map((n) => n + '\n').join(''), 'utf8')));
    await jobs.finish(job.id, 'done');
    return { jobId: job.id, dir: root, shards: SHARDS.length, processed, elapsedMs: Date.now() - started };
  } catch (error) {
    await jobs.finish(job.id, { error: error instanceof Error ? error.message : String(error) }).catch(() => undefined);
    throw error;
  } finally {
    await snapshot?.close();
    await job.release();
  }
}
