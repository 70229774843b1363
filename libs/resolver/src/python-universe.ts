/**
 * The solver's packages for one Python resolution: the root, one package per project, and one
 * proxy package per (project, extra) — `a[x]` — which shares the project's candidate list.
 *
 * Each project is listed once (through the provider), sorted oldest first and deduplicated
 * (`1.0` and `1.0.0` are one version in PEP 440). Turning a specifier into a version set happens
 * here, once per (project, specifier): PEP 440 matching with pre-releases admitted, then the
 * pre-release policy, and the specifier text kept as the set's label for explanations.
 */
import { SpecifierSet, Version } from '@venvfarm/pep440';
import type { Requirement } from '@venvfarm/pep508';
import { AvailabilityContext, UnavailableReason, unavailableGroups } from './availability';
import type { PackageId } from './incompatibility';
import { applyPrereleasePolicy, PrereleaseFacts, PrereleasePolicy } from './prerelease-policy';
import type { Candidate, Provider } from './provider';
import type { UnavailableGroup } from './solver';
import { VersionSet } from './version-set';

/** A project as listed by the provider. */
export interface Project {
  /** PEP 503 normalized name. */
  readonly name: string;
  /** Whether the index does not know the project at all. */
  readonly missing: boolean;
  /** Releases, oldest first. */
  readonly candidates: readonly Candidate[];
  readonly versions: readonly Version[];
  readonly unavailable: readonly UnavailableGroup<UnavailableReason>[];
  readonly prerelease: PrereleaseFacts;
  /** The project's own package (no extra). */
  readonly base: PackageId;
  /** Version sets by specifier text, after the pre-release policy. */
  readonly sets: Map<string, VersionSet>;
}

/** One solver package. */
export interface PythonPackage {
  readonly id: PackageId;
  /** Null for the root. */
  readonly project: Project | null;
  /** The extra of a proxy package (normalized), else null. */
  readonly extra: string | null;
  /** Display name: `a`, `a[x]`, or the root's label. */
  readonly display: string;
}

/** The policy inputs that come from the user's requirements. */
export interface UniverseOptions {
  readonly provider: Provider;
  readonly prereleases: PrereleasePolicy;
  readonly availability: AvailabilityContext;
  /** Projects whose first-party requirements name a pre-release explicitly. */
  readonly explicitPrereleases: ReadonlySet<string>;
}

/** The package table. */
export class PythonUniverse {
  readonly root: PackageId = 0;
  private readonly packages: PythonPackage[] = [{ id: 0, project: null, extra: null, display: 'root' }];
  private readonly projects = new Map<string, Project>();
  private readonly listing = new Map<string, Promise<Project>>();
  private readonly extras = new Map<string, PackageId>();

  constructor(private readonly options: UniverseOptions) {}

  package(id: PackageId): PythonPackage {
    return this.packages[id];
  }

  candidateCount(id: PackageId): number {
    const project = this.packages[id].project;
    return project === null ? 1 : project.candidates.length;
  }

  /** The listed project, if listing already finished. */
  project(name: string): Project | undefined {
    return this.projects.get(name);
  }

  /** Lists `name` through the provider, once. */
  async ensureProject(name: string): Promise<Project> {
    const known = this.projects.get(name);
    if (known !== undefined) return known;
    let pending = this.listing.get(name);
    if (pending === undefined) {
      pending = Promise.resolve(this.options.provider.listCandidates(name)).then((list) => this.addProject(name, list));
      this.listing.set(name, pending);
    }
    return pending;
  }

  /** The package of `project` with `extra` (null: the project itself). */
  packageFor(project: Project, extra: string | null): PackageId {
    if (extra === null) return project.base;
    const key = `${project.name}[${extra}]`;
    let id = this.extras.get(key);
    if (id === undefined) {
      id = this.packages.length;
      this.packages.push({ id, project, extra, display: key });
      this.extras.set(key, id);
    }
    return id;
  }

  /** The candidates of `project` a requirement with `specifier` may select, labelled with it. */
  setFor(project: Project, specifier: SpecifierSet): VersionSet {
    const text = specifier.toString();
    let set = project.sets.get(text);
    if (set === undefined) {
      const raw = VersionSet.fromPredicate(project.versions.length, (i) => specifier.contains(project.versions[i], { prereleases: true }));
      set = applyPrereleasePolicy(this.options.prereleases, specifier, raw, project.prerelease).withLabel(text);
      project.sets.set(text, set);
    }
    return set;
  }

  /** The set of `requirement`'s specifier on its project (marker and extras are the caller's). */
  requirementSet(project: Project, requirement: Requirement): VersionSet {
    return this.setFor(project, requirement.specifier);
  }

  private addProject(name: string, list: readonly Candidate[] | null): Project {
    const existing = this.projects.get(name);
    if (existing !== undefined) return existing;
    const candidates = sortCandidates(list ?? []);
    const versions = candidates.map((c) => c.version);
    const n = candidates.length;
    const unavailable = unavailableGroups(name, candidates, this.options.availability);
    let usable = VersionSet.full(n);
    for (const group of unavailable) usable = usable.minus(group.set);
    const prereleases = VersionSet.fromPredicate(n, (i) => versions[i].isPrerelease);
    const base = this.packages.length;
    const project: Project = {
      name,
      missing: list === null,
      candidates,
      versions,
      unavailable,
      prerelease: {
        prereleases,
        usable,
        hasFinal: !prereleases.isFull,
        explicitFirstParty: this.options.explicitPrereleases.has(name),
      },
      base,
      sets: new Map(),
    };
    this.packages.push({ id: base, project, extra: null, display: name });
    this.projects.set(name, project);
    return project;
  }
}

/** Oldest first; later duplicates of an equal version (`1.0` after `1.0.0`) are dropped. */
function sortCandidates(list: readonly Candidate[]): Candidate[] {
  const sorted = [...list].sort((a, b) => a.version.compare(b.version));
  const out: Candidate[] = [];
  for (const c of sorted) if (out.length === 0 || out[out.length - 1].version.compare(c.version) !== 0) out.push(c);
  return out;
}
