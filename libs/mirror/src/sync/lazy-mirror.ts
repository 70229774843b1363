/**
 * The lazy mirror as the API uses it: a project the mirror never saw is fetched from the
 * upstream on first use (ensure-project.ts), unless the operator runs offline; a name the
 * upstream does not have is remembered for a while, so that asking for it again (a typo in a
 * requirements file, a probe of names) costs no upstream round trip each time.
 */
import type { ProjectName } from '@venvfarm/pep508';
import type { UpstreamClient } from '@venvfarm/upstream';
import { LRUCache } from 'lru-cache';
import type { Pool } from 'pg';
import { ensureProject } from './ensure-project';

/** How long a name the upstream did not have is not asked for again. */
const MISSING_TTL_MS = 10 * 60_000;
/** Names remembered as missing, at most. */
const MISSING_NAMES = 50_000;

export interface LazyMirrorOptions {
  /** Never fetch: unknown projects stay unknown. */
  readonly offline: boolean;
  /** Index row to write into. Default 'pypi'. */
  readonly indexName?: string;
}

/** What {@link LazyMirror.ensure} found: `missing` also when offline. */
export type LazyMirrorStatus = 'present' | 'fetched' | 'missing';

export class LazyMirror {
  private readonly knownMissing = new LRUCache<string, true>({ max: MISSING_NAMES, ttl: MISSING_TTL_MS });

  constructor(
    private readonly pool: Pool,
    private readonly upstream: UpstreamClient,
    private readonly options: LazyMirrorOptions,
  ) {}

  get offline(): boolean {
    return this.options.offline;
  }

  /**
   * Makes sure the mirror has `name` if the upstream does.
   * @throws UpstreamError when the upstream is needed and cannot answer
   */
  async ensure(name: ProjectName): Promise<LazyMirrorStatus> {
    if (this.options.offline || this.knownMissing.has(name)) return 'missing';
    const { status } = await ensureProject(this.pool, this.upstream, name, { indexName: this.options.indexName });
    if (status === 'missing') this.knownMissing.set(name, true);
    return status;
  }
}
