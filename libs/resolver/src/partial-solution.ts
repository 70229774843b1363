/**
 * The partial solution: PubGrub's trail of assignments (decisions and derivations), grouped by
 * package, each dated by a global index and a decision level, with the running intersection of the
 * package's terms.
 *
 * Follows pubgrub-rs `internal/partial_solution.rs`: a package's derivations keep their accumulated
 * intersection, so finding the satisfier of an incompatibility is a scan of one package's history,
 * and backtracking truncates those histories. A decision is always the last assignment of its
 * package; deciding starts a new decision level.
 */
import { Incompatibility, PackageId } from './incompatibility';
import { Term } from './term';
import { VersionSet } from './version-set';

/** How an incompatibility relates to the partial solution. */
export type Relation =
  | { readonly kind: 'satisfied' }
  | { readonly kind: 'contradicted' }
  | { readonly kind: 'almost-satisfied'; readonly package: PackageId }
  | { readonly kind: 'inconclusive' };

const SATISFIED: Relation = { kind: 'satisfied' };
const CONTRADICTED: Relation = { kind: 'contradicted' };
const INCONCLUSIVE: Relation = { kind: 'inconclusive' };

interface DatedDerivation {
  readonly globalIndex: number;
  readonly level: number;
  readonly cause: number;
  /** Intersection of this package's terms up to and including this derivation. */
  readonly accumulated: Term;
}

interface Decision {
  readonly globalIndex: number;
  readonly candidate: number;
}

class PackageAssignments {
  smallestLevel: number;
  highestLevel: number;
  readonly derivations: DatedDerivation[] = [];
  decision: Decision | null = null;
  /** Intersection of all assignments (the exact term once decided). */
  term: Term;

  constructor(level: number, term: Term) {
    this.smallestLevel = level;
    this.highestLevel = level;
    this.term = term;
  }
}

/** Where the assignment that completed the satisfaction of a term sits in the trail. */
interface Satisfier {
  /** The cause of the satisfying derivation, or null when it is the decision. */
  readonly cause: number | null;
  readonly globalIndex: number;
  readonly level: number;
}

/** Outcome of the satisfier search of conflict resolution. */
export type SatisfierSearch =
  | { readonly kind: 'different-levels'; readonly package: PackageId; readonly previousLevel: number }
  | { readonly kind: 'same-level'; readonly package: PackageId; readonly satisfierCause: number };

/** The trail. */
export class PartialSolution {
  private level = 0;
  private nextGlobalIndex = 0;
  private readonly assignments = new Map<PackageId, PackageAssignments>();

  get decisionLevel(): number {
    return this.level;
  }

  /** The intersection of the package's assignments, or undefined when it has none. */
  termFor(pkg: PackageId): Term | undefined {
    return this.assignments.get(pkg)?.term;
  }

  /** Records that `pkg` is selected at `candidate`, at a new decision level. */
  addDecision(pkg: PackageId, candidate: number, size: number): void {
    const pa = this.assignments.get(pkg);
    if (pa === undefined || pa.decision !== null || !pa.term.contains(candidate)) {
      throw new Error(`Internal error: cannot decide package ${pkg} at candidate ${candidate}`);
    }
    this.level++;
    pa.highestLevel = this.level;
    pa.decision = { globalIndex: this.nextGlobalIndex++, candidate };
    pa.term = Term.positive(VersionSet.singleton(size, candidate));
  }

  /** Records `not incompat[pkg]`, derived from `incompat` by unit propagation. */
  addDerivation(pkg: PackageId, incompat: Incompatibility<unknown>): void {
    const own = incompat.get(pkg);
    if (own === undefined) throw new Error(`Internal error: package ${pkg} not in incompatibility ${incompat.id}`);
    const derived = own.negate();
    const pa = this.assignments.get(pkg);
    if (pa === undefined) {
      const fresh = new PackageAssignments(this.level, derived);
      fresh.derivations.push({ globalIndex: this.nextGlobalIndex++, level: this.level, cause: incompat.id, accumulated: derived });
      this.assignments.set(pkg, fresh);
      return;
    }
    if (pa.decision !== null) throw new Error(`Internal error: derivation on decided package ${pkg}`);
    pa.highestLevel = this.level;
    pa.term = pa.term.intersect(derived);
    pa.derivations.push({ globalIndex: this.nextGlobalIndex++, level: this.level, cause: incompat.id, accumulated: pa.term });
  }

  /** How `incompat` relates to the current assignments. */
  relation(incompat: Incompatibility<unknown>): Relation {
    let almost: PackageId | null = null;
    for (const { package: pkg, term } of incompat.terms) {
      const accumulated = this.assignments.get(pkg)?.term;
      // With no assignment the package's term is "any", which satisfies no term we keep.
      const relation = accumulated === undefined ? 'inconclusive' : term.relationTo(accumulated);
      if (relation === 'contradicted') return CONTRADICTED;
      if (relation === 'inconclusive') {
        if (almost !== null) return INCONCLUSIVE;
        almost = pkg;
      }
    }
    return almost === null ? SATISFIED : { kind: 'almost-satisfied', package: almost };
  }

