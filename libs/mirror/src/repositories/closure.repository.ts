/**
 * The candidate closure (sql/queries/mirror/candidate-closure.sql): from some root requirements
 * and a target, every release, compatible file and dependency edge a solver may need, in one
 * round trip. The SQL is a conservative superset — specifiers are key-range predicates, markers
 * are not evaluated, Requires-Python is checked through ranges parsed once in TypeScript — so the
 * resolver still applies the exact PEP 440 / PEP 508 checks to what comes back.
 *
 * Requires-Python texts become ranges in `requires_python_ranges` by
 * {@link refreshRequiresPythonRanges}, which writers call after ingest; the texts that exclude
 * the target's Python are worked out here and passed to the query. A text not parsed yet only
 * makes the prefilter looser, never wrong.
 */
import { InputError, keyInRanges, keyRangesOf, SpecifierSet, type KeyRange } from '@venvfarm/pep440';
import type { ProjectName, Target } from '@venvfarm/pep508';
import { TagPriority } from '@venvfarm/wheel';
import type { Pool } from 'pg';
import { query } from '@venvfarm/db';

/** A root requirement: a project, the versions asked for, the extras asked for. */
export interface ClosureRoot {
  readonly name: ProjectName;
  readonly specifier: SpecifierSet;
  readonly extras?: readonly string[];
}

/** Options of {@link candidateClosure}. */
export interface ClosureOptions {
  /** Per reach (a root or a distinct requirement), the newest N candidates within its ranges. Default 20. */
  readonly window?: number;
  /** The indexes whose projects are searched, first first: a name is the project of the first that has it. Default ['pypi']. */
  readonly indexes?: readonly string[];
}

/** A parsed Requires-Dist entry of some metadata. */
export interface ClosureRequirement {
  readonly id: number;
  readonly text: string;
  readonly name: string;
  readonly extras: readonly string[];
  readonly specifier: string;
  readonly marker: string | null;
  readonly url: string | null;
}

/** Metadata shared by files: Requires-Python, Provides-Extra and Requires-Dist in order. */
export interface ClosureMetadata {
  readonly id: number;
  readonly requiresPython: string | null;
  readonly providesExtras: readonly string[];
  readonly requirements: ClosureRequirement[];
  /** Requires-Dist entries that do not parse: a release with any is not installable. */
  readonly invalidRequirements: string[];
}

/** A file of a candidate release that the target may install. */
export interface ClosureFile {
  readonly filename: string;
  readonly kind: 'wheel' | 'sdist';
  readonly sha256: string | null;
  readonly url: string | null;
  /** Expanded wheel tags; null for an sdist. */
  readonly tags: readonly string[] | null;
  readonly requiresPython: string | null;
  readonly yanked: false | string;
  readonly metadataId: number | null;
}

/** A candidate release with its compatible files, best for the target first. */
export interface ClosureRelease {
  readonly project: string;
  readonly version: string;
  /** PEP 440 sortable key. */
  readonly key: Uint8Array;
  readonly yanked: false | string;
  readonly requiresPython: string | null;
  readonly files: ClosureFile[];
  /** Metadata of the best file that has any: the dependencies an installer would read. */
  metadata: ClosureMetadata | null;
}

/** What {@link candidateClosure} returns. */
export interface CandidateClosure {
  /** Per project, its candidate releases, newest first. */
  readonly projects: Map<string, ClosureRelease[]>;
  /** Every metadata row referenced by a file, by id. */
  readonly metadata: Map<number, ClosureMetadata>;
  /** Names reached but absent from the mirror (lazy-fetch candidates), sorted. */
  readonly missing: string[];
  /** Rows the query returned (releases + files + metadata + requirements + missing). */
  readonly rows: number;
}

/** A closure option out of range; the API answers 400. */
export class InvalidClosureOptionError extends InputError {}

const DEFAULT_WINDOW = 20;
const MAX_WINDOW = 1000;

interface ClosureRow {
  kind: 'release' | 'file' | 'metadata' | 'requirement' | 'missing';
  release_id: string | null;
  project: string | null;
  version: string | null;
  key: Buffer | null;
  yanked: boolean | null;
  yanked_reason: string | null;
  requires_python: string | null;
  filename: string | null;
  file_kind: string | null;
  sha256: string | null;
  url: string | null;
  tags: string[] | null;
  metadata_id: number | null;
  provides_extras: string[] | null;
  position: number | null;
  requirement_id: number | null;
  text: string | null;
  target: string | null;
  extras: string[] | null;
  specifier: string | null;
  marker: string | null;
}

