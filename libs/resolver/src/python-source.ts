/**
 * The Python glue between the provider and the solver core: it answers the solver's questions
 * ("what does candidate i of package p depend on?") from core metadata.
 *
 * - Markers (PEP 508) are evaluated against the target's marker environment; a requirement whose
 *   marker is false does not exist for this resolution.
 * - Extras are proxy packages (as uv's `PubGrubPackage::Extra`): `a[x]` at version v depends on `a`
 *   at exactly v plus the requirements whose marker holds with `extra == "x"` and not without it.
 *   A release without the extra still resolves (pip and uv ignore missing extras, with a warning).
 * - Requirements on one project from one release are intersected; constraints (pip's `-c`) are
 *   intersected into every requirement on their project but never add a project by themselves.
 * - A requirement on the release's own project is dropped when the release satisfies it and makes
 *   the release unusable otherwise.
 */
import type { Version } from '@venvfarm/pep440';
import { MarkerEnvironment, normalizeName, parseRequirement, Requirement } from '@venvfarm/pep508';
import type { UnavailableReason } from './availability';
import type { PackageId } from './incompatibility';
import type { Provider } from './provider';
import { Project, PythonUniverse } from './python-universe';
import type { DependenciesResult, Dependency, SolverSource, UnavailableGroup } from './solver';
import { VersionSet } from './version-set';

/** A release's requirements, parsed, or why they cannot be had. */
type ParsedMetadata =
  | { readonly ok: true; readonly requirements: readonly Requirement[]; readonly providesExtra: ReadonlySet<string> | null }
  | { readonly ok: false; readonly message: string };

/** Inputs of the source besides the universe. */
export interface PythonSourceOptions {
  readonly provider: Provider;
  readonly markers: MarkerEnvironment;
  /** The user's requirements, markers not yet evaluated. */
  readonly requirements: readonly Requirement[];
  /** Constraints by project (markers already evaluated). */
  readonly constraints: ReadonlyMap<string, readonly Requirement[]>;
}

/** {@link SolverSource} over a {@link Provider}. */
export class PythonSource implements SolverSource<UnavailableReason> {
  readonly root: PackageId;
  /** Things worth telling the user that do not stop the resolution (missing extras). */
  readonly warnings: string[] = [];
  private readonly metadata = new Map<string, Promise<ParsedMetadata>>();

  constructor(
    private readonly universe: PythonUniverse,
    private readonly options: PythonSourceOptions,
  ) {
    this.root = universe.root;
  }

  candidateCount(pkg: PackageId): number {
    return this.universe.candidateCount(pkg);
  }

  packageName(pkg: PackageId): string {
    return this.universe.package(pkg).display;
  }

  unavailableCandidates(pkg: PackageId): readonly UnavailableGroup<UnavailableReason>[] {
    const info = this.universe.package(pkg);
    // Proxies inherit their project's unavailability through their dependency on it.
    return info.project !== null && info.extra === null ? info.project.unavailable : [];
  }

  async getDependencies(pkg: PackageId, index: number): Promise<DependenciesResult<UnavailableReason>> {
    const info = this.universe.package(pkg);
    const env = this.options.markers;
    if (info.project === null) {
      const requirements = this.options.requirements.filter((r) => r.marker === null || r.marker.evaluate(env));
      return this.dependencies(pkg, index, requirements, []);
    }
    const project = info.project;
    const version = project.versions[index];
    const metadata = await this.metadataOf(project.name, version);
    if (!metadata.ok) return { kind: 'unavailable', reason: { kind: 'metadata', message: metadata.message } };
    if (info.extra === null) {
      const requirements = metadata.requirements.filter((r) => r.marker === null || r.marker.evaluate(env));
      return this.dependencies(pkg, index, requirements, []);
    }
    const extra = info.extra;
    if (metadata.providesExtra !== null && !metadata.providesExtra.has(extra)) {
      this.warnings.push(`${project.name}==${version.toString()} does not provide the extra '${extra}'`);
    }
    const requirements = metadata.requirements.filter((r) => r.marker !== null && r.marker.evaluate(env, extra) && !r.marker.evaluate(env));
    const self: Dependency = { package: project.base, set: VersionSet.singleton(project.versions.length, index) };
    return this.dependencies(pkg, index, requirements, [self]);
  }