  /**
   * Whether `incompat` would be satisfied if `pkg` were decided at `candidate` (used to skip a
   * decision whose own dependencies already conflict, as pubgrub-rs `add_version` does).
   */
  satisfiedWithDecision(incompat: Incompatibility<unknown>, pkg: PackageId, exact: Term): boolean {
    for (const { package: p, term } of incompat.terms) {
      const accumulated = p === pkg ? exact : this.assignments.get(p)?.term;
      if (accumulated === undefined || term.relationTo(accumulated) !== 'satisfied') return false;
    }
    return true;
  }

  /**
   * Packages that are required (positive term) and not yet decided, with their allowed sets.
   */
  *undecided(): IterableIterator<[PackageId, VersionSet]> {
    for (const [pkg, pa] of this.assignments) {
      if (pa.decision === null && pa.term.positive) yield [pkg, pa.term.set];
    }
  }

  /** The decided candidates, by package. */
  decisions(): Map<PackageId, number> {
    const out = new Map<PackageId, number>();
    for (const [pkg, pa] of this.assignments) if (pa.decision !== null) out.set(pkg, pa.decision.candidate);
    return out;
  }

  /** Forgets every assignment made after decision level `level`. */
  backtrack(level: number): void {
    this.level = level;
    for (const [pkg, pa] of this.assignments) {
      if (pa.smallestLevel > level) {
        this.assignments.delete(pkg);
      } else if (pa.highestLevel > level) {
        // A decision made above `level` was this package's last assignment; drop it too.
        pa.decision = null;
        while (pa.derivations.length > 0 && pa.derivations[pa.derivations.length - 1].level > level) pa.derivations.pop();
        const last = pa.derivations[pa.derivations.length - 1];
        pa.highestLevel = last.level;
        pa.term = last.accumulated;
      }
    }
  }

  /**
   * Finds the satisfier of a satisfied incompatibility (the assignment that completed its
   * satisfaction) and the previous satisfier's level, and tells conflict resolution whether to
   * backtrack (different levels) or to resolve against the satisfier's cause (same level).
   */
  satisfierSearch(incompat: Incompatibility<unknown>, store: readonly Incompatibility<unknown>[]): SatisfierSearch {
    const satisfied = new Map<PackageId, Satisfier>();
    for (const { package: pkg, term } of incompat.terms) satisfied.set(pkg, this.satisfierOf(pkg, term.negate()));
    const [pkg, satisfier] = latest(satisfied);

    // The previous satisfier: the earliest assignment before the satisfier such that the trail up
    // to it, plus the satisfier, satisfies the incompatibility (solver.md). When the satisfier's
    // own term settles its package's term, that package needs no earlier assignment at all.
    // (pubgrub-rs then counts the package's first derivation, which can be the satisfier itself;
    // on long chains of derivations that resolves level by level instead of backjumping.)
    const pa = this.assignments.get(pkg) as PackageAssignments;
    const own =
      satisfier.cause === null ? pa.term : (store[satisfier.cause].get(pkg) as Term).negate();
    const incompatTerm = incompat.get(pkg) as Term;
    const rest = own.intersect(incompatTerm.negate());
    if (rest.isEmpty) satisfied.delete(pkg);
    else satisfied.set(pkg, this.satisfierOf(pkg, rest));
    const previousLevel = satisfied.size === 0 ? 1 : Math.max(1, latest(satisfied)[1].level);

    if (previousLevel >= satisfier.level) {
      if (satisfier.cause === null) throw new Error('Internal error: a decision cannot be resolved against');
      return { kind: 'same-level', package: pkg, satisfierCause: satisfier.cause };
    }
    return { kind: 'different-levels', package: pkg, previousLevel };
  }

  /** The first assignment of `pkg` whose accumulated term is disjoint from `start`. */
  private satisfierOf(pkg: PackageId, start: Term): Satisfier {
    const pa = this.assignments.get(pkg);
    if (pa === undefined) throw new Error(`Internal error: no assignment for package ${pkg}`);
    for (const d of pa.derivations) {
      if (d.accumulated.isDisjointFrom(start)) return { cause: d.cause, globalIndex: d.globalIndex, level: d.level };
    }
    if (pa.decision === null) throw new Error(`Internal error: package ${pkg} has no satisfier`);
    return { cause: null, globalIndex: pa.decision.globalIndex, level: pa.highestLevel };
  }
}

function latest(satisfied: Map<PackageId, Satisfier>): [PackageId, Satisfier] {
  let best: [PackageId, Satisfier] | null = null;
  for (const entry of satisfied) if (best === null || entry[1].globalIndex > best[1].globalIndex) best = entry;
  return best as [PackageId, Satisfier];
}
