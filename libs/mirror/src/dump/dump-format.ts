/**
 * The dump format of ../shared/data/pypi-2023-09 (see its README): `projects/NN.jsonl.gz`, one
 * compact JSON object per project and line, sorted by name, NN = the first two hex digits of
 * sha256(name); and `names.tsv.gz` with `name, shard, n_versions, n_files, max_serial` per
 * project. This module converts one line to and from a {@link ProjectRecord}.
 *
 * venvfarm's export writes the same format, adding optional keys only when they carry
 * something the source dump never has (hashes, sizes, URLs, yanks, a project serial ahead of
 * its releases), so an export of an imported dump reproduces the dump's lines byte for byte and
 * one venvfarm can seed another without losing what its sync learnt.
 */
import { createHash } from 'node:crypto';
import type { FileRecord, ProjectRecord, ReleaseRecord } from '../ingest/records';

/** A line of a dump that is not a project object. */
export class DumpFormatError extends Error {
  constructor(
    readonly reason: string,
    readonly shard: string,
    readonly line: number,
  ) {
    super(`${shard}:${line}: ${reason}`);
    this.name = 'DumpFormatError';
  }
}

/** The dump shard of a (normalized) project name. */
export function shardOf(name: string): string {
  return createHash('sha256').update(name, 'utf8').digest('hex').slice(0, 2);
}

/** The 256 shard names, 00..ff. */
export const SHARDS: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

interface DumpFile {
  filename: string;
  requires_python: string | null;
  requires_dist: string[] | null;
  provides_extras: string[];
  synthetic?: true;
  sha256?: string;
  size?: number;
  url?: string;
  yanked?: string | true;
  metadata_sha256?: string;
  upload_time?: string;
}

interface DumpRelease {
  version: string;
  files: DumpFile[];
  serial: number;
  upload_time: string | null;
  invalid?: true;
  yanked?: string | boolean;
}

interface DumpProject {
  name: string;
  versions: DumpRelease[];
  serial?: number;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function yankOf(value: unknown): false | string {
  if (value === true) return '';
  return isString(value) ? value : false;
}

function optionalString(value: unknown): string | null {
  return isString(value) ? value : null;
}

/** Parses one dump line; throws {@link DumpFormatError} when it is not a project. */
export function parseDumpLine(text: string, shard: string, line: number): ProjectRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new DumpFormatError(`not JSON: ${(error as Error).message}`, shard, line);
  }
  const fail = (reason: string): never => {
    throw new DumpFormatError(reason, shard, line);
  };
  if (!isObject(value) || !isString(value.name) || value.name === '') return fail('expected an object with a "name"');
  if (!Array.isArray(value.versions)) return fail(`${value.name}: "versions" is not a list`);
  let maxSerial = 0;
  const releases: ReleaseRecord[] = value.versions.map((v: unknown, i: number): ReleaseRecord => {
    if (!isObject(v) || !isString(v.version)) return fail(`${value.name}: version #${i} has no "version" string`);
    if (!Array.isArray(v.files)) return fail(`${value.name} ${v.version}: "files" is not a list`);
    const serial = typeof v.serial === 'number' && Number.isSafeInteger(v.serial) && v.serial >= 0 ? v.serial : 0;
    if (serial > maxSerial) maxSerial = serial;
    const files = v.files.map((f: unknown, j: number): FileRecord => {
      if (!isObject(f) || !isString(f.filename) || f.filename === '') return fail(`${value.name} ${v.version}: file #${j} has no "filename"`);
      const requiresDist = f.requires_dist === null || f.requires_dist === undefined ? null : f.requires_dist;
      if (requiresDist !== null && !isStringArray(requiresDist)) return fail(`${f.filename}: "requires_dist" is not a list of strings`);
      const extras = f.provides_extras ?? [];
      if (!isStringArray(extras)) return fail(`${f.filename}: "provides_extras" is not a list of strings`);
      return {
        filename: f.filename,
        requiresPython: optionalString(f.requires_python),
        requiresDist,
        providesExtras: extras,
        yanked: yankOf(f.yanked),
        synthetic: f.synthetic === true,
        sha256: optionalString(f.sha256),
        size: typeof f.size === 'number' ? f.size : null,
        url: optionalString(f.url),
        metadataSha256: optionalString(f.metadata_sha256),
        uploadTime: optionalString(f.upload_time),
      };
    });
    return {
      version: v.version,
      serial,
      uploadTime: optionalString(v.upload_time),
      files,
      ...(v.yanked !== undefined ? { yanked: yankOf(v.yanked) } : {}),
    };
  });
  const serial = typeof value.serial === 'number' && Number.isSafeInteger(value.serial) ? Math.max(value.serial, maxSerial) : maxSerial;
  return { name: value.name, serial, releases };
}

/** A release as the export writes it; `invalid` mirrors the source dump's flag. */
export interface ExportRelease extends ReleaseRecord {
  readonly invalid: boolean;
}

/** One dump line (without newline) for a project; key order matches the source dump. */
export function formatDumpLine(name: string, serial: number, releases: readonly ExportRelease[]): string {
  let maxSerial = 0;
  const versions: DumpRelease[] = releases.map((r) => {
    if (r.serial > maxSerial) maxSerial = r.serial;
    const release: DumpRelease = {
      version: r.version,
      files: r.files.map((f) => {
        const file: DumpFile = {
          filename: f.filename,
          requires_python: f.requiresPython,
          requires_dist: f.requiresDist === null ? null : [...f.requiresDist],
          provides_extras: [...f.providesExtras],
        };
        if (f.synthetic) file.synthetic = true;
        if (f.sha256) file.sha256 = f.sha256;
        if (f.size !== null && f.size !== undefined) file.size = f.size;
        if (f.url) file.url = f.url;
        if (f.yanked !== false) file.yanked = f.yanked;
        if (f.metadataSha256) file.metadata_sha256 = f.metadataSha256;
        if (f.uploadTime) file.upload_time = f.uploadTime;
        return file;
      }),
      serial: r.serial,
      upload_time: r.uploadTime,
    };
    if (r.invalid) release.invalid = true;
    // Import derives a release's yank from its files when the key is absent; say it only
    // when that would be wrong.
    const derived = r.files.length > 0 && r.files.every((f) => f.yanked !== false);
    const yanked = r.yanked ?? false;
    if (yanked !== false) release.yanked = yanked;
    else if (derived) release.yanked = false;
    return release;
  });
  const project: DumpProject = { name, versions };
  if (serial > maxSerial) project.serial = serial;
  return JSON.stringify(project);
}