/** Flattens key ranges the way requirements.ranges stores them: [lo1, hi1, ...], '' = unbounded. */
export function flattenKeyRanges(ranges: readonly KeyRange[]): string[] {
  const hex = (key: Uint8Array | null) => (key === null ? '' : Buffer.from(key).toString('hex'));
  return ranges.flatMap((r) => [hex(r.lo), hex(r.hi)]);
}

const yank = (yanked: boolean | null, reason: string | null): false | string => (yanked ? (reason ?? '') : false);

/** Rank of a file for the target: its best tag for a wheel, after every wheel for an sdist. */
function fileRank(file: ClosureFile, priority: TagPriority): number {
  if (file.tags === null) return Number.MAX_SAFE_INTEGER;
  return priority.bestRank(file.tags) ?? Number.MAX_SAFE_INTEGER - 1;
}

/**
 * The candidate subgraph reachable from `roots` for `target` (see the module comment).
 * @throws InvalidClosureOptionError when the window is not an integer in 1..1000
 */
export async function candidateClosure(pool: Pool, roots: readonly ClosureRoot[], target: Target, options: ClosureOptions = {}): Promise<CandidateClosure> {
  const window = options.window ?? DEFAULT_WINDOW;
  if (!Number.isInteger(window) || window < 1 || window > MAX_WINDOW) {
    throw new InvalidClosureOptionError(`The window must be an integer from 1 to ${MAX_WINDOW}`, String(window), 0);
  }
  const priority = TagPriority.forTarget(target);
  const rootsJson = roots.map((root) => ({
    name: root.name,
    ranges: flattenKeyRanges(keyRangesOf(root.specifier)),
    extras: root.extras ?? [],
  }));
  const excluded = await excludedRequiresPython(pool, target.pythonFull.key());
  const rows = await runClosureQuery(pool, [JSON.stringify(rootsJson), priority.tags, window, options.indexes ?? ['pypi'], excluded]);
  return assemble(rows, priority);
}

/**
 * Runs the closure as a named statement in a short transaction whose settings die with it:
 * - jit off: PostgreSQL's estimates for a recursive CTE are large enough to trigger JIT
 *   compilation, which costs seconds against a query that takes milliseconds;
 * - a generic plan: planning this query costs 2-7 ms, more than a small closure takes to run,
 *   and its plan (index probes in nested loops, tag tests through one hash table) does not
 *   depend on the parameters.
 */
async function runClosureQuery(pool: Pool, values: unknown[]): Promise<ClosureRow[]> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN READ ONLY; SET LOCAL jit = off; SET LOCAL plan_cache_mode = force_generic_plan');
    try {
      const { rows } = await client.query<ClosureRow>({ name: 'venvfarm-candidate-closure', text: query('mirror/candidate-closure'), values });
      await client.query('COMMIT');
      return rows;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  } finally {
    client.release();
  }
}

