/**
 * Fetches what the mirror needs of one project: its simple page, then the PEP 658 `.metadata`
 * of files whose metadata the mirror does not hold yet. Files with the same advertised hash
 * have byte-identical metadata (all wheels of a release, usually), so one download serves
 * them all; files already stored under the same hash cost nothing. A `.metadata` that fails
 * (HTTP, hash mismatch, unparsable) is reported and its file kept with unknown metadata, and
 * the project's serial is then committed as it was before, so the next sync tries it again.
 */
import type { CoreMetadata } from '@venvfarm/upstream';
import type { SimpleFile, SimpleProjectPage } from '@venvfarm/upstream';
import type { UpstreamClient } from '@venvfarm/upstream';
import { UpstreamError } from '@venvfarm/upstream';
import pLimit, { type LimitFunction } from 'p-limit';
import { BuiltRecord, buildProjectRecord, FileMetadata, PublishedVersions, versionCandidates } from './project-record';
import type { SyncRepository } from './sync.repository';

/** Something that went wrong with one project and was skipped. */
export interface SyncFailure {
  readonly project: string;
  readonly url: string | null;
  readonly what: 'page' | 'metadata';
  readonly message: string;
}

/** Bounds concurrent work (HTTP requests) across every project of a run (p-limit). */
export class Limiter {
  private readonly limit: LimitFunction;

  constructor(slots: number) {
    this.limit = pLimit(slots);
  }

  run<T>(task: () => Promise<T>): Promise<T> {
    return this.limit(task);
  }
}

/** What fetching one project gave. */
export interface FetchedProject extends BuiltRecord {
  readonly page: SimpleProjectPage;
  readonly failures: readonly SyncFailure[];
  readonly metadataFetched: number;
  readonly metadataReused: number;
}

/** How to fetch one project. */
export interface FetchProjectOptions {
  readonly indexId: number;
  readonly allows: (version: string) => boolean;
  /** The project's committed serial (null: never seen); committed again when something failed. */
  readonly committedSerial: number | null;
  /** A serial known from elsewhere (root index, changelog); the larger of it and the page's wins. */
  readonly serialHint?: number | null;
  readonly releaseSerials?: ReadonlyMap<string, number>;
  readonly limiter: Limiter;
  /** Stops the metadata fetches of {@link completeProject}: it then writes nothing and throws the signal's reason. */
  readonly signal?: AbortSignal;
}

/** A project's page, with the metadata of its files the mirror already holds and the `.metadata` files still to fetch. */
export interface ListedProject {
  readonly page: SimpleProjectPage;
  readonly metadata: ReadonlyMap<string, FileMetadata>;
  /** Files to fetch metadata for, grouped by advertised hash: one download serves each group. */
  readonly toFetch: ReadonlyMap<string, readonly SimpleFile[]>;
  readonly metadataReused: number;
}

/**
 * Fetches a project and builds its record, or null when the upstream does not have it.
 * @throws UpstreamError when the page cannot be fetched or parsed (the caller skips the project).
 */
export async function fetchProject(upstream: UpstreamClient, repository: SyncRepository, name: string, options: FetchProjectOptions): Promise<FetchedProject | null> {
  const listed = await listProject(upstream, repository, name, options);
  return listed === null ? null : completeProject(upstream, listed, options);
}

/**
 * The first half of {@link fetchProject}: the page, and which of its files' metadata is known.
 * @throws UpstreamError when the page cannot be fetched or parsed.
 */
export async function listProject(upstream: UpstreamClient, repository: SyncRepository, name: string, options: FetchProjectOptions): Promise<ListedProject | null> {
  const page = await options.limiter.run(() => upstream.projectPage(name));
  if (page === null) return null;
  const known = await repository.knownMetadata(options.indexId, page.name);

  const metadata = new Map<string, FileMetadata>();
  const toFetch = new Map<string, SimpleFile[]>();
  let metadataReused = 0;
  const published = PublishedVersions.of(page);
  for (const file of page.files) {
    if (!file.coreMetadata) continue;
    // Metadata of releases the allow-list leaves out is not worth a request.
    const version = published.releaseOf(versionCandidates(file.filename, page.name));
    if (version === null || !options.allows(version)) continue;
    const stored = known.get(file.filename);
    if (stored !== undefined && file.coreMetadataSha256 !== null && stored.sha256 === file.coreMetadataSha256) {
      metadata.set(file.filename, stored.metadata);
      metadataReused++;
      continue;
    }
    const group = file.coreMetadataSha256 ?? `file:${file.filename}`;
    toFetch.set(group, [...(toFetch.get(group) ?? []), file]);
  }
  return { page, metadata, toFetch, metadataReused };
}

/** The second half of {@link fetchProject}: fetches the metadata still missing and builds the record. */
export async function completeProject(upstream: UpstreamClient, listed: ListedProject, options: FetchProjectOptions): Promise<FetchedProject> {
  const { page, toFetch } = listed;
  const metadata = new Map(listed.metadata);
  const failures: SyncFailure[] = [];
  await Promise.all(
    [...toFetch.values()].map(async (files) => {
      let parsed: CoreMetadata;
      try {
        parsed = await options.limiter.run(() => {
          options.signal?.throwIfAborted();
          return upstream.coreMetadata(page.name, files[0]);
        });
      } catch (error) {
        if (!(error instanceof UpstreamError)) throw error;
        failures.push({ project: page.name, url: error.url, what: 'metadata', message: error.message });
        return;
      }
      for (const file of files) metadata.set(file.filename, parsed);
    }),
  );

  options.signal?.throwIfAborted();
  const pageSerial = Math.max(page.serial ?? 0, options.serialHint ?? 0);
  const serial = failures.length === 0 ? pageSerial : (options.committedSerial ?? 0);
  const built = buildProjectRecord(page, metadata, options.allows, serial, options.releaseSerials);
  return { ...built, page, failures, metadataFetched: toFetch.size, metadataReused: listed.metadataReused };
}
