/**
 * Turns ingest records into the COPY text of the staging tables, with everything that needs no
 * database computed up front: sortable version keys, file kinds and expanded wheel tags, the
 * digest that identifies a file's metadata, and the parsed columns of requirement strings not
 * known yet. Pure (no I/O), so an importer can prepare the next batch while the database merges
 * the previous one.
 *
 * Duplicates within a batch (the same project, version or filename twice) are merged, later
 * wins: one staged row per key keeps `INSERT ... ON CONFLICT DO UPDATE` from touching a row
 * twice in one statement, which PostgreSQL rejects.
 */
import { createHash } from 'node:crypto';
import { Version, keyToHex } from '@venvfarm/pep440';
import { normalizeName } from '@venvfarm/pep508';
import { formatTag, parseTag, sdistFormatOf } from '@venvfarm/wheel';
import { copyBool, copyBytea, copyInt, copyText, copyTextArray, sanitizeText } from './copy-text';
import { FileRecord, PENDING_SERIAL, ProjectRecord, ReleaseRecord } from './records';
import { requirementCopyLine } from './requirement-row';

/** Metadata (Requires-Python, Requires-Dist, Provides-Extra) not stored yet. */
export interface PreparedMetadata {
  /** Hex sha256 of the canonical JSON. */
  readonly digest: string;
  /** COPY fields digest, requires_python, provides_extras (requirement_ids follow at write time). */
  readonly line: string;
  /** Requires-Dist, in published order; mapped to requirement ids at write time. */
  readonly requirements: readonly string[];
}

/** One batch, ready for the staging tables. */
export interface PreparedBatch {
  readonly counts: { readonly projects: number; readonly releases: number; readonly files: number };
  /** The largest release serial in the batch. */
  readonly maxSerial: number;
  /** Normalized project names, in batch order. */
  readonly projectNames: readonly string[];
  /** COPY text of stage_projects. */
  readonly projects: string;
  /** Per release: the index of its project in `projectNames`, its version, and its COPY fields after project_id. */
  readonly releaseProjects: readonly number[];
  readonly releaseVersions: readonly string[];
  readonly releaseLines: readonly string[];
  /** Per file: the index of its release, and its COPY fields between release_id and metadata_id. */
  readonly fileReleases: readonly number[];
  readonly fileLines: readonly string[];
  /** The metadata digest of each file line, or null when its metadata is unknown. */
  readonly fileDigests: readonly (string | null)[];
  /** Requirement strings the writer did not know, with their COPY lines. */
  readonly requirementTexts: readonly string[];
  readonly requirementLines: readonly string[];
  readonly metadata: readonly PreparedMetadata[];
}

/** What the writer already has ids for; those are neither parsed nor staged again. */
export interface KnownRows {
  hasRequirement(text: string): boolean;
  hasMetadata(digest: string): boolean;
}

/** A file's kind from its name: wheels, the sdist archive kinds, anything else. */
export function fileKind(filename: string): 'wheel' | 'sdist' | 'other' {
  if (filename.endsWith('.whl')) return 'wheel';
  return sdistFormatOf(filename) === null ? 'other' : 'sdist';
}

// Most wheels share a handful of tag triples (py3-none-any, ...), so each is parsed once.
const tagCache = new Map<string, string[] | null>();

/** Expanded tags of a wheel filename (`py2.py3-none-any` gives two), or null when malformed. */
export function wheelTags(filename: string): string[] | null {
  const stem = filename.slice(0, -4);
  const parts = stem.split('-');
  if (parts.length < 5 || parts.length > 6) return null;
  const triple = parts.slice(-3).join('-');
  let tags = tagCache.get(triple);
  if (tags === undefined) {
    try {
      tags = parseTag(triple).map(formatTag);
    } catch {
      tags = null;
    }
    if (tagCache.size > 100_000) tagCache.clear();
    tagCache.set(triple, tags);
  }
  return tags;
}

