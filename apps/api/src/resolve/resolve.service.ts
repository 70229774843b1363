import { createHash } from 'node:crypto';
import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { VenvfarmConfig } from '@venvfarm/config';
import { Lock, renderPylock, renderRequirementsTxt } from '@venvfarm/lockfile';
import { Database } from '@venvfarm/db';
import { MirrorResolution, ResolveRepository, resolveOnMirror } from '@venvfarm/resolution';
import { LazyMirror } from '@venvfarm/mirror';
import { parseProjectName } from '@venvfarm/pep508';
import { UpstreamClient, UpstreamError } from '@venvfarm/upstream';
import { IndexRegistryRepository, UnknownIndexError } from '@venvfarm/index';
import { Metrics } from '../observability/metrics/metrics';
import { HotAnswer, HotAnswers, ProjectChanges, SerialReads } from '@venvfarm/resolution';
import { CacheEntry, ResolveCache } from '@venvfarm/resolution';
import { LRUCache } from 'lru-cache';
import { canonicalRequest, ResolveFormat, ResolveRequest } from './resolve-request';

/** The mirror of the upstream: what a request that names no index resolves against. */
const UPSTREAM_INDEXES: readonly string[] = ['pypi'];
/** How long shutdown waits for resolutions still under way (well inside the SIGTERM bound). */
const SHUTDOWN_WAIT_MS = 3_000;

/** One pin as the API shows it. */
export interface PinView {
  name: string;
  version: string;
  extras: string[];
  files: { filename: string; url: string | null; sha256: string | null }[];
  dependencies: string[];
  required_by: string[];
}

/** The cacheable part of an answer. */
export interface ResolveAnswer {
  key: string;
  python: string;
  platform: string;
  pins: PinView[];
  requirements_txt: string;
  warnings: string[];
  /** Kept for the other formats; not shown in JSON. */
  lock: Lock;
}

/** What the controller sends. */
export interface ResolveResult {
  answer: ResolveAnswer;
  /** The answer as JSON without `lock`, `cached` and `timings`. */
  json: string;
  format: ResolveFormat | null;
  cached: boolean;
  timings: Record<string, number>;
}

/**
 * `POST /v1/resolve`: validates, answers from the cache while every project the cached answer
 * touched keeps its serial, else resolves on the mirror (fetching unknown projects from the
 * upstream unless offline) with a time limit. Identical concurrent misses share one
 * computation in this process.
 */
@Injectable()
export class ResolveService implements OnApplicationShutdown {
  /** Requires-Dist of sdist-only releases from the JSON API (false: the upstream has no such release). */
  private readonly jsonMetadata = new LRUCache<string, readonly string[] | false>({ max: MEMORY_ENTRIES });
  private readonly inflight = new Map<string, Promise<{ entry: HotAnswer<ResolveAnswer>; timings: Record<string, number> }>>();
  private readonly hot = new HotAnswers<ResolveAnswer>(HOT_ANSWERS_LENGTH);
  /** Every computation under way, including those whose client has gone. */
  private readonly computing = new Set<Promise<unknown>>();
  /** The generation of project changes in which a hot answer's serials were last found current. */
  private readonly checkedIn = new WeakMap<HotAnswer<ResolveAnswer>, number>();
  /** Serial readers by layering of indexes (`acme>pypi`). */
  private readonly serials = new Map<string, SerialReads>();
  private readonly repository: ResolveRepository;
  /** Layerings of private indexes, by name (an index's layering is fixed when it is made). */
  private readonly layerings = new Map<string, readonly string[]>();

  constructor(
    private readonly db: Database,
    private readonly config: VenvfarmConfig,
    private readonly cache: ResolveCache,
    private readonly upstream: UpstreamClient,
    private readonly lazyMirror: LazyMirror,
    private readonly metrics: Metrics,
    private readonly changes: ProjectChanges,
    private readonly registry: IndexRegistryRepository,
  ) {
    this.repository = new ResolveRepository(db.pool);
  }

  /**
   * The indexes a request resolves against, first first: the mirror of the upstream, or a private
   * index and what it is layered in front of.
   * @throws UnknownIndexError (404)
   */
  private async layering(index: string | null): Promise<readonly string[]> {
    if (index === null) return UPSTREAM_INDEXES;
    let layering = this.layerings.get(index);
    if (layering === undefined) {
      layering = await this.registry.layering(index);
      if (layering.length === 0) throw new UnknownIndexError(index);
      this.layerings.set(index, layering);
    }
    return layering;
  }

  private serialReads(indexes: readonly string[]): SerialReads {
    const key = indexes.join('>');
    let reads = this.serials.get(key);
    if (reads === undefined) this.serials.set(key, (reads = new SerialReads((names) => this.repository.projectSerials(names, indexes))));
    return reads;
  }

