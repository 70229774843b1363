/**
 * A PEP 440 specifier set: comma-separated clauses that must all hold (`>=1.0, !=1.3.*, <2`).
 *
 * Pre-release policy (PEP 440 "Handling of pre-releases"): a set admits pre-releases when asked
 * to, or when one of its clauses names a pre-release explicitly; {@link SpecifierSet.filter}
 * also falls back to matching pre-releases when no final or post release matches at all.
 */
import { ContainsOptions, Specifier } from './specifier';
import type { Version } from './version';

/** An immutable conjunction of {@link Specifier} clauses; empty means "any version". */
export class SpecifierSet {
  private constructor(readonly specifiers: readonly Specifier[]) {}

  /** The set with no clauses, which admits every version (pre-releases by the usual policy). */
  static readonly ANY = new SpecifierSet([]);

  /**
   * Parses comma-separated clauses; blank clauses are ignored, as packaging does.
   * `offset` shifts error positions into a larger input `whole`.
   * @throws InvalidSpecifierError
   */
  static parse(text: string, offset = 0, whole: string = text): SpecifierSet {
    if (text.trim() === '') return SpecifierSet.ANY;
    const clauses: Specifier[] = [];
    let start = 0;
    for (;;) {
      const comma = text.indexOf(',', start);
      const end = comma < 0 ? text.length : comma;
      const clause = text.slice(start, end);
      if (clause.trim() !== '') clauses.push(Specifier.parse(clause, offset + start, whole));
      if (comma < 0) break;
      start = comma + 1;
    }
    return new SpecifierSet(clauses);
  }

  /** Builds a set from already parsed clauses. */
  static of(specifiers: readonly Specifier[]): SpecifierSet {
    return specifiers.length === 0 ? SpecifierSet.ANY : new SpecifierSet(specifiers);
  }

  get isEmpty(): boolean {
    return this.specifiers.length === 0;
  }

  /** True when a clause names a pre-release explicitly, which lets pre-releases match. */
  get prereleases(): boolean {
    return this.specifiers.some((s) => s.prereleases);
  }

  /**
   * Whether `version` satisfies every clause. With `prereleases` undefined a pre-release is
   * admitted only when a clause names one; `{prereleases: true}` is the raw PEP 440 match.
   */
  contains(version: Version, options: ContainsOptions = {}): boolean {
    const allowPre = options.prereleases ?? this.prereleases;
    if (!allowPre && version.isPrerelease) return false;
    for (const s of this.specifiers) if (!s.matches(version)) return false;
    return true;
  }

  /**
   * The versions this set admits, in input order. With `prereleases` undefined, pre-releases
   * are admitted when a clause names one, or when no final or post release matches at all.
   */
  filter(versions: Iterable<Version>, options: ContainsOptions = {}): Version[] {
    const allowPre = options.prereleases ?? this.prereleases;
    const finals: Version[] = [];
    const pres: Version[] = [];
    for (const v of versions) {
      if (!this.contains(v, { prereleases: true })) continue;
      if (v.isPrerelease && !allowPre) pres.push(v);
      else finals.push(v);
    }
    return finals.length === 0 && options.prereleases === undefined ? pres : finals;
  }

  /** The conjunction of both sets' clauses. */
  intersect(other: SpecifierSet): SpecifierSet {
    if (other.isEmpty) return this;
    if (this.isEmpty) return other;
    return new SpecifierSet([...this.specifiers, ...other.specifiers]);
  }

  /** Normalized clauses joined by commas, in input order (empty string for "any"). */
  toString(): string {
    return this.specifiers.map((s) => s.toString()).join(',');
  }
}
