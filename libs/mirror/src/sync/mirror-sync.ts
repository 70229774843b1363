/**
 * `venvfarm mirror sync`: brings the mirror's copy of an upstream index up to date, metadata
 * only (no artifact is downloaded; a release's dependencies come from its `.metadata` files).
 *
 * Projects are fetched concurrently (one limiter bounds HTTP requests across all of them) and
 * handed to the ingest writer in batches; each batch commits its projects' rows together with
 * the serial each project reflects, so a killed run keeps every committed project and a rerun
 * fetches the rest. The index serial advances only when the whole run succeeded: a page or
 * `.metadata` that cannot be fetched or parsed is reported and skipped, the run goes on, and
 * the serial stays where it was so the next run looks at that project again.
 */
import type { Pool } from 'pg';
import { IngestWriter } from '../ingest/ingest-writer';
import type { ProjectRecord } from '../ingest/records';
import type { UpstreamClient } from '@venvfarm/upstream';
import { UpstreamError } from '@venvfarm/upstream';
import { ReleaseFilter } from './allow-list';
import { fetchProject, Limiter, SyncFailure } from './project-fetcher';
import { ChangeSource, planSync } from './sync-plan';
import { SyncRepository } from './sync.repository';

/** Counters of a run, as shown on the terminal and as a queued sync job's progress. */
export interface SyncProgress {
  phase: 'planning' | 'fetching' | 'done';
  mode: 'full' | 'incremental' | null;
  changesFrom: 'xml-rpc' | 'root-index' | null;
  planned: number;
  done: number;
  failed: number;
  missing: number;
  upToDate: number;
  releases: number;
  files: number;
  releasesInserted: number;
  filesInserted: number;
  metadataFetched: number;
  metadataReused: number;
  requests: number;
  retries: number;
}

/** What a run did. */
export interface SyncSummary extends SyncProgress {
  readonly serialBefore: number;
  /** The index serial after the run (unchanged when something failed). */
  readonly serialAfter: number;
  readonly targetSerial: number | null;
  readonly failures: readonly SyncFailure[];
  readonly missingNames: readonly string[];
  readonly seconds: number;
}

export interface SyncOptions {
  readonly upstream: UpstreamClient;
  /** Index row to write into. Default 'pypi'. */
  readonly indexName?: string;
  readonly filter?: ReleaseFilter;
  readonly incremental?: boolean;
  readonly changesFrom?: ChangeSource;
  /** Concurrent HTTP requests. Default 8. */
  readonly concurrency?: number;
  /** Projects per write transaction. Default 25. */
  readonly batchSize?: number;
  /** Called after every project (and when planning ends and the run is done). */
  readonly onProgress?: (progress: Readonly<SyncProgress>) => void;
  /** Told of each skipped page or metadata file as it happens. */
  readonly onFailure?: (failure: SyncFailure) => void;
  /**
   * Stops the run (a shutdown): no new request or batch starts, requests under way and retry
   * waits are cut short (give the upstream client the same signal), and the run throws the
   * signal's reason. Committed batches stay; a rerun fetches the rest.
   */
  readonly signal?: AbortSignal;
}

/** Files written by one sync past which it refreshes the planner's statistics. */
const ANALYZE_AFTER_FILES = 10_000;

/**
 * Runs one sync.
 * @throws UpstreamError when the root index or changelog cannot be read; database errors; the
 * signal's reason when aborted.
 */