function assemble(rows: readonly ClosureRow[], priority: TagPriority): CandidateClosure {
  const releases = new Map<string, ClosureRelease>();
  const metadata = new Map<number, ClosureMetadata>();
  const missing: string[] = [];
  // Parents first (releases, metadata), then their children: UNION ALL promises no order.
  // Requirements keep their Requires-Dist order.
  const child = (row: ClosureRow) => Number(row.kind === 'file' || row.kind === 'requirement');
  const parentsFirst = [...rows].sort((a, b) => child(a) - child(b) || (a.position ?? 0) - (b.position ?? 0));
  for (const row of parentsFirst) {
    switch (row.kind) {
      case 'release':
        releases.set(row.release_id!, {
          project: row.project!,
          version: row.version!,
          key: new Uint8Array(row.key!),
          yanked: yank(row.yanked, row.yanked_reason),
          requiresPython: row.requires_python,
          files: [],
          metadata: null,
        });
        break;
      case 'file':
        releases.get(row.release_id!)?.files.push({
          filename: row.filename!,
          kind: row.file_kind as 'wheel' | 'sdist',
          sha256: row.sha256,
          url: row.url,
          tags: row.tags,
          requiresPython: row.requires_python,
          yanked: yank(row.yanked, row.yanked_reason),
          metadataId: row.metadata_id,
        });
        break;
      case 'metadata':
        metadata.set(row.metadata_id!, { id: row.metadata_id!, requiresPython: row.requires_python, providesExtras: row.provides_extras ?? [], requirements: [], invalidRequirements: [] });
        break;
      case 'requirement':
        if (row.target === null) {
          metadata.get(row.metadata_id!)?.invalidRequirements.push(row.text!);
          break;
        }
        metadata.get(row.metadata_id!)?.requirements.push({
          id: row.requirement_id!,
          text: row.text!,
          name: row.target!,
          extras: row.extras ?? [],
          specifier: row.specifier ?? '',
          marker: row.marker,
          url: row.url,
        });
        break;
      case 'missing':
        missing.push(row.project!);
        break;
    }
  }
  const projects = new Map<string, ClosureRelease[]>();
  for (const release of releases.values()) {
    release.files.sort((a, b) => fileRank(a, priority) - fileRank(b, priority) || (a.filename < b.filename ? -1 : 1));
    const best = release.files.find((f) => f.metadataId !== null);
    release.metadata = best === undefined ? null : (metadata.get(best.metadataId!) ?? null);
    let list = projects.get(release.project);
    if (list === undefined) projects.set(release.project, (list = []));
    list.push(release);
  }
  for (const list of projects.values()) list.sort((a, b) => Buffer.compare(b.key, a.key));
  return { projects, metadata, missing: missing.sort(), rows: rows.length };
}

/**
 * Requires-Python texts that exclude a Python, per pool and Python key, computed in TypeScript
 * from requires_python_ranges (a few thousand rows) and passed to the query, where one hash probe
 * per file replaces an index lookup per file. Kept for a minute: a text added since only makes
 * the prefilter looser, never wrong.
 */
const excludedCache = new WeakMap<Pool, Map<string, { at: number; texts: Promise<string[]> }>>();
const EXCLUDED_TTL_MS = 60_000;

async function excludedRequiresPython(pool: Pool, pythonKey: Uint8Array): Promise<string[]> {
  let perPool = excludedCache.get(pool);
  if (perPool === undefined) excludedCache.set(pool, (perPool = new Map()));
  const id = Buffer.from(pythonKey).toString('hex');
  const cached = perPool.get(id);
  if (cached !== undefined && Date.now() - cached.at < EXCLUDED_TTL_MS) return cached.texts;
  const texts = pool.query<{ text: string; ranges: Buffer[] | null }>(query('mirror/requires-python-ranges')).then(({ rows }) =>
    rows
      .filter((row) => row.ranges !== null && !keyInRanges(pythonKey, unflatten(row.ranges)))
      .map((row) => row.text),
  );
  perPool.set(id, { at: Date.now(), texts });
  texts.catch(() => perPool.delete(id));
  return texts;
}

function unflatten(flat: readonly Buffer[]): KeyRange[] {
  const ranges: KeyRange[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) {
    ranges.push({ lo: flat[i].length === 0 ? null : new Uint8Array(flat[i]), hi: flat[i + 1].length === 0 ? null : new Uint8Array(flat[i + 1]) });
  }
  return ranges;
}

function rangesOfRequiresPython(text: string): string[] | null {
  try {
    return flattenKeyRanges(keyRangesOf(SpecifierSet.parse(text)));
  } catch {
    return null; // unparsable: never excludes a file
  }
}

/**
 * Parses every Requires-Python text of files and releases not parsed yet into
 * `requires_python_ranges`; returns how many it added. Unparsable texts are stored with null
 * ranges, which the closure treats as "admits every Python".
 */
export async function refreshRequiresPythonRanges(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ text: string }>(query('mirror/unparsed-requires-python'));
  const texts: string[] = [];
  const ranges: (string[] | null)[] = [];
  for (const { text } of rows) {
    texts.push(text);
    ranges.push(rangesOfRequiresPython(text));
  }
  const BATCH = 5000;
  for (let i = 0; i < texts.length; i += BATCH) {
    await pool.query(query('mirror/insert-requires-python-ranges'), [texts.slice(i, i + BATCH), JSON.stringify(ranges.slice(i, i + BATCH))]);
  }
  if (texts.length > 0) excludedCache.delete(pool);
  return texts.length;
}