  /** Fetches and parses a release's metadata once (the project and its proxies share it). */
  private metadataOf(name: string, version: Version): Promise<ParsedMetadata> {
    const key = `${name}==${version.toString()}`;
    let pending = this.metadata.get(key);
    if (pending === undefined) {
      pending = Promise.resolve(this.options.provider.getMetadata(name, version)).then(parseMetadata);
      this.metadata.set(key, pending);
    }
    return pending;
  }

  private async dependencies(
    pkg: PackageId,
    index: number,
    requirements: readonly Requirement[],
    fixed: readonly Dependency[],
  ): Promise<DependenciesResult<UnavailableReason>> {
    const url = requirements.find((r) => r.url !== null);
    if (url !== undefined) return { kind: 'unavailable', reason: { kind: 'url-requirement', requirement: url.toString() } };
    const names = [...new Set(requirements.map((r) => r.name))].filter((name) => this.universe.project(name) === undefined);
    // List the projects not seen yet in parallel; await only when there are some.
    if (names.length > 0) await Promise.all(names.map((name) => this.universe.ensureProject(name)));

    const sets = new Map<PackageId, VersionSet>();
    const add = (target: PackageId, set: VersionSet): void => {
      const previous = sets.get(target);
      sets.set(target, previous === undefined ? set : intersectLabelled(previous, set));
    };
    for (const requirement of requirements) {
      const project = this.universe.project(requirement.name) as Project;
      const set = this.constrain(project.name, this.universe.requirementSet(project, requirement));
      add(project.base, set);
      for (const extra of requirement.extras) add(this.universe.packageFor(project, extra), set);
    }
    for (const dep of fixed) add(dep.package, dep.set);

    const own = sets.get(pkg);
    if (own !== undefined) {
      if (!own.has(index)) {
        const name = this.universe.package(pkg).project?.name;
        const requirement = requirements.find((r) => r.name === name);
        return { kind: 'unavailable', reason: { kind: 'self-dependency', requirement: requirement?.toString() ?? '' } };
      }
      sets.delete(pkg);
    }
    return { kind: 'available', dependencies: [...sets].map(([target, set]) => ({ package: target, set })) };
  }

  /** Intersects a requirement's set with the constraints on its project. */
  private constrain(project: string, set: VersionSet): VersionSet {
    const constraints = this.options.constraints.get(project);
    if (constraints === undefined) return set;
    const listed = this.universe.project(project);
    if (listed === undefined) return set;
    let out = set;
    for (const constraint of constraints) out = intersectLabelled(out, this.universe.requirementSet(listed, constraint));
    return out;
  }
}

/** The intersection, labelled with both specifiers when both sets came from specifiers. */
export function intersectLabelled(a: VersionSet, b: VersionSet): VersionSet {
  const set = a.intersect(b);
  if (a.label === undefined || b.label === undefined) return set.withLabel(undefined);
  const clauses = [...new Set([...a.label.split(','), ...b.label.split(',')].filter((c) => c !== ''))];
  return set.withLabel(clauses.join(','));
}

function parseMetadata(answer: Awaited<ReturnType<Provider['getMetadata']>>): ParsedMetadata {
  if ('unavailable' in answer) return { ok: false, message: answer.unavailable };
  const requirements: Requirement[] = [];
  for (const text of answer.requiresDist) {
    try {
      requirements.push(parseRequirement(text));
    } catch (error) {
      return { ok: false, message: `invalid requirement '${text}': ${(error as Error).message.split('\n')[0]}` };
    }
  }
  const providesExtra = answer.providesExtra ? new Set(answer.providesExtra.map(normalizeName)) : null;
  return { ok: true, requirements, providesExtra };
}