export async function syncMirror(pool: Pool, options: SyncOptions): Promise<SyncSummary> {
  const started = Date.now();
  const { upstream } = options;
  const filter = options.filter ?? ReleaseFilter.ALL;
  const repository = new SyncRepository(pool);
  const signal = options.signal;
  signal?.throwIfAborted();
  const index = await repository.ensureIndex(options.indexName ?? 'pypi', upstream.simpleUrl);
  const sameUpstream = index.url === null || index.url === upstream.simpleUrl;

  const progress: SyncProgress = {
    phase: 'planning',
    mode: null,
    changesFrom: null,
    planned: 0,
    done: 0,
    failed: 0,
    missing: 0,
    upToDate: 0,
    releases: 0,
    files: 0,
    releasesInserted: 0,
    filesInserted: 0,
    metadataFetched: 0,
    metadataReused: 0,
    requests: 0,
    retries: 0,
  };
  const failures: SyncFailure[] = [];
  const report = () => {
    progress.requests = upstream.fetcher.requests;
    progress.retries = upstream.fetcher.retries;
    options.onProgress?.(progress);
  };
  const fail = (failure: SyncFailure) => {
    failures.push(failure);
    options.onFailure?.(failure);
  };

  const projectSerials = await repository.projectSerials(index.id);
  const plan = await planSync({
    upstream,
    filter,
    // Serials of another upstream mean nothing here: follow a new upstream with a full run.
    incremental: (options.incremental ?? false) && sameUpstream,
    changesFrom: options.changesFrom ?? 'auto',
    indexSerial: index.serial,
    projectSerials,
  });
  Object.assign(progress, { phase: 'fetching', mode: plan.mode, changesFrom: plan.changesFrom, planned: plan.projects.length, missing: plan.missing.length, upToDate: plan.upToDate });
  report();

  const writer = new IngestWriter(pool, index.id);
  const limiter = new Limiter(options.concurrency ?? 8);
  const batchSize = options.batchSize ?? 25;
  let pending: ProjectRecord[] = [];
  let writing: Promise<void> = Promise.resolve();
  const flush = () => {
    const batch = pending;
    pending = [];
    if (batch.length === 0) return writing;
    // Writes run one after another: batches share requirement and metadata rows.
    writing = writing.then(async () => {
      const result = await writer.write(batch);
      progress.releasesInserted += result.releases.inserted;
      progress.filesInserted += result.files.inserted;
    });
    return writing;
  };

  let next = 0;
  const worker = async () => {
    while (next < plan.projects.length) {
      signal?.throwIfAborted();
      const planned = plan.projects[next++];
      try {
        const fetched = await fetchProject(upstream, repository, planned.name, {
          indexId: index.id,
          allows: (version) => filter.allowsRelease(planned.name, version),
          committedSerial: projectSerials.get(planned.name) ?? null,
          serialHint: planned.serialHint,
          releaseSerials: planned.releaseSerials,
          limiter,
        });
        if (fetched === null) {
          progress.missing++;
        } else {
          fetched.failures.forEach(fail);
          if (fetched.failures.length > 0) progress.failed++;
          progress.metadataFetched += fetched.metadataFetched;
          progress.metadataReused += fetched.metadataReused;
          progress.releases += fetched.record.releases.length;
          progress.files += fetched.record.releases.reduce((n, r) => n + r.files.length, 0);
          pending.push(fetched.record);
          // Waiting for the write keeps fetching from running far ahead of the database.
          if (pending.length >= batchSize) await flush();
        }
      } catch (error) {
        if (!(error instanceof UpstreamError)) throw error;
        progress.failed++;
        fail({ project: planned.name, url: error.url, what: 'page', message: error.message });
      }
      progress.done++;
      report();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 8) }, worker));
  await flush();
  // A bulk sync can grow the tables many times over before autovacuum looks at them; plans
  // made on the old statistics scan whole tables where an index probe would do.
  if (progress.files >= ANALYZE_AFTER_FILES) await repository.analyze();

  const serialAfter = await repository.advanceIndex(index.id, failures.length === 0 ? plan.targetSerial : null, upstream.simpleUrl);
  progress.phase = 'done';
  report();
  return {
    ...progress,
    serialBefore: index.serial,
    serialAfter,
    targetSerial: plan.targetSerial,
    failures,
    missingNames: plan.missing,
    seconds: (Date.now() - started) / 1000,
  };
}
