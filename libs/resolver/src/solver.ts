/**
 * The PubGrub solver core: unit propagation, decision making and conflict-driven backtracking with
 * learned incompatibilities (Weizenbaum's `solver.md` in dart-lang/pub; pubgrub-rs `src/solver.rs`
 * and `src/internal/core.rs`).
 *
 * It knows nothing about Python. Packages are integer ids and versions are indexes into each
 * package's sorted candidate list, supplied by a {@link SolverSource}; the Python rules live in the
 * source (`python-source.ts`). The source may answer with promises (a database-backed index), so the
 * solver is async, but it awaits only when it meets a package version for the first time.
 *
 * Heuristics: decide packages in the order pip's resolver does (pip's `get_preference`), so that
 * where several answers exist this one is the answer pip users know — a package down to one
 * candidate first, then by depth from the root (a direct requirement before what it needs),
 * direct requirements in the order given, deeper ones by name; and try the newest remaining
 * candidate first. (Fewest-candidates-first, pubgrub-rs's default, finds an answer as surely but
 * often another one: it decides a tightly pinned dependency before the project that needs a
 * different version of it, then backtracks the project to an ancient release.)
 * Dependencies of several versions of a package on the same set of another are merged into one
 * incompatibility (pub's "collapse identical dependencies"), which keeps explanations short.
 */
import { Incompatibility, IncompatibilityCause, PackageId, PackageTerm, priorCauseTerms } from './incompatibility';
import { PartialSolution } from './partial-solution';
import { Term } from './term';
import { VersionSet } from './version-set';
import { buildDerivationTree, DerivationTree } from './derivation-tree';

/** A value or a promise of it: providers backed by memory answer at once, others later. */
export type MaybePromise<T> = T | Promise<T>;

/** One dependency of a package version: the dependency must be selected at a version in `set`. */
export interface Dependency {
  readonly package: PackageId;
  readonly set: VersionSet;
}

/** The dependencies of one candidate, or why that candidate cannot be used. */
export type DependenciesResult<R> =
  | { readonly kind: 'available'; readonly dependencies: readonly Dependency[] }
  | { readonly kind: 'unavailable'; readonly reason: R };

/** Candidates of a package known up front to be unusable, with the reason. */
export interface UnavailableGroup<R> {
  readonly set: VersionSet;
  readonly reason: R;
}

/**
 * What the solver needs to know about packages. Package ids are dense integers chosen by the
 * source; a package's candidates are `0 … size-1`, oldest first.
 */
export interface SolverSource<R> {
  /** The root package (one candidate, index 0). */
  readonly root: PackageId;
  /** How many candidates `pkg` has. Known for every package id the source has handed out. */
  candidateCount(pkg: PackageId): number;
  /**
   * The dependencies of candidate `index` of `pkg`. Every package id in the answer must already
   * have a known candidate count (list it before answering).
   */
  getDependencies(pkg: PackageId, index: number): MaybePromise<DependenciesResult<R>>;
  /** Candidates of `pkg` that cannot be used whatever is asked of them (called once per package). */
  unavailableCandidates?(pkg: PackageId): readonly UnavailableGroup<R>[];
  /** Overrides the newest-first choice within the allowed set (return -1 for none). */
  chooseCandidate?(pkg: PackageId, allowed: VersionSet): number;
  /** A package's name, the last tie-breaker of the decision order (package id order without it). */
  packageName?(pkg: PackageId): string;
}

/** Thrown when the requirements cannot be satisfied; carries the derivation tree. */
export class NoSolutionError<R> extends Error {
  constructor(
    readonly tree: DerivationTree<R>,
    message = 'No solution: the requirements are unsatisfiable',
  ) {
    super(message);
    this.name = 'NoSolutionError';
  }
}

/** Statistics of one run, for benchmarks and tests. */
export interface SolveStats {
  decisions: number;
  conflicts: number;
  incompatibilities: number;
}

/** The result: the chosen candidate of every selected package (the root included). */
export interface SolverResult {
  readonly selection: ReadonlyMap<PackageId, number>;
  readonly stats: SolveStats;
}

