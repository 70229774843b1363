/**
 * Turns a simple-API project page plus the core metadata of its files into the ProjectRecord the
 * ingest writer stores. The simple API lists files, not releases, so each file's release is
 * read from its filename (wheel: between the name and the tags; sdist: what follows the project
 * name; egg: the second field) and matched to the page's published spellings (PEP 700
 * `versions`) first exactly, then by PEP 440 equality, so `1.0` and `1.0.0`, both published,
 * stay two releases.
 * Files whose release cannot be told (installers with free-form names) are left out and counted.
 * A release is yanked when its files are (PEP 592 yanks whole releases on PyPI).
 */
import { keyToHex, Version } from '@venvfarm/pep440';
import { sdistFormatOf } from '@venvfarm/wheel';
import type { FileRecord, ProjectRecord, ReleaseRecord } from '../ingest/records';
import { normalizeName } from '@venvfarm/pep508';
import type { SimpleFile, SimpleProjectPage } from '@venvfarm/upstream';

/** What the mirror knows of a file's core metadata. */
export interface FileMetadata {
  readonly requiresPython: string | null;
  readonly requiresDist: readonly string[];
  readonly providesExtras: readonly string[];
}

/**
 * The version texts a filename may carry, most likely first, or [] when it cannot be told.
 * Wheels put dashes only between fields, but legacy and synthetic wheels of versions such as
 * `0.1-bulbasaur` or `2013-02-16` do not escape them, so a wheel yields the spec reading (with
 * or without a build tag) and the reading with every middle field joined; the published
 * versions decide between them.
 */
export function versionCandidates(filename: string, project: string): string[] {
  if (filename.endsWith('.whl')) {
    const parts = filename.slice(0, -4).split('-');
    if (parts.length < 5) return [];
    const middle = parts.slice(1, -3);
    const candidates = [middle.length === 2 && /^\d/.test(middle[1]) ? middle[0] : middle.join('-'), middle.join('-'), middle[0]];
    return [...new Set(candidates.filter((c) => c !== ''))];
  }
  if (filename.endsWith('.egg')) {
    const parts = filename.split('-');
    return parts.length >= 3 && parts[1] !== '' ? [parts[1]] : [];
  }
  const format = sdistFormatOf(filename);
  if (format === null) return [];
  const stem = filename.slice(0, filename.length - format.length - 1);
  // The first '-' whose prefix normalizes to the project (pip's _find_name_version_sep).
  for (let i = stem.indexOf('-'); i >= 0; i = stem.indexOf('-', i + 1)) {
    if (normalizeName(stem.slice(0, i)) === project) return stem.length > i + 1 ? [stem.slice(i + 1)] : [];
  }
  const last = stem.lastIndexOf('-');
  return last > 0 && last < stem.length - 1 ? [stem.slice(last + 1)] : [];
}

/** The most likely version text of a filename, or null. */
export function versionInFilename(filename: string, project: string): string | null {
  return versionCandidates(filename, project)[0] ?? null;
}

const keyOf = (text: string): string | null => {
  const version = Version.tryParse(text);
  return version === null ? null : keyToHex(version.key());
};

/**
 * Maps the version texts of a filename to a release: a published spelling (PEP 700 `versions`)
 * equal to a candidate as written, else one PEP 440-equal to it (`3.2.0.0` is `3.2.0`). An
 * HTML page has no published list, so one is made from the filenames, sdists first: their
 * version is written as published (`2015.04.28`), where wheel tools may have normalized or
 * escaped it.
 */
export class PublishedVersions {
  private readonly exact = new Set<string>();
  private readonly byKey = new Map<string, string>();

  constructor(published: readonly string[] | null) {
    for (const v of published ?? []) this.add(v);
  }

