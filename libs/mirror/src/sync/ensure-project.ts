/**
 * Lazy mirroring: a project the mirror has never seen is fetched from the upstream the first
 * time someone asks for it (the resolver, the package index), with every release, and
 * committed with its serial so later incremental syncs keep it fresh. Concurrent requests for
 * the same project in one process share one fetch.
 *
 * The fetch is listed first, completed after: a large project has thousands of `.metadata`
 * files, which take seconds to minutes to fetch, while its page is one request. So the page's
 * files are written first under {@link PENDING_SERIAL}, which the package index serves at once
 * (pip reads the metadata it needs through the index's proxy), and the resolver's queries do
 * not see (for them the project is not mirrored yet, so they wait for the completion); the
 * complete record then replaces the serial. A pending project left by a stopped server is
 * completed by the next ensure, or by the next sync (its serial is below every upstream serial).
 */
import type { Pool } from 'pg';
import { writeProjects } from '../ingest/ingest-writer';
import { PENDING_SERIAL } from '../ingest/records';
import type { UpstreamClient } from '@venvfarm/upstream';
import { normalizeName } from '@venvfarm/pep508';
import { completeProject, FetchProjectOptions, Limiter, listProject, SyncFailure } from './project-fetcher';
import { buildProjectRecord } from './project-record';
import { SyncRepository } from './sync.repository';

/** What ensureProject found or did. */
export interface EnsureProjectResult {
  /** 'present': already mirrored; 'fetched': fetched now; 'missing': the upstream has no such project. */
  readonly status: 'present' | 'fetched' | 'missing';
  /** Normalized name. */
  readonly name: string;
  /** `.metadata` files that could not be read (their files are stored with unknown metadata). */
  readonly failures: readonly SyncFailure[];
}

export interface EnsureProjectOptions {
  /** Index row to write into. Default 'pypi'. */
  readonly indexName?: string;
  /** Concurrent metadata requests. Default 8. */
  readonly concurrency?: number;
  /** Stops fetching metadata (a server shutting down): the project stays pending and `complete` rejects. */
  readonly signal?: AbortSignal;
}

/** One project being ensured: `listed` settles once its files are in the mirror (maybe pending), `complete` once its metadata is too. */
export interface Ensuring {
  readonly listed: Promise<EnsureProjectResult>;
  readonly complete: Promise<EnsureProjectResult>;
}

const inflight = new WeakMap<Pool, Map<string, Ensuring>>();

/**
 * Makes sure the mirror has `name` with its metadata, fetching it from `upstream` when it never saw it.
 * @throws UpstreamError when the upstream page cannot be fetched or parsed.
 */
export function ensureProject(pool: Pool, upstream: UpstreamClient, name: string, options: EnsureProjectOptions = {}): Promise<EnsureProjectResult> {
  return startEnsuring(pool, upstream, name, options).complete;
}

/**
 * Starts ensuring `name`, or joins the ensuring under way in this process. `complete` is marked
 * handled: a caller that only waits for `listed` must watch `complete` itself to hear of its failure.
 */
export function startEnsuring(pool: Pool, upstream: UpstreamClient, name: string, options: EnsureProjectOptions = {}): Ensuring {
  const project = normalizeName(name);
  const key = `${options.indexName ?? 'pypi'}\0${project}`;
  let perPool = inflight.get(pool);
  if (perPool === undefined) inflight.set(pool, (perPool = new Map()));
  const running = perPool.get(key);
  if (running !== undefined) return running;
  let listed!: (result: EnsureProjectResult) => void;
  let unlisted!: (error: unknown) => void;
  const listedPromise = new Promise<EnsureProjectResult>((resolve, reject) => ((listed = resolve), (unlisted = reject)));
  const complete = ensure(pool, upstream, project, options, listed)
    .then(
      (result) => (listed(result), result),
      (error: unknown) => {
        unlisted(error);
        throw error;
      },
    )
    .finally(() => perPool.delete(key));
  complete.catch(() => undefined);
  listedPromise.catch(() => undefined);
  const ensuring = { listed: listedPromise, complete };
  perPool.set(key, ensuring);
  return ensuring;
}

async function ensure(pool: Pool, upstream: UpstreamClient, name: string, options: EnsureProjectOptions, listed: (result: EnsureProjectResult) => void): Promise<EnsureProjectResult> {
  const repository = new SyncRepository(pool);
  const index = await repository.ensureIndex(options.indexName ?? 'pypi', upstream.simpleUrl);
  const committed = await repository.projectSerial(index.id, name);
  if (committed !== null && committed !== PENDING_SERIAL) return { status: 'present', name, failures: [] };
  const fetchOptions: FetchProjectOptions = {
    indexId: index.id,
    allows: () => true,
    // A pending project has no serial of its own to keep: if metadata fails it is committed as 0, mirrored with what is known.
    committedSerial: null,
    limiter: new Limiter(options.concurrency ?? 8),
    signal: options.signal,
  };
  const page = await listProject(upstream, repository, name, fetchOptions);
  if (page === null) return { status: 'missing', name, failures: [] };
  if (page.toFetch.size > 0) {
    if (committed === null) await writeProjects(pool, index.id, [buildProjectRecord(page.page, page.metadata, fetchOptions.allows, PENDING_SERIAL).record]);
    listed({ status: 'fetched', name: page.page.name, failures: [] });
  }
  const fetched = await completeProject(upstream, page, fetchOptions);
  await writeProjects(pool, index.id, [fetched.record]);
  return { status: 'fetched', name: fetched.record.name, failures: fetched.failures };
}