/** Limits of one run. */
export interface SolveLimits {
  /** `Date.now()` after which the run gives up with {@link SolveTimeoutError}. */
  readonly deadline?: number;
}

/** The run passed its deadline: the problem is too hard for the time allowed. */
export class SolveTimeoutError extends Error {
  constructor(readonly stats: SolveStats) {
    super(`gave up after ${stats.decisions} decisions and ${stats.conflicts} conflicts: the time limit passed`);
    this.name = 'SolveTimeoutError';
  }
}

/**
 * Solves from `source.root`.
 * @throws NoSolutionError when no selection satisfies every incompatibility
 * @throws SolveTimeoutError when `limits.deadline` passes first
 */
export async function solve<R>(source: SolverSource<R>, limits: SolveLimits = {}): Promise<SolverResult> {
  const state = new SolverState(source, limits.deadline ?? Infinity);
  return state.run();
}

class SolverState<R> {
  private readonly store: Incompatibility<R>[] = [];
  private readonly byPackage = new Map<PackageId, number[]>();
  /** Incompatibilities contradicted by the current trail; valid until the next backtrack. */
  private readonly contradicted = new Set<number>();
  private readonly solution = new PartialSolution();
  /** Candidates whose dependencies are already incompatibilities. */
  private readonly added = new Map<PackageId, Set<number>>();
  /** Packages whose up-front unavailable groups are already incompatibilities. */
  private readonly introduced = new Set<PackageId>();
  /** For merging: the live dependency incompatibility of (package, dependency). */
  private readonly lastDependency = new Map<string, number>();
  /** Order in which packages were first seen: the order of direct requirements. */
  private readonly firstSeen = new Map<PackageId, number>();
  /** Fewest dependency edges from the root to each package met so far. */
  private readonly depth = new Map<PackageId, number>();
  private readonly stats: SolveStats = { decisions: 0, conflicts: 0, incompatibilities: 0 };

  constructor(
    private readonly source: SolverSource<R>,
    private readonly deadline: number,
  ) {}

  async run(): Promise<SolverResult> {
    const root = this.source.root;
    this.introduce(root);
    this.depth.set(root, 0);
    const rootSet = VersionSet.singleton(this.source.candidateCount(root), 0);
    this.add([{ package: root, term: Term.negative(rootSet) }], { kind: 'root', package: root });

    let next: PackageId | null = root;
    while (next !== null) {
      if (Date.now() > this.deadline) throw new SolveTimeoutError({ ...this.stats, incompatibilities: this.store.length });
      this.propagate(next);
      next = this.pickPackage();
      if (next === null) break;
      const pkg: PackageId = next;
      const allowed = (this.solution.termFor(pkg) as Term).set;
      const candidate = this.source.chooseCandidate ? this.source.chooseCandidate(pkg, allowed) : allowed.highest;
      if (candidate < 0 || !allowed.has(candidate)) {
        this.add([{ package: pkg, term: Term.positive(allowed) }], { kind: 'no-versions', package: pkg, set: allowed });
        continue;
      }
      let seen = this.added.get(pkg);
      if (seen === undefined) this.added.set(pkg, (seen = new Set()));
      let fresh: Incompatibility<R>[] = [];
      if (!seen.has(candidate)) {
        seen.add(candidate);
        const result = await this.source.getDependencies(pkg, candidate);
        if (result.kind === 'unavailable') {
          const set = VersionSet.singleton(this.size(pkg), candidate);
          this.add([{ package: pkg, term: Term.positive(set) }], { kind: 'unavailable', package: pkg, set, reason: result.reason });
          continue;
        }
        fresh = this.addDependencies(pkg, candidate, result.dependencies);
      }
      const exact = Term.positive(VersionSet.singleton(this.size(pkg), candidate));
      if (!fresh.some((i) => this.solution.satisfiedWithDecision(i, pkg, exact))) {
        this.solution.addDecision(pkg, candidate, this.size(pkg));
        this.stats.decisions++;
      }
    }
    this.stats.incompatibilities = this.store.length;
    return { selection: this.solution.decisions(), stats: this.stats };
  }

