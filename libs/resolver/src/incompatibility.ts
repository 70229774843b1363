/**
 * Incompatibilities: sets of terms that must not all hold at once, and why we know that.
 *
 * External incompatibilities come from the problem (the root must be chosen, a package version has
 * a dependency, a version is unavailable, no version matches); derived ones are learned by conflict
 * resolution from two others (the resolution rule of CDCL; pubgrub-rs `internal/incompatibility.rs`).
 * The causes form the derivation graph that `derivation-tree.ts` turns into an explanation.
 *
 * Packages are small integers handed out by the solver's source; terms are kept in an array
 * (incompatibilities rarely have more than three), at most one term per package.
 */
import { Term } from './term';
import { VersionSet } from './version-set';

/** A package as the solver sees it: a dense integer id. */
export type PackageId = number;

/** One package's term inside an incompatibility. */
export interface PackageTerm {
  readonly package: PackageId;
  readonly term: Term;
}

/**
 * Why an incompatibility holds. `R` is the source's vocabulary for unavailable versions
 * (requires-python, no usable file, yanked, …), which only the report words.
 */
export type IncompatibilityCause<R> =
  /** The root package must be selected: `{not root}`. */
  | { readonly kind: 'root'; readonly package: PackageId }
  /** No candidate in `set`: `{p ∈ set}`. */
  | { readonly kind: 'no-versions'; readonly package: PackageId; readonly set: VersionSet }
  /** The candidates in `set` cannot be used, for `reason`: `{p ∈ set}`. */
  | { readonly kind: 'unavailable'; readonly package: PackageId; readonly set: VersionSet; readonly reason: R }
  /** Every version in `set` depends on `dependency ∈ dependencySet`: `{p ∈ set, not dependency ∈ dependencySet}`. */
  | {
      readonly kind: 'dependency';
      readonly package: PackageId;
      readonly set: VersionSet;
      readonly dependency: PackageId;
      readonly dependencySet: VersionSet;
    }
  /** Learned from two incompatibilities (ids in the store). */
  | { readonly kind: 'derived'; readonly left: number; readonly right: number };

/** A set of terms that cannot all be true. Immutable; identified by its index in the store. */
export class Incompatibility<R> {
  constructor(
    readonly id: number,
    readonly terms: readonly PackageTerm[],
    readonly cause: IncompatibilityCause<R>,
  ) {}

  /** The term on `pkg`, if any. */
  get(pkg: PackageId): Term | undefined {
    for (const t of this.terms) if (t.package === pkg) return t.term;
    return undefined;
  }

  /**
   * Terminal incompatibilities end the search: no terms (everything is impossible), or only
   * "root is selected", which contradicts the root incompatibility.
   */
  isTerminal(root: PackageId): boolean {
    if (this.terms.length === 0) return true;
    return this.terms.length === 1 && this.terms[0].package === root && this.terms[0].term.positive;
  }

  /** Debug form. */
  toString(): string {
    return `{${this.terms.map((t) => `${t.package}: ${t.term.toString()}`).join(', ')}}`;
  }
}

/**
 * The resolution rule: from `incompat` and the cause of its satisfier on `pivot`, the incompatibility
 * that keeps every term of both except the pivot's, whose terms are united (and dropped when the
 * union constrains nothing). Terms on the same other package are intersected.
 */
export function priorCauseTerms<R>(
  incompat: Incompatibility<R>,
  satisfierCause: Incompatibility<R>,
  pivot: PackageId,
): PackageTerm[] {
  const merged = new Map<PackageId, Term>();
  for (const t of incompat.terms) if (t.package !== pivot) merged.set(t.package, t.term);
  for (const t of satisfierCause.terms) {
    if (t.package === pivot) continue;
    const existing = merged.get(t.package);
    merged.set(t.package, existing === undefined ? t.term : existing.intersect(t.term));
  }
  const left = incompat.get(pivot);
  const right = satisfierCause.get(pivot);
  if (left !== undefined && right !== undefined) {
    const united = left.union(right);
    if (!united.isAny) merged.set(pivot, united);
  } else if (left !== undefined || right !== undefined) {
    merged.set(pivot, (left ?? right) as Term);
  }
  return sortTerms(merged);
}

/** Terms ordered by package id, so equal incompatibilities print alike. */
export function sortTerms(terms: Map<PackageId, Term>): PackageTerm[] {
  return [...terms.entries()].sort((a, b) => a[0] - b[0]).map(([pkg, term]) => ({ package: pkg, term }));
}
