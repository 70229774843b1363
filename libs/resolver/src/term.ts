/**
 * PubGrub terms: a statement about one package, positive ("p is selected, at a version in S") or
 * negative ("p is not selected at a version in S", which also holds when p is not selected at all).
 *
 * The algebra follows the PubGrub paper (Weizenbaum, "PubGrub: Next-Generation Version Solving")
 * and pubgrub-rs `src/term.rs`. Surprise worth remembering: `Positive(all)` and `Negative(∅)` are
 * different. The first needs the package selected; the second ("any") holds whatever happens and is
 * never kept in an incompatibility.
 */
import { VersionSet } from './version-set';

/** How a term relates to the partial solution's accumulated term for the same package. */
export type TermRelation = 'satisfied' | 'contradicted' | 'inconclusive';

/** One package's term. Immutable. */
export class Term {
  constructor(
    /** Positive terms require the package; negative ones exclude versions. */
    readonly positive: boolean,
    readonly set: VersionSet,
  ) {}

  /** `p ∈ set`. */
  static positive(set: VersionSet): Term {
    return new Term(true, set);
  }

  /** `not (p ∈ set)`. */
  static negative(set: VersionSet): Term {
    return new Term(false, set);
  }

  /** The term that always holds: `not (p ∈ ∅)`. */
  static any(size: number): Term {
    return new Term(false, VersionSet.empty(size));
  }

  /** True for `not (p ∈ ∅)`, which constrains nothing. */
  get isAny(): boolean {
    return !this.positive && this.set.isEmpty;
  }

  /** True for `p ∈ ∅`, which can never hold. */
  get isEmpty(): boolean {
    return this.positive && this.set.isEmpty;
  }

  negate(): Term {
    return new Term(!this.positive, this.set);
  }

  /** Whether choosing candidate `index` satisfies the term. */
  contains(index: number): boolean {
    return this.set.has(index) === this.positive;
  }

  /** The term that holds exactly when both hold. */
  intersect(other: Term): Term {
    if (this.positive && other.positive) return keep(this, other, true, this.set.intersect(other.set));
    if (this.positive) return keep(this, other, true, this.set.minus(other.set));
    if (other.positive) return keep(this, other, true, other.set.minus(this.set));
    return keep(this, other, false, this.set.union(other.set));
  }

  /** The term that holds when either holds. */
  union(other: Term): Term {
    return this.negate().intersect(other.negate()).negate();
  }

  /** Whether every way of satisfying this term satisfies `other`. */
  isSubsetOf(other: Term): boolean {
    if (this.positive && other.positive) return this.set.isSubsetOf(other.set);
    if (this.positive) return this.set.isDisjointFrom(other.set);
    if (other.positive) return false;
    return other.set.isSubsetOf(this.set);
  }

  /** Whether no selection satisfies both terms. */
  isDisjointFrom(other: Term): boolean {
    if (this.positive && other.positive) return this.set.isDisjointFrom(other.set);
    if (this.positive) return this.set.isSubsetOf(other.set);
    if (other.positive) return other.set.isSubsetOf(this.set);
    return false;
  }

  /**
   * How this (incompatibility) term relates to `accumulated`, the intersection of everything the
   * partial solution says about the package: satisfied when implied by it, contradicted when
   * excluded by it.
   */
  relationTo(accumulated: Term): TermRelation {
    if (accumulated.isSubsetOf(this)) return 'satisfied';
    if (this.isDisjointFrom(accumulated)) return 'contradicted';
    return 'inconclusive';
  }

  equals(other: Term): boolean {
    return this.positive === other.positive && this.set.equals(other.set);
  }

  /** Debug form. */
  toString(): string {
    return `${this.positive ? '' : 'not '}${this.set.toString()}`;
  }
}

/** Returns an operand when the result equals it, so labels survive no-op operations. */
function keep(a: Term, b: Term, positive: boolean, set: VersionSet): Term {
  if (a.positive === positive && a.set === set) return a;
  if (b.positive === positive && b.set === set) return b;
  return new Term(positive, set);
}