  /** Answers a request the edge validated (see ResolveRequestDto). */
  async resolve(request: ResolveRequest, options: { noCache: boolean }): Promise<ResolveResult> {
    const started = performance.now();
    const indexes = await this.layering(request.index);
    const key = createHash('sha256').update(canonicalRequest(request, indexes.join('>'))).digest('hex');
    if (!options.noCache) {
      const entry = await this.cached(key, indexes);
      this.metrics.resolveCacheLookup(entry !== null);
      if (entry !== null) return { answer: entry.answer, json: entry.json, format: request.format, cached: true, timings: { total_ms: round(performance.now() - started) } };
    }
    // no-cache asks for a fresh computation: it neither reads the cache nor joins one running.
    let running = options.noCache ? undefined : this.inflight.get(key);
    if (running === undefined) {
      running = this.compute(key, request, indexes);
      const settled = running.catch(() => undefined).finally(() => this.computing.delete(settled));
      this.computing.add(settled);
      if (!options.noCache) {
        this.inflight.set(key, running);
        void running.catch(() => undefined).finally(() => this.inflight.delete(key));
      }
    }
    const { entry, timings } = await running;
    return { answer: entry.answer, json: entry.json, format: request.format, cached: false, timings: { ...timings, total_ms: round(performance.now() - started) } };
  }

  /**
   * The answer to `key` if this process holds it and found it current since the last change to
   * the mirror, counted as a cache hit; else null (then `resolve` looks further). Synchronous and
   * without I/O: the cache-hit path below NestJS (cached-answers.ts) answers with it.
   */
  answerFromMemory(key: string, format: ResolveFormat | null): ResolveResult | null {
    const started = performance.now();
    const entry = this.currentHotAnswer(key);
    if (entry === undefined) return null;
    this.metrics.resolveCacheLookup(true);
    return { answer: entry.answer, json: entry.json, format, cached: true, timings: { total_ms: round(performance.now() - started) } };
  }

  /** A recent answer whose serials were found current in this generation of project changes (nothing changed since). */
  private currentHotAnswer(key: string): HotAnswer<ResolveAnswer> | undefined {
    const entry = this.hot.get(key);
    return entry !== undefined && this.checkedIn.get(entry) === this.changes.current() ? entry : undefined;
  }

  /**
   * A valid cached answer: this process's recent ones first, then the shared cache. A recent
   * answer whose serials were found current in this generation of project changes is valid
   * without reading them again (nothing changed since); any other is checked against the serials.
   */
  private async cached(key: string, indexes: readonly string[]): Promise<HotAnswer<ResolveAnswer> | null> {
    const current = this.currentHotAnswer(key);
    if (current !== undefined) return current;
    let entry = this.hot.get(key);
    if (entry === undefined) {
      const stored = await this.cache.get<ResolveAnswer>(key);
      if (stored === null) return null;
      entry = { ...stored, json: answerJson(stored.answer) };
    }
    // Taken before the read: a change that lands meanwhile makes the next hit check again.
    const generation = this.changes.current();
    if (!(await this.stillValid(entry, indexes))) {
      this.hot.delete(key);
      return null;
    }
    if (generation !== null) this.checkedIn.set(entry, generation);
    this.hot.set(key, entry);
    return entry;
  }

