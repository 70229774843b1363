/**
 * The resolver's entry point: from the user's requirements (PEP 508), a provider and a target
 * (one Python version on one platform), the newest compatible set of releases, or an explanation
 * of why there is none.
 *
 * Policies, all documented in their modules: pre-releases (`prerelease-policy.ts`, default
 * `if-necessary`), yanked releases only when a first-party requirement pins them exactly,
 * Requires-Python against the target in full, files against the target's tags with no-binary /
 * no-build (`availability.ts`), extras as proxy packages and markers evaluated for the target
 * (`python-source.ts`).
 */
import { Version } from '@venvfarm/pep440';
import { normalizeName, parseRequirement, Requirement, Target } from '@venvfarm/pep508';
import { TagPriority } from '@venvfarm/wheel';
import { ProjectSelector, UnavailableReason } from './availability';
import type { DerivationTree } from './derivation-tree';
import { DEFAULT_PRERELEASE_POLICY, PrereleasePolicy } from './prerelease-policy';
import type { Candidate, Provider } from './provider';
import { PythonSource } from './python-source';
import { PythonUniverse } from './python-universe';
import { PythonVocabulary } from './python-vocabulary';
import { renderReport } from './report';
import { NoSolutionError, solve, SolveStats } from './solver';

/** How to resolve. */
export interface ResolveOptions {
  /** The interpreter and platform to resolve for (pep508 `parseTarget`). */
  readonly target: Target;
  /** Default `if-necessary` (pip's rule). */
  readonly prereleases?: PrereleasePolicy;
  /** Constraints (pip `-c`): limit versions of projects that something else requires. */
  readonly constraints?: readonly (string | Requirement)[];
  /** Never use wheels: `true` for every project, or a list of project names. */
  readonly noBinary?: boolean | readonly string[];
  /** Never build from source: `true` for every project, or a list of project names. */
  readonly noBuild?: boolean | readonly string[];
  /** `Date.now()` after which the solver gives up (SolveTimeoutError). */
  readonly deadline?: number;
}

/** One selected release. */
export interface ResolvedPackage {
  /** PEP 503 normalized project name. */
  readonly name: string;
  readonly version: Version;
  /** The extras of the project that the resolution activated (normalized, sorted). */
  readonly extras: readonly string[];
  /** The provider's candidate, with its files. */
  readonly candidate: Candidate;
}

/** A successful resolution. */
export interface Resolution {
  /** Selected releases by project name, in the order the solver first met them. */
  readonly packages: ReadonlyMap<string, ResolvedPackage>;
  /** Non-fatal findings (an extra a release does not provide). */
  readonly warnings: readonly string[];
  readonly stats: SolveStats;
}

/** The requirements cannot be satisfied together; `message` is the explanation. */
export class UnsatisfiableError extends Error {
  constructor(
    /** The human explanation, PubGrub style. */
    readonly explanation: string,
    /** The proof it is worded from. */
    readonly tree: DerivationTree<UnavailableReason>,
  ) {
    super(explanation);
    this.name = 'UnsatisfiableError';
  }
}

/**
 * Resolves `requirements` for `options.target`.
 * @throws UnsatisfiableError when no set of releases satisfies them (with the explanation)
 * @throws InvalidRequirementError for an unparsable requirement or constraint
 * @throws whatever the provider throws (a real failure, not an answer)
 */
export async function resolve(
  requirements: readonly (string | Requirement)[],
  provider: Provider,
  options: ResolveOptions,
): Promise<Resolution> {
  const env = options.target.markers;
  const roots = requirements.map(toRequirement);
  const constraints = (options.constraints ?? []).map(toRequirement).filter((c) => c.marker === null || c.marker.evaluate(env));
  const firstParty = [...roots.filter((r) => r.marker === null || r.marker.evaluate(env)), ...constraints];

  const universe = new PythonUniverse({
    provider,
    prereleases: options.prereleases ?? DEFAULT_PRERELEASE_POLICY,
    explicitPrereleases: new Set(firstParty.filter((r) => r.specifier.prereleases).map((r) => r.name)),
    availability: {
      target: options.target,
      tagPriority: TagPriority.forTarget(options.target),
      noBinary: selector(options.noBinary),
      noBuild: selector(options.noBuild),
      pinned: exactPins(firstParty),
    },
  });
  const byProject = new Map<string, Requirement[]>();
  for (const c of constraints) byProject.set(c.name, [...(byProject.get(c.name) ?? []), c]);
  const source = new PythonSource(universe, { provider, markers: env, requirements: roots, constraints: byProject });

  let selection: ReadonlyMap<number, number>;
  let stats: SolveStats;
  try {
    ({ selection, stats } = await solve(source, { deadline: options.deadline }));
  } catch (error) {
    if (!(error instanceof NoSolutionError)) throw error;
    const tree = (error as NoSolutionError<UnavailableReason>).tree;
    throw new UnsatisfiableError(renderReport(tree, new PythonVocabulary(universe)), tree);
  }

  const packages = new Map<string, ResolvedPackage>();
  const extras = new Map<string, string[]>();
  for (const [pkg, index] of selection) {
    const info = universe.package(pkg);
    if (info.project === null) continue;
    if (info.extra !== null) {
      extras.set(info.project.name, [...(extras.get(info.project.name) ?? []), info.extra]);
      continue;
    }
    packages.set(info.project.name, {
      name: info.project.name,
      version: info.project.versions[index],
      extras: [],
      candidate: info.project.candidates[index],
    });
  }
  for (const [name, list] of extras) {
    const pkg = packages.get(name);
    if (pkg !== undefined) packages.set(name, { ...pkg, extras: [...list].sort() });
  }
  return { packages, warnings: source.warnings, stats };
}

/** Tag rankings of recent targets: building one lists every supported tag (a few hundred). */
function toRequirement(r: string | Requirement): Requirement {
  return typeof r === 'string' ? parseRequirement(r) : r;
}

function selector(value: boolean | readonly string[] | undefined): ProjectSelector {
  if (value === undefined) return false;
  if (typeof value === 'boolean') return value;
  return new Set(value.map(normalizeName));
}

/** Versions pinned with `==V` (no wildcard) or `===V`, by project: the yanked releases allowed. */
function exactPins(requirements: readonly Requirement[]): Map<string, Version[]> {
  const pins = new Map<string, Version[]>();
  for (const r of requirements) {
    for (const s of r.specifier.specifiers) {
      if (!((s.operator === '==' && !s.wildcard) || s.operator === '===')) continue;
      const version = Version.tryParse(s.version);
      if (version !== null) pins.set(r.name, [...(pins.get(r.name) ?? []), version]);
    }
  }
  return pins;
}
