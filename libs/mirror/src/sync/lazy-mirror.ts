/**
 * The lazy mirror as the API uses it: a project the mirror never saw is fetched from the
 * upstream on first use (ensure-project.ts), unless the operator runs offline; a name the
 * upstream does not have is remembered for a while, so that asking for it again (a typo in a
 * requirements file, a probe of names) costs no upstream round trip each time.
 *
 * The package index asks only for a project's files (`until: 'listed'`) and gets its page while
 * the metadata is still being fetched; everything else waits for the metadata (ensure-project.ts).
 */
import type { ProjectName } from '@venvfarm/pep508';
import { UpstreamClient, UpstreamNetworkError } from '@venvfarm/upstream';
import { LRUCache } from 'lru-cache';
import type { Pool } from 'pg';
import { startEnsuring } from './ensure-project';

/** How long a name the upstream did not have is not asked for again. */
const MISSING_TTL_MS = 10 * 60_000;
/** Names remembered as missing, at most. */
const MISSING_NAMES = 50_000;

export interface LazyMirrorOptions {
  /** Never fetch: unknown projects stay unknown. */
  readonly offline: boolean;
  /** Index row to write into. Default 'pypi'. */
  readonly indexName?: string;
  /** Hears once of a fetch whose metadata failed, even when nobody waits for it (`until: 'listed'`); not of one stopped by {@link LazyMirror.close}. */
  readonly onIncomplete?: (name: string, error: unknown) => void;
}

/** What a caller of {@link LazyMirror.ensure} waits for: the project's files, or its metadata too. */
export type LazyMirrorUntil = 'listed' | 'complete';

/** What {@link LazyMirror.ensure} found: `missing` also when offline. */
export type LazyMirrorStatus = 'present' | 'fetched' | 'missing';

/** How long {@link LazyMirror.close} waits for the metadata requests already sent. */
const CLOSE_WAIT_MS = 5_000;

export class LazyMirror {
  private readonly knownMissing = new LRUCache<string, true>({ max: MISSING_NAMES, ttl: MISSING_TTL_MS });
  private readonly closing = new AbortController();
  private readonly running = new Set<Promise<unknown>>();

  constructor(
    private readonly pool: Pool,
    private readonly upstream: UpstreamClient,
    private readonly options: LazyMirrorOptions,
  ) {}

  get offline(): boolean {
    return this.options.offline;
  }

  /**
   * Makes sure the mirror has `name` if the upstream does: its files, and unless `until` is
   * 'listed', the metadata of its files as well.
   * @throws UpstreamError when the upstream is needed and cannot answer
   */
  async ensure(name: ProjectName, until: LazyMirrorUntil = 'complete'): Promise<LazyMirrorStatus> {
    if (this.options.offline || this.knownMissing.has(name)) return 'missing';
    const ensuring = startEnsuring(this.pool, this.upstream, name, { indexName: this.options.indexName, signal: this.closing.signal });
    if (!this.running.has(ensuring.complete)) {
      this.running.add(ensuring.complete);
      void ensuring.complete
        .catch((error: unknown) => this.closing.signal.aborted || this.options.onIncomplete?.(name, error))
        .finally(() => this.running.delete(ensuring.complete));
    }
    const { status } = await ensuring[until];
    if (status === 'missing') this.knownMissing.set(name, true);
    return status;
  }

  /**
   * Stops fetching metadata (the server is shutting down): projects listed but not complete stay
   * pending, for the next ensure or sync, and whoever waits for them gets an upstream error.
   * Waits a little for the requests already sent.
   */
  async close(): Promise<void> {
    this.closing.abort(new UpstreamNetworkError('the server is shutting down', this.upstream.simpleUrl));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...this.running]), new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_WAIT_MS).unref()))]);
    clearTimeout(timer);
  }
}