/** The canonical JSON whose sha256 identifies a file's metadata. */
export function canonicalMetadata(requiresPython: string | null, requiresDist: readonly string[], providesExtras: readonly string[]): string {
  return JSON.stringify([requiresPython, requiresDist, providesExtras]);
}

/** Hex sha256 of canonical metadata. */
export function metadataDigest(canonical: string): string {
  return createHash('sha256').update(canonical).digest('hex');
}

const HEX64 = /^[0-9a-fA-F]{64}$/;

function hex64(value: string | null | undefined): string | null {
  return typeof value === 'string' && HEX64.test(value) ? value.toLowerCase() : null;
}

/** An ISO time PostgreSQL accepts, or null for anything unparsable or out of range. */
function timestamp(value: string | null | undefined): string | null {
  if (typeof value !== 'string' || value === '') return null;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return null;
  const date = new Date(ms);
  const year = date.getUTCFullYear();
  return year < 1 || year > 9999 ? null : date.toISOString();
}

function wholeNumber(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : null;
}

interface DedupedProject {
  serial: number;
  releases: Map<string, { release: ReleaseRecord; files: Map<string, FileRecord> }>;
}

/** Later wins: merges duplicate projects, versions and filenames of a batch. */
function dedupe(records: readonly ProjectRecord[]): Map<string, DedupedProject> {
  const projects = new Map<string, DedupedProject>();
  for (const record of records) {
    const name = normalizeName(sanitizeText(record.name));
    let project = projects.get(name);
    if (project === undefined) projects.set(name, (project = { serial: 0, releases: new Map() }));
    project.serial = record.serial === PENDING_SERIAL ? PENDING_SERIAL : (wholeNumber(record.serial) ?? project.serial);
    for (const release of record.releases) {
      const version = sanitizeText(release.version);
      let entry = project.releases.get(version);
      if (entry === undefined) project.releases.set(version, (entry = { release, files: new Map() }));
      else entry.release = release;
      for (const file of release.files) entry.files.set(sanitizeText(file.filename), file);
    }
  }
  return projects;
}

/** The common Requires-Python of a release's files, or null when they differ or there are none. */
function commonRequiresPython(files: Iterable<FileRecord>): string | null {
  let common: string | null | undefined;
  for (const file of files) {
    if (common === undefined) common = file.requiresPython;
    else if (common !== file.requiresPython) return null;
  }
  return common ?? null;
}

function releaseYank(release: ReleaseRecord, files: readonly FileRecord[]): false | string {
  if (release.yanked !== undefined) return release.yanked;
  if (files.length === 0 || files.some((f) => f.yanked === false)) return false;
  return files[0].yanked;
}

/** Accumulates prepared rows project by project (see {@link prepareBatch}). */
class BatchBuilder {
  private readonly projectNames: string[] = [];
  private readonly projectLines: string[] = [];
  private readonly releaseProjects: number[] = [];
  private readonly releaseVersions: string[] = [];
  private readonly releaseLines: string[] = [];
  private readonly fileReleases: number[] = [];
  private readonly fileLines: string[] = [];
  private readonly fileDigests: (string | null)[] = [];
  private readonly requirementTexts: string[] = [];
  private readonly requirementLines: string[] = [];
  private readonly metadata: PreparedMetadata[] = [];
  private readonly stagedRequirements = new Set<string>();
  private readonly digests = new Map<string, string>();
  private maxSerial = 0;

  constructor(private readonly known: KnownRows) {}

