/**
 * One resolution against the mirror: closure prefetch, lazy fill of unknown roots, the PubGrub
 * solve, and the pinned set with each pin's installable files and its edges for the target.
 * Errors keep their kinds: ProjectNotFoundError (a root no index has), UnsatisfiableError
 * (with the explanation), SolveTimeoutError, and whatever the database or upstream throws.
 */
import { parseRequirement, Requirement, Target } from '@venvfarm/pep508';
import { PrereleasePolicy, resolve } from '@venvfarm/resolver';
import type { Pool } from 'pg';
import { ListedFile, MirrorProvider, MirrorProviderOptions, ProviderStats } from './mirror-provider';

/** What to resolve. */
export interface MirrorResolveRequest {
  readonly requirements: readonly Requirement[];
  readonly constraints?: readonly Requirement[];
  readonly target: Target;
  readonly prereleases?: PrereleasePolicy;
  readonly excludeNewer?: Date | null;
  /** pip's --only-binary: names, or true for `:all:`. */
  readonly onlyBinary?: boolean | readonly string[];
  readonly noBinary?: boolean | readonly string[];
  /** `Date.now()` after which the solve gives up. */
  readonly deadline?: number;
}

export interface MirrorResolveOptions {
  /** The indexes, first first (a private index before the upstream behind it). Default ['pypi']. */
  readonly indexes?: readonly string[];
  /** Closure window per reach (default {@link RESOLVE_WINDOW}). */
  readonly window?: number;
  /** Lazy mirroring: fetch a project the mirror lacks; true when it was fetched. */
  readonly fetchMissing?: (name: string) => Promise<boolean>;
  /** Metadata of a release the mirror has none for (sdist-only), e.g. from the upstream's JSON API. */
  readonly fetchMetadata?: MirrorProviderOptions['fetchMetadata'];
}

/** One pinned release. */
export interface Pin {
  readonly name: string;
  readonly version: string;
  /** Extras of the project the resolution activated. */
  readonly extras: readonly string[];
  /** Installable files for the target: compatible wheels (best first) and the sdist. */
  readonly files: readonly ListedFile[];
  /** Pins this one requires on the target. */
  readonly dependencies: readonly string[];
  /** Pins that require this one; `-r requirements` when the request names it. */
  readonly requiredBy: readonly string[];
}

/** A pinned set and what it was computed from. */
export interface MirrorResolution {
  /** By name. */
  readonly pins: readonly Pin[];
  /** Every project consulted, with its serial (null: not mirrored): the cache's validity. */
  readonly touched: ReadonlyMap<string, number | null>;
  readonly warnings: readonly string[];
  readonly stats: ProviderStats & { decisions: number; conflicts: number; prefetchMs: number; solveMs: number };
}

/** Root projects that neither the mirror nor the upstream has. */
export class ProjectNotFoundError extends Error {
  constructor(readonly names: readonly string[]) {
    super(`no index has ${names.length === 1 ? 'a project named' : 'projects named'} ${names.map((n) => `'${n}'`).join(', ')}`);
    this.name = 'ProjectNotFoundError';
  }
}

/**
 * The closure window for resolutions. Most projects resolve to their newest candidate, so a
 * small window prefetches what the solver uses; a backtrack past it costs a batched metadata
 * query. Measured on ../shared/bench/requirement-sets: windows 20 -> 5 cut closure rows about
 * 3.5x and in-process resolve time 1.3-2x, with the same pins.
 */
export const RESOLVE_WINDOW = 5;

/** The request's requirements as text (pip's wording for a root requirement). */
export const ROOT_LABEL = '-r requirements';

function selector(value: boolean | readonly string[] | undefined): boolean | readonly string[] | undefined {
  return value === undefined || value === false || (Array.isArray(value) && value.length === 0) ? undefined : value;
}

/**
 * Resolves on the mirror.
 * @throws ProjectNotFoundError, UnsatisfiableError, SolveTimeoutError, UpstreamError
 */
export async function resolveOnMirror(pool: Pool, request: MirrorResolveRequest, options: MirrorResolveOptions = {}): Promise<MirrorResolution> {
  const env = request.target.markers;
  const provider = new MirrorProvider(pool, {
    target: request.target,
    indexes: options.indexes,
    window: options.window ?? RESOLVE_WINDOW,
    excludeNewer: request.excludeNewer,
    fetchMissing: options.fetchMissing,
    fetchMetadata: options.fetchMetadata,
  });
  const started = performance.now();
  const active = request.requirements.filter((r) => r.marker === null || r.marker.evaluate(env));
  await provider.prefetch(active.map((r) => ({ name: r.name, specifier: r.specifier, extras: r.extras })));
  // Roots first, all at once: an unknown root is a 404, not an unsatisfiable resolution.
  const listed = await Promise.all(active.map((r) => provider.listCandidates(r.name)));
  const missing = [...new Set(active.filter((_, i) => listed[i] === null).map((r) => r.name))];
  if (missing.length > 0) throw new ProjectNotFoundError(missing);
  const prefetchMs = performance.now() - started;

  const resolution = await resolve(request.requirements, provider, {
    target: request.target,
    prereleases: request.prereleases,
    constraints: request.constraints,
    noBinary: selector(request.noBinary),
    noBuild: selector(request.onlyBinary),
    deadline: request.deadline,
  });
  const solveMs = performance.now() - started - prefetchMs;

  const names = new Set(resolution.packages.keys());
  const requiredBy = new Map<string, Set<string>>();
  for (const r of active) if (names.has(r.name)) requiredBy.set(r.name, new Set([ROOT_LABEL]));
  const files = await provider.pinnedFiles([...resolution.packages.values()].map((pkg) => ({ name: pkg.name, version: pkg.version.toString() })));
  const pins: Pin[] = [];
  for (const pkg of resolution.packages.values()) {
    const metadata = provider.metadataOf(pkg.name, pkg.version);
    const dependencies = new Set<string>();
    for (const text of metadata?.requiresDist ?? []) {
      const requirement = parseRequirement(text);
      if (!names.has(requirement.name) || requirement.name === pkg.name) continue;
      const applies = requirement.marker === null || requirement.marker.evaluate(env) || pkg.extras.some((extra) => requirement.marker!.evaluate(env, extra));
      if (!applies) continue;
      dependencies.add(requirement.name);
      let by = requiredBy.get(requirement.name);
      if (by === undefined) requiredBy.set(requirement.name, (by = new Set()));
      by.add(pkg.name);
    }
    const version = pkg.version.toString();
    pins.push({ name: pkg.name, version, extras: pkg.extras, files: files.get(`${pkg.name}\0${version}`) ?? [], dependencies: [...dependencies].sort(), requiredBy: [] });
  }
  pins.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    pins: pins.map((pin) => ({ ...pin, requiredBy: [...(requiredBy.get(pin.name) ?? [])].sort() })),
    touched: provider.touched,
    warnings: resolution.warnings,
    stats: { ...provider.stats, decisions: resolution.stats.decisions, conflicts: resolution.stats.conflicts, prefetchMs, solveMs },
  };
}
