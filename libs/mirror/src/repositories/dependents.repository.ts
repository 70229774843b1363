/**
 * Reverse dependencies (sql/queries/mirror/reverse-dependencies.sql) for
 * `GET /v1/projects/{name}/dependents`: which releases require a project, optionally those that
 * require them in turn (breadth first, depth-bounded), optionally only requirements that admit
 * some version of the project ("dependents of django that allow 4.2": `versionRange` `==4.2.*`).
 *
 * The range test is on key ranges, so it is exact for every operator but `===`. Markers are not
 * evaluated: a requirement counts whatever platform or extra it is conditioned on.
 */
import { InputError, keyRangesOf, SpecifierSet } from '@venvfarm/pep440';
import type { ProjectName } from '@venvfarm/pep508';
import type { Pool } from 'pg';
import { query } from '@venvfarm/db';
import { flattenKeyRanges } from './closure.repository';

/** Options of {@link dependents}. */
export interface DependentsOptions {
  /** Also the dependents of dependents, up to `depth`. Default false (direct only). */
  readonly transitive?: boolean;
  /** Depth bound when transitive, 1..10. Default 3. */
  readonly depth?: number;
  /** Only direct requirements that admit part of this range (text is parsed as a specifier set). */
  readonly versionRange?: SpecifierSet | string;
  /** Most rows returned, 1..1,000,000. Default 10,000. */
  readonly limit?: number;
  readonly indexName?: string;
}

/** One dependent release and the requirement that makes it one. */
export interface DependentRelease {
  /** 1 for a direct dependent, 2 for a dependent of one, ... */
  readonly depth: number;
  readonly project: string;
  readonly version: string;
  readonly yanked: boolean;
  /** The project it requires: the root at depth 1, a depth-1 dependent at depth 2, ... */
  readonly dependency: string;
  readonly requirement: string;
  readonly specifier: string | null;
  readonly marker: string | null;
}

/** A dependent project with its dependent releases, newest first. */
export interface DependentProject {
  readonly name: string;
  readonly depth: number;
  readonly versions: string[];
}

/** What {@link dependents} returns. */
export interface Dependents {
  readonly name: string;
  /** Ordered by depth, project, newest version first. */
  readonly releases: DependentRelease[];
  /** The projects of `releases`, in the same order. */
  readonly projects: DependentProject[];
  /** True when the row limit cut the answer short. */
  readonly truncated: boolean;
}

/** A dependents option out of range or a version range that does not parse; the API answers 400. */
export class InvalidDependentsOptionError extends InputError {}

interface DependentRow {
  depth: number;
  project: string;
  version: string;
  yanked: boolean;
  dependency: string;
  requirement: string;
  specifier: string | null;
  marker: string | null;
}

function integerOption(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InvalidDependentsOptionError(`${name} must be an integer from ${min} to ${max}`, String(value), 0);
  }
  return value;
}

function rangeOption(range: SpecifierSet | string | undefined): Buffer[] | null {
  if (range === undefined) return null;
  let set: SpecifierSet;
  try {
    set = typeof range === 'string' ? SpecifierSet.parse(range) : range;
  } catch (error) {
    const e = error as InputError;
    throw new InvalidDependentsOptionError(`versionRange is not a specifier set: ${e.reason}`, e.input, e.position);
  }
  return flattenKeyRanges(keyRangesOf(set)).map((hex) => Buffer.from(hex, 'hex'));
}

/**
 * The dependents of `name`.
 * @throws InvalidDependentsOptionError on a bad depth, limit or version range
 */
export async function dependents(pool: Pool, name: ProjectName, options: DependentsOptions = {}): Promise<Dependents> {
  const depth = options.transitive ? integerOption('depth', options.depth ?? 3, 1, 10) : 1;
  const limit = integerOption('limit', options.limit ?? 10_000, 1, 1_000_000);
  const { rows } = await pool.query<DependentRow>(query('mirror/reverse-dependencies'), [
    name,
    options.indexName ?? 'pypi',
    rangeOption(options.versionRange),
    depth,
    limit + 1,
  ]);
  const truncated = rows.length > limit;
  // The key only orders the rows (newest first); it is not part of the answer.
  const releases = rows.slice(0, limit).map(
    (r): DependentRelease => ({
      depth: Number(r.depth),
      project: r.project,
      version: r.version,
      yanked: r.yanked,
      dependency: r.dependency,
      requirement: r.requirement,
      specifier: r.specifier,
      marker: r.marker,
    }),
  );
  const projects: DependentProject[] = [];
  for (const release of releases) {
    let last = projects[projects.length - 1];
    if (last?.name !== release.project) projects.push((last = { name: release.project, depth: release.depth, versions: [] }));
    if (last.versions[last.versions.length - 1] !== release.version) last.versions.push(release.version);
  }
  return { name, releases, projects, truncated };
}
