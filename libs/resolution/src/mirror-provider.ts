/**
 * libs/resolver's Provider on the mirror. A resolution starts with one candidate-closure query
 * (releases, files and dependencies reachable from the roots, newest first, per reach a window),
 * which answers almost every metadata question the solver asks. Candidate lists must be
 * complete, so they come from one batched listing query per wave of newly met projects (all
 * releases with the files the target can install). Metadata of a release the closure did not
 * prefetch (the solver backtracked past the window) is fetched on demand with its older
 * neighbours, so a long backtrack costs a few round trips, not one per release.
 *
 * Listings carry one compatible wheel and an sdist flag per release, all a candidate needs; the
 * files of the releases finally pinned are read once at the end ({@link MirrorProvider.pinnedFiles}).
 *
 * A project the mirror does not know is handed to `fetchMissing` (lazy mirroring) once, and
 * listed again if it was fetched. Every project listed is recorded with its serial: a cached
 * resolution stays valid while those serials do not move.
 */
import { InputError, SpecifierSet, Version } from '@venvfarm/pep440';
import type { Candidate, CandidateList, MetadataUnavailable, Provider, ReleaseMetadata } from '@venvfarm/resolver';
import type { Target } from '@venvfarm/pep508';
import { TagPriority } from '@venvfarm/wheel';
import type { Pool } from 'pg';
import { candidateClosure, CandidateClosure, ClosureMetadata, ClosureRoot } from '@venvfarm/mirror';
import { ReleaseMetadataRow, ResolveRepository } from './resolve.repository';

/** A file of a listed release the target may install. */
export interface ListedFile {
  readonly filename: string;
  readonly kind: 'wheel' | 'sdist';
  readonly sha256: string | null;
  readonly url: string | null;
  readonly yanked: boolean;
}

/** A listed release: one compatible wheel stands for all of them (they only decide availability). */
export interface ListedRelease extends Candidate {
  readonly files: { wheels: string[]; sdist: boolean };
}

export interface MirrorProviderOptions {
  readonly target: Target;
  /** The indexes, first first: a name is the project of the first that has it. Default ['pypi']. */
  readonly indexes?: readonly string[];
  /** Closure window per reach. Default 20. */
  readonly window?: number;
  /** Files uploaded after this do not exist for the request (uv's --exclude-newer). */
  readonly excludeNewer?: Date | null;
  /** Asked once per project the mirror lacks; true when it fetched it (then it is listed again). */
  readonly fetchMissing?: (name: string) => Promise<boolean>;
  /**
   * Asked for a release none of whose files has metadata in the mirror (sdist-only releases:
   * PEP 658 metadata exists only for wheels), as pip would build the sdist to learn it.
   */
  readonly fetchMetadata?: (name: string, version: string) => Promise<ReleaseMetadata | null>;
}

/** Round trips and prefetch hits of one resolution, for `timings` and benchmarks. */
export interface ProviderStats {
  closureRows: number;
  closureMs: number;
  listingMs: number;
  listingQueries: number;
  metadataQueries: number;
  metadataFromClosure: number;
  lazyFetches: number;
  metadataFetches: number;
}




/** Neighbours fetched with a release whose metadata the closure lacked. */
const METADATA_BATCH = 16;

function parseSpecifier(text: string | null): SpecifierSet | null {
  if (text === null || text.trim() === '') return null;
  try {
    return SpecifierSet.parse(text);
  } catch (error) {
    if (error instanceof InputError) return null; // unparsable Requires-Python: pip ignores it too
    throw error;
  }
}

/** One resolution's view of the mirror. Not shared between resolutions. */
export class MirrorProvider implements Provider {
  readonly stats: ProviderStats = { closureRows: 0, closureMs: 0, listingMs: 0, listingQueries: 0, metadataQueries: 0, metadataFromClosure: 0, lazyFetches: 0, metadataFetches: 0 };
  /** Every project listed, with its serial (null: not in the mirror). */
  readonly touched = new Map<string, number | null>();
  private closure: CandidateClosure | null = null;
  private readonly listings = new Map<string, Promise<ListedRelease[] | null>>();
  private readonly metadata = new Map<string, ReleaseMetadata | MetadataUnavailable>();
  private readonly metadataFetches = new Map<string, Promise<void>>();
  /** `name\0normalized version` -> the version text the release was published with, where they differ. */
  private readonly published = new Map<string, string>();
  private pendingNames: string[] = [];
  private pendingBatch: Promise<Map<string, ListedRelease[]>> | null = null;
  private readonly indexes: readonly string[];
  private readonly priority: TagPriority;
  private readonly repository: ResolveRepository;

