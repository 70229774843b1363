/**
 * Reads a dump folder: which shards it has, each shard's projects as ingest records, and the
 * totals of names.tsv.gz. Decompression runs on libuv's thread pool, so reading the next shard
 * overlaps with other work. A malformed line is reported and skipped, never fatal.
 */
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { ProjectRecord } from '../ingest/records';
import { DumpFormatError, parseDumpLine } from './dump-format';

const gunzipAsync = promisify(gunzip);

/** A folder that is not a dump. */
export class DumpNotFoundError extends Error {
  constructor(
    readonly dir: string,
    reason: string,
  ) {
    super(`${dir} is not a dump folder: ${reason}`);
    this.name = 'DumpNotFoundError';
  }
}

/** One shard's projects and the lines that were skipped. */
export interface ShardContents {
  readonly shard: string;
  readonly records: ProjectRecord[];
  readonly errors: DumpFormatError[];
  /** Uncompressed size, for progress in bytes. */
  readonly bytes: number;
}

/** Totals of names.tsv.gz. */
export interface DumpTotals {
  readonly projects: number;
  readonly versions: number;
  readonly files: number;
  readonly maxSerial: number;
}

/** The shard names (`00`..`ff`) present in `dir/projects`, sorted. */
export function listShards(dir: string): string[] {
  const projects = join(dir, 'projects');
  if (!existsSync(projects)) throw new DumpNotFoundError(dir, 'no projects/ folder');
  const shards = readdirSync(projects)
    .map((f) => /^([0-9a-f]{2})\.jsonl\.gz$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
  if (shards.length === 0) throw new DumpNotFoundError(dir, 'no projects/NN.jsonl.gz files');
  return shards;
}

/** Reads and parses one shard. */
export async function readShard(dir: string, shard: string): Promise<ShardContents> {
  const file = join(dir, 'projects', `${shard}.jsonl.gz`);
  let text: string;
  try {
    text = (await gunzipAsync(await readFile(file))).toString('utf8');
  } catch (error) {
    return { shard, records: [], errors: [new DumpFormatError(`cannot read ${file}: ${(error as Error).message}`, shard, 0)], bytes: 0 };
  }
  const records: ProjectRecord[] = [];
  const errors: DumpFormatError[] = [];
  let line = 0;
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    line++;
    if (end > start) {
      try {
        records.push(parseDumpLine(text.slice(start, end), shard, line));
      } catch (error) {
        if (!(error instanceof DumpFormatError)) throw error;
        errors.push(error);
      }
    }
    start = end + 1;
  }
  return { shard, records, errors, bytes: text.length };
}

/** Totals of `dir/names.tsv.gz`, or null when the dump has none. */
export async function readDumpTotals(dir: string): Promise<DumpTotals | null> {
  const file = join(dir, 'names.tsv.gz');
  if (!existsSync(file)) return null;
  const text = (await gunzipAsync(await readFile(file))).toString('utf8');
  let projects = 0;
  let versions = 0;
  let files = 0;
  let maxSerial = 0;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const fields = line.split('\t');
    projects++;
    versions += Number(fields[2]) || 0;
    files += Number(fields[3]) || 0;
    maxSerial = Math.max(maxSerial, Number(fields[4]) || 0);
  }
  return { projects, versions, files, maxSerial };
}