  /**
   * Gives computations still under way a little time to finish before the cache and then the
   * database close. Nest 11 closes the HTTP server only after every `beforeApplicationShutdown`
   * hook, so this waits here, once no request can start another computation; those still
   * running belong to clients that went away. Each may take up to the resolve time limit (30 s
   * by default), which would break the few seconds a SIGTERM may take: after
   * {@link SHUTDOWN_WAIT_MS} the shutdown goes on, and a computation that meets the closed pool
   * fails with nobody waiting for it.
   */
  async onApplicationShutdown(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all([...this.computing]), new Promise<void>((resolve) => (timer = setTimeout(resolve, SHUTDOWN_WAIT_MS).unref()))]);
    clearTimeout(timer);
    await this.cache.close();
  }

  /** Valid while every touched project has the serial it had (and absent ones are still absent). */
  private async stillValid(entry: CacheEntry<ResolveAnswer>, indexes: readonly string[]): Promise<boolean> {
    const now = await this.serialReads(indexes).read(entry.touched.map(([name]) => name));
    return entry.touched.every(([name, serial]) => (now.get(name) ?? null) === serial);
  }

  /** Lazy mirroring (the provider's names are normalized already: parsing only brands them). */
  private async fetchMissing(name: string): Promise<boolean> {
    return (await this.lazyMirror.ensure(parseProjectName(name))) === 'fetched';
  }

  /**
   * Metadata of an sdist-only release from the upstream's JSON API, kept in memory. An upstream
   * that cannot answer leaves the release unavailable (the resolution goes on without it)
   * rather than failing a request the mirror can otherwise answer.
   */
  private async fetchMetadata(name: string, version: string): Promise<{ requiresDist: string[] } | null> {
    const key = `${name}\0${version}`;
    const known = this.jsonMetadata.get(key);
    if (known !== undefined) return known === false ? null : { requiresDist: [...known] };
    try {
      const found = await this.upstream.releaseJsonMetadata(name, version);
      this.jsonMetadata.set(key, found === null ? false : found.requiresDist);
      return found === null ? null : { requiresDist: found.requiresDist };
    } catch (error) {
      if (error instanceof UpstreamError) return null;
      throw error;
    }
  }

  private async compute(key: string, request: ResolveRequest, indexes: readonly string[]): Promise<{ entry: HotAnswer<ResolveAnswer>; timings: Record<string, number> }> {
    // Taken before the resolution reads the mirror: its serials are current in this generation
    // unless a change lands meanwhile (which starts another, and the next hit checks again).
    const generation = this.changes.current();
    const resolution = await resolveOnMirror(
      this.db.pool,
      {
        requirements: request.requirements,
        constraints: request.constraints,
        target: request.target,
        prereleases: request.prereleases,
        excludeNewer: request.excludeNewer,
        onlyBinary: request.onlyBinary,
        noBinary: request.noBinary,
        deadline: Date.now() + this.config.resolveTimeoutMs,
      },
      {
        indexes,
        // Only a layering that ends in the mirror of the upstream may fetch from the upstream.
        ...(this.config.offline || !indexes.includes(UPSTREAM_INDEXES[0])
          ? {}
          : { fetchMissing: (name: string) => this.fetchMissing(name), fetchMetadata: (name: string, version: string) => this.fetchMetadata(name, version) }),
      },
    );
    const answer = this.answer(key, request, resolution);
    const entry = { answer, touched: [...resolution.touched], json: answerJson(answer) };
    await this.cache.set<ResolveAnswer>(key, { answer, touched: entry.touched });
    if (generation !== null) this.checkedIn.set(entry, generation);
    this.hot.set(key, entry);
    const { stats } = resolution;
    return {
      entry,
      timings: {
        prefetch_ms: round(stats.prefetchMs),
        closure_ms: round(stats.closureMs),
        listing_ms: round(stats.listingMs),
        solve_ms: round(stats.solveMs),
        closure_rows: stats.closureRows,
        listing_queries: stats.listingQueries,
        metadata_queries: stats.metadataQueries,
        lazy_fetches: stats.lazyFetches,
        metadata_fetches: stats.metadataFetches,
        decisions: stats.decisions,
        conflicts: stats.conflicts,
      },
    };
  }

  private answer(key: string, request: ResolveRequest, resolution: MirrorResolution): ResolveAnswer {
    const m = request.target.markers;
    const lock: Lock = {
      python: request.python,
      platform: request.platform,
      environment: `implementation_name == "${m.implementation_name}" and python_full_version == "${m.python_full_version}" and sys_platform == "${m.sys_platform}" and platform_machine == "${m.platform_machine}"`,
      indexUrl: this.upstream.simpleUrl,
      packages: resolution.pins.map((pin) => ({
        name: pin.name,
        version: pin.version,
        extras: pin.extras,
        files: pin.files.map((f) => ({ filename: f.filename, kind: f.kind, url: f.url, sha256: f.sha256 })),
        requiredBy: pin.requiredBy,
      })),
    };
    return {
      key,
      python: request.python,
      platform: request.platform,
      pins: resolution.pins.map((pin) => ({
        name: pin.name,
        version: pin.version,
        extras: [...pin.extras],
        files: pin.files.map((f) => ({ filename: f.filename, url: f.url, sha256: f.sha256 })),
        dependencies: [...pin.dependencies],
        required_by: [...pin.requiredBy],
      })),
      requirements_txt: renderRequirementsTxt(lock),
      warnings: [...resolution.warnings],
      lock,
    };
  }
}

/** The JSON body of an answer, without the lock the other formats are rendered from. */
function answerJson(answer: ResolveAnswer): string {
  const { lock: _lock, ...shown } = answer;
  return JSON.stringify(shown);
}

/** Renders an answer in a lock format. */
export function renderAs(format: 'requirements.txt' | 'pylock.toml', answer: ResolveAnswer): string {
  return format === 'pylock.toml' ? renderPylock(answer.lock) : answer.requirements_txt;
}

const round = (ms: number) => Math.round(ms * 100) / 100;

/**
 * Bound of this process's serialized answers, in characters of JSON: 16 M characters hold a
 * thousand answers or more (the bench sets' cache entries, answer and lock together, are 2-90 k
 * characters); with the parsed answers kept beside them for the other formats, about 100 MB.
 */
const HOT_ANSWERS_LENGTH = 16 * 2 ** 20;
/** Bound of the in-memory caches of upstream answers (least recently used out first). */
const MEMORY_ENTRIES = 50_000;