  /** The published list of a page, or one made from its filenames. */
  static of(page: SimpleProjectPage): PublishedVersions {
    if (page.versions !== null && page.versions.length > 0) return new PublishedVersions(page.versions);
    const made = new PublishedVersions(null);
    const sdistsFirst = [...page.files].sort((a, b) => Number(sdistFormatOf(b.filename) !== null) - Number(sdistFormatOf(a.filename) !== null));
    for (const file of sdistsFirst) {
      const text = versionCandidates(file.filename, page.name)[0];
      if (text !== undefined && made.resolve(text) === null) made.add(text);
    }
    return made;
  }

  private add(text: string): void {
    this.exact.add(text);
    const key = keyOf(text);
    if (key !== null && !this.byKey.has(key)) this.byKey.set(key, text);
  }

  /** The published release a file's candidates name, or null when none does. */
  resolve(candidates: string | readonly string[]): string | null {
    const texts = typeof candidates === 'string' ? [candidates] : candidates;
    for (const text of texts) if (this.exact.has(text)) return text;
    for (const text of texts) {
      const key = keyOf(text);
      const published = key === null ? undefined : this.byKey.get(key);
      if (published !== undefined) return published;
    }
    return null;
  }

  /**
   * The release of a file whose name carries `candidates` (see versionCandidates): the published
   * one, else (a file of no published release) its own version as written; null when the
   * filename tells none.
   */
  releaseOf(candidates: readonly string[]): string | null {
    return this.resolve(candidates) ?? candidates[0] ?? null;
  }
}

/** How a page became a record. */
export interface BuiltRecord {
  readonly record: ProjectRecord;
  /** Files whose release could not be told from the filename. */
  readonly unplaced: readonly string[];
  /** Files left out by the allow-list. */
  readonly filteredFiles: number;
}

/**
 * Builds the record of one project.
 * @param metadata core metadata by filename, for the files whose metadata is known
 * @param allows whether a release may be mirrored
 * @param serial the serial to commit for the project
 * @param releaseSerials serials of releases from the changelog, when known; others get `serial`
 */
export function buildProjectRecord(
  page: SimpleProjectPage,
  metadata: ReadonlyMap<string, FileMetadata>,
  allows: (version: string) => boolean,
  serial: number,
  releaseSerials: ReadonlyMap<string, number> = new Map(),
): BuiltRecord {
  const published = PublishedVersions.of(page);
  const releases = new Map<string, { files: FileRecord[]; uploadTime: string | null }>();
  const unplaced: string[] = [];
  let filteredFiles = 0;
  for (const version of page.versions ?? []) if (allows(version)) releases.set(version, { files: [], uploadTime: null });

  for (const file of page.files) {
    const version = published.releaseOf(versionCandidates(file.filename, page.name));
    if (version === null) {
      unplaced.push(file.filename);
      continue;
    }
    if (!allows(version)) {
      filteredFiles++;
      continue;
    }
    let release = releases.get(version);
    if (release === undefined) releases.set(version, (release = { files: [], uploadTime: null }));
    release.files.push(fileRecord(file, metadata.get(file.filename)));
    if (file.uploadTime !== null && (release.uploadTime === null || file.uploadTime < release.uploadTime)) release.uploadTime = file.uploadTime;
  }

  const records: ReleaseRecord[] = [...releases].map(([version, r]) => ({
    version,
    serial: releaseSerials.get(version) ?? serial,
    uploadTime: r.uploadTime,
    files: r.files,
  }));
  return { record: { name: page.name, serial, releases: records }, unplaced, filteredFiles };
}

function fileRecord(file: SimpleFile, metadata: FileMetadata | undefined): FileRecord {
  return {
    filename: file.filename,
    sha256: file.sha256,
    size: file.size,
    url: file.url,
    requiresPython: file.requiresPython ?? metadata?.requiresPython ?? null,
    yanked: file.yanked,
    requiresDist: metadata === undefined ? null : metadata.requiresDist,
    providesExtras: metadata?.providesExtras ?? [],
    metadataSha256: file.coreMetadataSha256,
    uploadTime: file.uploadTime,
  };
}