  /** Unit propagation from `start` (solver.md "Unit Propagation"). */
  private propagate(start: PackageId): void {
    const changed: PackageId[] = [start];
    while (changed.length > 0) {
      const pkg = changed.pop() as PackageId;
      const ids = this.byPackage.get(pkg) ?? [];
      let conflict: number | null = null;
      // Newest incompatibilities first: learned ones are the most informative.
      for (let k = ids.length - 1; k >= 0; k--) {
        const id = ids[k];
        if (this.contradicted.has(id)) continue;
        const incompat = this.store[id];
        const relation = this.solution.relation(incompat);
        if (relation.kind === 'satisfied') {
          conflict = id;
          break;
        }
        if (relation.kind === 'almost-satisfied') {
          if (!changed.includes(relation.package)) changed.push(relation.package);
          this.solution.addDerivation(relation.package, incompat);
          this.contradicted.add(id);
        } else if (relation.kind === 'contradicted') {
          this.contradicted.add(id);
        }
      }
      if (conflict !== null) {
        const [almost, rootCause] = this.resolveConflict(conflict);
        changed.length = 0;
        changed.push(almost);
        this.solution.addDerivation(almost, this.store[rootCause]);
        this.contradicted.add(rootCause);
      }
    }
  }

  /** Conflict resolution (solver.md "Conflict Resolution"): learn, then backtrack. */
  private resolveConflict(conflict: number): [PackageId, number] {
    this.stats.conflicts++;
    let current = this.store[conflict];
    let changed = false;
    for (;;) {
      const search = this.solution.satisfierSearch(current, this.store);
      if (search.kind === 'different-levels') {
        this.solution.backtrack(search.previousLevel);
        this.contradicted.clear();
        if (changed) this.index(current);
        return [search.package, current.id];
      }
      const terms = priorCauseTerms(current, this.store[search.satisfierCause], search.package);
      current = this.alloc(terms, { kind: 'derived', left: current.id, right: search.satisfierCause });
      this.checkTerminal(current);
      changed = true;
    }
  }

  /**
   * The undecided required package to decide next: one with a single candidate left, else the
   * shallowest; among direct requirements the first given, among deeper ones the first by name.
   */
  private pickPackage(): PackageId | null {
    let best: PackageId | null = null;
    let bestKey: [number, number, number] = [Infinity, Infinity, Infinity];
    let bestName: string | null = null; // worked out only when a tie needs it
    for (const [pkg, set] of this.solution.undecided()) {
      const depth = this.depth.get(pkg) ?? Infinity;
      const key: [number, number, number] = [set.count <= 1 ? 0 : 1, depth, depth <= 1 ? (this.firstSeen.get(pkg) ?? Infinity) : 0];
      const order = best === null ? -1 : compareKeys(key, bestKey);
      if (order > 0) continue;
      let name: string | null = null;
      if (order === 0) {
        name = this.nameOf(pkg);
        bestName ??= this.nameOf(best as PackageId);
        if (name > bestName || (name === bestName && pkg > (best as PackageId))) continue;
      }
      best = pkg;
      bestKey = key;
      bestName = name;
    }
    return best;
  }

  private nameOf(pkg: PackageId): string {
    return this.source.packageName ? this.source.packageName(pkg) : String(pkg).padStart(12, '0');
  }