  constructor(
    private readonly pool: Pool,
    private readonly options: MirrorProviderOptions,
  ) {
    this.indexes = options.indexes ?? ['pypi'];
    this.priority = TagPriority.forTarget(options.target);
    this.repository = new ResolveRepository(pool);
  }

  /** Runs the closure for the roots; its projects are listed together on first use. */
  async prefetch(roots: readonly ClosureRoot[]): Promise<CandidateClosure> {
    const started = performance.now();
    this.closure = await candidateClosure(this.pool, roots, this.options.target, { window: this.options.window, indexes: this.indexes });
    this.stats.closureMs = performance.now() - started;
    this.stats.closureRows = this.closure.rows;
    return this.closure;
  }

  listCandidates(name: string): Promise<CandidateList> {
    let listing = this.listings.get(name);
    if (listing === undefined) {
      listing = this.list(name);
      this.listings.set(name, listing);
    }
    return listing;
  }

  async getMetadata(name: string, version: Version): Promise<ReleaseMetadata | MetadataUnavailable> {
    const key = `${name}\0${version.toString()}`;
    const known = this.metadata.get(key) ?? this.fromClosure(name, version);
    if (known !== undefined) return known;
    await this.fetchMetadata(name, version);
    // A neighbour fetched in a batch without metadata of its own: ask again for it alone.
    if (!this.metadata.has(key)) await this.runMetadata(name, [version.toString()]);
    return this.metadata.get(key) ?? { unavailable: 'its metadata is not in the mirror' };
  }

  /** The metadata already read for a release (pins' dependencies are worked out from it). */
  metadataOf(name: string, version: Version): ReleaseMetadata | null {
    const found = this.metadata.get(`${name}\0${version.toString()}`);
    return found === undefined || 'unavailable' in found ? null : found;
  }

  private async list(name: string): Promise<ListedRelease[] | null> {
    let found = (await this.batchList(name)).get(name) ?? null;
    if (found === null && this.options.fetchMissing !== undefined) {
      this.stats.lazyFetches++;
      if (await this.options.fetchMissing(name)) found = (await this.runListing([name])).get(name) ?? null;
    }
    if (found === null) this.touched.set(name, null);
    return found;
  }

  /**
   * Names asked for in the same tick share one query. The first wave also lists every project
   * of the closure, which the solver is about to meet: their listings are taken from it.
   */
  private batchList(name: string): Promise<Map<string, ListedRelease[]>> {
    this.pendingNames.push(name);
    if (this.pendingBatch === null) {
      this.pendingBatch = Promise.resolve().then(() => {
        const names = new Set(this.pendingNames);
        this.pendingNames = [];
        this.pendingBatch = null;
        const extra = [...(this.closure?.projects.keys() ?? [])].filter((p) => !this.listings.has(p) && !names.has(p));
        const batch = this.runListing([...names, ...extra]);
        // Closure projects exist in the mirror, so they need no lazy fetch.
        for (const project of extra) this.listings.set(project, batch.then((map) => map.get(project) ?? []));
        return batch;
      });
    }
    return this.pendingBatch;
  }

  private async runListing(names: string[]): Promise<Map<string, ListedRelease[]>> {
    this.stats.listingQueries++;
    const started = performance.now();
    const rows = await this.repository.listReleases(names, this.indexes, this.priority.tags, this.options.excludeNewer ?? null);
    this.stats.listingMs += performance.now() - started;
    const byProject = new Map<string, ListedRelease[]>();
    for (const row of rows) {
      this.touched.set(row.project, Number(row.project_serial));
      let releases = byProject.get(row.project);
      if (releases === undefined) byProject.set(row.project, (releases = []));
      if (row.version === null) continue;
      const version = Version.tryParse(row.version);
      if (version === null) continue;
      if (version.toString() !== row.version) this.published.set(`${row.project}\0${version.toString()}`, row.version);
      releases.push({
        version,
        yanked: row.yanked ? (row.yanked_reason ?? true) : false,
        requiresPython: parseSpecifier(row.requires_python),
        files: { wheels: row.wheel === null ? [] : [row.wheel], sdist: row.sdist ?? false },
      });
    }
    return byProject;
  }

