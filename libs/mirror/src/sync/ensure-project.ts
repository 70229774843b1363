/**
 * Lazy mirroring: a project the mirror has never seen is fetched from the upstream the first
 * time someone asks for it (the resolver, the package index), with every release, and
 * committed with its serial so later incremental syncs keep it fresh. Concurrent requests for
 * the same project in one process share one fetch.
 */
import type { Pool } from 'pg';
import { writeProjects } from '../ingest/ingest-writer';
import type { UpstreamClient } from '@venvfarm/upstream';
import { normalizeName } from '@venvfarm/pep508';
import { fetchProject, Limiter, SyncFailure } from './project-fetcher';
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
}

const inflight = new WeakMap<Pool, Map<string, Promise<EnsureProjectResult>>>();

/**
 * Makes sure the mirror has `name`, fetching it from `upstream` when it never saw it.
 * @throws UpstreamError when the upstream page cannot be fetched or parsed.
 */
export function ensureProject(pool: Pool, upstream: UpstreamClient, name: string, options: EnsureProjectOptions = {}): Promise<EnsureProjectResult> {
  const project = normalizeName(name);
  const key = `${options.indexName ?? 'pypi'}\0${project}`;
  let perPool = inflight.get(pool);
  if (perPool === undefined) inflight.set(pool, (perPool = new Map()));
  const running = perPool.get(key);
  if (running !== undefined) return running;
  const promise = ensure(pool, upstream, project, options).finally(() => perPool.delete(key));
  perPool.set(key, promise);
  return promise;
}

async function ensure(pool: Pool, upstream: UpstreamClient, name: string, options: EnsureProjectOptions): Promise<EnsureProjectResult> {
  const repository = new SyncRepository(pool);
  const index = await repository.ensureIndex(options.indexName ?? 'pypi', upstream.simpleUrl);
  if ((await repository.projectSerial(index.id, name)) !== null) return { status: 'present', name, failures: [] };
  const fetched = await fetchProject(upstream, repository, name, {
    indexId: index.id,
    allows: () => true,
    committedSerial: null,
    limiter: new Limiter(options.concurrency ?? 8),
  });
  if (fetched === null) return { status: 'missing', name, failures: [] };
  await writeProjects(pool, index.id, [fetched.record]);
  return { status: 'fetched', name: fetched.record.name, failures: fetched.failures };
}