  /** Turns a candidate's dependencies into incompatibilities; returns the new ones. */
  private addDependencies(pkg: PackageId, candidate: number, dependencies: readonly Dependency[]): Incompatibility<R>[] {
    const fresh: Incompatibility<R>[] = [];
    const depth = (this.depth.get(pkg) ?? 0) + 1;
    for (const dep of dependencies) {
      this.introduce(dep.package);
      if (depth < (this.depth.get(dep.package) ?? Infinity)) this.depth.set(dep.package, depth);
    }
    for (const dep of dependencies) {
      const key = `${pkg}:${dep.package}`;
      let dependents = VersionSet.singleton(this.size(pkg), candidate);
      const previousId = this.lastDependency.get(key);
      const previous = previousId === undefined ? undefined : this.dependencyCause(this.store[previousId]);
      if (previous !== undefined && previous.dependencySet.equals(dep.set)) {
        dependents = previous.set.union(dependents);
        this.unindex(previousId as number);
      }
      const cause: IncompatibilityCause<R> = { kind: 'dependency', package: pkg, set: dependents, dependency: dep.package, dependencySet: dep.set };
      let incompat: Incompatibility<R>;
      if (dep.set.isEmpty) {
        // "not dep ∈ ∅" always holds, so the fact is "pkg ∈ dependents is impossible", which we
        // record as derived from the dependency and "no version of dep matches" for the report.
        const dependency = this.alloc([{ package: pkg, term: Term.positive(dependents) }, { package: dep.package, term: Term.negative(dep.set) }], cause);
        const none = this.alloc([{ package: dep.package, term: Term.positive(dep.set) }], { kind: 'no-versions', package: dep.package, set: dep.set });
        incompat = this.alloc([{ package: pkg, term: Term.positive(dependents) }], { kind: 'derived', left: dependency.id, right: none.id });
      } else {
        const terms: PackageTerm[] = [{ package: pkg, term: Term.positive(dependents) }, { package: dep.package, term: Term.negative(dep.set) }];
        incompat = this.alloc(terms, cause);
      }
      this.lastDependency.set(key, incompat.id);
      this.checkTerminal(incompat);
      this.index(incompat);
      fresh.push(incompat);
    }
    return fresh;
  }

  /** The dependency cause behind a stored dependency incompatibility (possibly the derived form). */
  private dependencyCause(incompat: Incompatibility<R>): Extract<IncompatibilityCause<R>, { kind: 'dependency' }> | undefined {
    const cause = incompat.cause;
    if (cause.kind === 'dependency') return cause;
    if (cause.kind === 'derived') return this.dependencyCause(this.store[cause.left]);
    return undefined;
  }

  /** First sight of a package: note the order and add its up-front unavailable groups. */
  private introduce(pkg: PackageId): void {
    if (this.introduced.has(pkg)) return;
    this.introduced.add(pkg);
    this.firstSeen.set(pkg, this.firstSeen.size);
    for (const group of this.source.unavailableCandidates?.(pkg) ?? []) {
      if (group.set.isEmpty) continue;
      this.add([{ package: pkg, term: Term.positive(group.set) }], { kind: 'unavailable', package: pkg, set: group.set, reason: group.reason });
    }
  }

  private add(terms: PackageTerm[], cause: IncompatibilityCause<R>): void {
    const incompat = this.alloc(terms, cause);
    this.checkTerminal(incompat);
    this.index(incompat);
  }

  private alloc(terms: PackageTerm[], cause: IncompatibilityCause<R>): Incompatibility<R> {
    const incompat = new Incompatibility<R>(this.store.length, terms, cause);
    this.store.push(incompat);
    return incompat;
  }

  private index(incompat: Incompatibility<R>): void {
    for (const { package: pkg } of incompat.terms) {
      let ids = this.byPackage.get(pkg);
      if (ids === undefined) this.byPackage.set(pkg, (ids = []));
      ids.push(incompat.id);
    }
  }

  private unindex(id: number): void {
    for (const { package: pkg } of this.store[id].terms) {
      const ids = this.byPackage.get(pkg);
      const at = ids?.lastIndexOf(id) ?? -1;
      if (ids !== undefined && at >= 0) ids.splice(at, 1);
    }
  }

  private checkTerminal(incompat: Incompatibility<R>): void {
    if (incompat.isTerminal(this.source.root)) {
      this.stats.incompatibilities = this.store.length;
      throw new NoSolutionError(buildDerivationTree(incompat.id, this.store));
    }
  }

  private size(pkg: PackageId): number {
    return this.source.candidateCount(pkg);
  }
}

function compareKeys(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}