  /**
   * The files the target may install of each pinned release, by `name\0version`: compatible
   * wheels best first, then the sdist. One round trip for the whole set.
   */
  async pinnedFiles(pins: readonly { name: string; version: string }[]): Promise<Map<string, ListedFile[]>> {
    const rows = await this.repository.pinnedFiles(
      pins.map((p) => p.name),
      pins.map((p) => this.publishedVersion(p.name, p.version)),
      this.indexes,
      this.priority.tags,
      this.options.excludeNewer ?? null,
    );
    const ranked = new Map<string, { rank: number; file: ListedFile }[]>();
    for (const row of rows) {
      const rank = this.fileRank(row.file_kind, row.tags);
      const key = `${row.project}\0${Version.tryParse(row.version)?.toString() ?? row.version}`;
      let files = ranked.get(key);
      if (files === undefined) ranked.set(key, (files = []));
      files.push({ rank, file: { filename: row.filename, kind: row.file_kind, sha256: row.sha256, url: row.url, yanked: row.file_yanked } });
    }
    const result = new Map<string, ListedFile[]>();
    for (const [key, files] of ranked) {
      files.sort((a, b) => a.rank - b.rank || (a.file.filename < b.file.filename ? -1 : a.file.filename > b.file.filename ? 1 : 0));
      result.set(key, files.map((f) => f.file));
    }
    return result;
  }

  /** An installer's preference among a release's files: the best-tagged wheel, then the sdist. */
  private fileRank(kind: string, tags: readonly string[] | null): number {
    return kind === 'wheel' ? (this.priority.bestRank(tags ?? []) ?? Number.MAX_SAFE_INTEGER - 1) : Number.MAX_SAFE_INTEGER;
  }

  private publishedVersion(name: string, normalized: string): string {
    return this.published.get(`${name}\0${normalized}`) ?? normalized;
  }

  private fromClosure(name: string, version: Version): ReleaseMetadata | undefined {
    const releases = this.closure?.projects.get(name);
    if (releases === undefined) return undefined;
    const text = version.toString();
    const release = releases.find((r) => r.version === text || Version.tryParse(r.version)?.compare(version) === 0);
    if (release === undefined || release.metadata === null) return undefined;
    this.stats.metadataFromClosure++;
    const answer = closureMetadata(release.metadata);
    this.metadata.set(`${name}\0${text}`, answer);
    return answer;
  }

  /** Fetches the release's metadata with that of up to METADATA_BATCH - 1 older listed releases. */
  private fetchMetadata(name: string, version: Version): Promise<void> {
    const key = `${name}\0${version.toString()}`;
    let running = this.metadataFetches.get(key);
    if (running === undefined) {
      const listed = this.listings.get(name) ?? Promise.resolve(null);
      running = listed.then((releases) => {
        const older = (releases ?? [])
          .filter((r) => r.version.compare(version) < 0 && !this.metadata.has(`${name}\0${r.version.toString()}`))
          .sort((a, b) => b.version.compare(a.version))
          .slice(0, METADATA_BATCH - 1)
          .map((r) => r.version.toString());
        const batch = this.runMetadata(name, [version.toString(), ...older]);
        for (const v of older) if (!this.metadataFetches.has(`${name}\0${v}`)) this.metadataFetches.set(`${name}\0${v}`, batch);
        return batch;
      });
      this.metadataFetches.set(key, running);
    }
    return running;
  }

  /** `versions` normalized; the mirror keys releases by the text they were published with. */
  private async runMetadata(name: string, versions: readonly string[]): Promise<void> {
    this.stats.metadataQueries++;
    const published = new Map(versions.map((v) => [this.publishedVersion(name, v), v]));
    const rows = await this.repository.releaseMetadata(name, [...published.keys()], this.indexes);
    const best = new Map<string, { rank: number; row: ReleaseMetadataRow }>();
    for (const row of rows) {
      const rank = this.fileRank(row.file_kind, row.tags);
      const version = published.get(row.version) ?? row.version;
      const current = best.get(version);
      if (current === undefined || rank < current.rank || (rank === current.rank && row.filename < current.row.filename)) best.set(version, { rank, row });
    }
    const fetchMetadata = this.options.fetchMetadata;
    await Promise.all(
      versions.map(async (v) => {
        const found = best.get(v)?.row;
        let answer: ReleaseMetadata | MetadataUnavailable =
          found === undefined ? { unavailable: 'no file of it has metadata in the mirror' } : { requiresDist: found.requirements, providesExtra: found.provides_extras };
        // Only the release asked for goes upstream; its neighbours wait until the solver asks.
        if (found === undefined && fetchMetadata !== undefined && v === versions[0]) {
          this.stats.metadataFetches++;
          answer = (await fetchMetadata(name, this.publishedVersion(name, v))) ?? answer;
        }
        if (found !== undefined || v === versions[0]) this.metadata.set(`${name}\0${v}`, answer);
      }),
    );
  }
}

function closureMetadata(metadata: ClosureMetadata): ReleaseMetadata {
  return { requiresDist: [...metadata.requirements.map((r) => r.text), ...metadata.invalidRequirements], providesExtra: metadata.providesExtras };
}