  add(name: string, project: DedupedProject): void {
    const projectIndex = this.projectNames.length;
    this.projectNames.push(name);
    this.projectLines.push(`${projectIndex}\t${copyText(name)}\t${project.serial}`);
    for (const [version, { release, files: fileMap }] of project.releases) {
      const files = [...fileMap.values()];
      const key = Version.tryParse(version)?.key();
      const yank = releaseYank(release, files);
      const serial = wholeNumber(release.serial) ?? 0;
      if (serial > this.maxSerial) this.maxSerial = serial;
      const releaseIndex = this.releaseLines.length;
      this.releaseProjects.push(projectIndex);
      this.releaseVersions.push(version);
      this.releaseLines.push(
        [
          releaseIndex,
          copyText(version),
          key === undefined ? '\\N' : copyBytea(keyToHex(key)),
          copyBool(key === undefined),
          copyBool(yank !== false),
          yank === false ? '\\N' : copyText(yank),
          copyText(commonRequiresPython(files)),
          copyText(timestamp(release.uploadTime)),
          serial,
        ].join('\t'),
      );
      for (const [filename, file] of fileMap) {
        const kind = fileKind(filename);
        this.fileReleases.push(releaseIndex);
        this.fileLines.push(
          [
            this.fileLines.length,
            copyText(filename),
            kind,
            kind === 'wheel' ? copyTextArray(wheelTags(filename)) : '\\N',
            copyBytea(hex64(file.sha256)),
            copyInt(wholeNumber(file.size)),
            copyText(file.url),
            copyText(file.requiresPython),
            copyBool(file.yanked !== false),
            file.yanked === false ? '\\N' : copyText(file.yanked),
            copyBytea(hex64(file.metadataSha256)),
            copyBool(file.synthetic === true),
            copyText(timestamp(file.uploadTime)),
          ].join('\t'),
        );
        this.fileDigests.push(file.requiresDist === null ? null : this.stageMetadata(file.requiresPython, file.requiresDist, file.providesExtras));
      }
    }
  }

  /** The digest of a file's metadata, staging the metadata and its new requirement strings. */
  private stageMetadata(requiresPython: string | null, rawRequiresDist: readonly string[], providesExtras: readonly string[]): string {
    const requiresDist = rawRequiresDist.map(sanitizeText);
    const canonical = canonicalMetadata(requiresPython, requiresDist, providesExtras);
    let digest = this.digests.get(canonical);
    if (digest !== undefined) return digest;
    digest = metadataDigest(canonical);
    this.digests.set(canonical, digest);
    if (this.known.hasMetadata(digest)) return digest;
    this.metadata.push({
      digest,
      line: `${copyBytea(digest)}\t${copyText(requiresPython)}\t${copyTextArray(providesExtras)}`,
      requirements: requiresDist,
    });
    for (const text of requiresDist) {
      if (this.stagedRequirements.has(text) || this.known.hasRequirement(text)) continue;
      this.stagedRequirements.add(text);
      this.requirementTexts.push(text);
      this.requirementLines.push(requirementCopyLine(text));
    }
    return digest;
  }

  build(): PreparedBatch {
    return {
      counts: { projects: this.projectLines.length, releases: this.releaseLines.length, files: this.fileLines.length },
      maxSerial: this.maxSerial,
      projectNames: this.projectNames,
      projects: this.projectLines.length === 0 ? '' : this.projectLines.join('\n') + '\n',
      releaseProjects: this.releaseProjects,
      releaseVersions: this.releaseVersions,
      releaseLines: this.releaseLines,
      fileReleases: this.fileReleases,
      fileLines: this.fileLines,
      fileDigests: this.fileDigests,
      requirementTexts: this.requirementTexts,
      requirementLines: this.requirementLines,
      metadata: this.metadata,
    };
  }
}

/** Prepares a batch of records; `known` says which requirement strings and metadata need no staging. */
export function prepareBatch(records: readonly ProjectRecord[], known: KnownRows): PreparedBatch {
  const builder = new BatchBuilder(known);
  for (const [name, project] of dedupe(records)) builder.add(name, project);
  return builder.build();
}

/**
 * {@link prepareBatch}, yielding to the event loop every `slice` projects, so that the
 * database work of an earlier batch keeps moving (its next statement is sent from a callback)
 * while this one is prepared.
 */
export async function prepareBatchAsync(records: readonly ProjectRecord[], known: KnownRows, slice = 20): Promise<PreparedBatch> {
  const builder = new BatchBuilder(known);
  let n = 0;
  for (const [name, project] of dedupe(records)) {
    builder.add(name, project);
    if (++n % slice === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  return builder.build();
}
