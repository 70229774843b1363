/**
 * Words a derivation tree as the explanation users read, in PubGrub's style ("Because a==1.0
 * depends on b>=2 and no version of b matches >=2, we can conclude that a==1.0 cannot be used.").
 *
 * The walk is pubgrub-rs `DefaultStringReporter` (`src/report.rs`): a chain of derivations whose
 * other cause is external becomes a run of "And because …" lines; a derivation used twice is stated
 * once and referred to by number. The phrasing borrows uv's ("you require", "we can conclude that",
 * "your requirements are unsatisfiable"). How packages, sets and unavailable versions are named is
 * left to a {@link ReportVocabulary}, which the Python glue supplies.
 */
import { DerivationTree, DerivedNode, ExternalCause, ExternalNode } from './derivation-tree';
import { PackageId, PackageTerm } from './incompatibility';
import { VersionSet } from './version-set';

/** How to name things; the report owns only the sentence structure. */
export interface ReportVocabulary<R> {
  /** The root package (the user's requirements). */
  readonly root: PackageId;
  /** A package restricted to a set, e.g. `a>=1.0`, `a==1.0`, `any version of a`. */
  setText(pkg: PackageId, set: VersionSet): string;
  /** The fact that no candidate of `pkg` lies in `set`. */
  noVersionsText(pkg: PackageId, set: VersionSet): string;
  /** The fact that the candidates in `set` cannot be used, e.g. `a==2.0 was yanked`. */
  unavailableText(pkg: PackageId, set: VersionSet, reason: R): string;
}

/** Renders the explanation of `tree` as lines of text. */
export function renderReport<R>(tree: DerivationTree<R>, vocabulary: ReportVocabulary<R>): string {
  if (tree.kind === 'external') return `Because ${externalText(tree.cause, vocabulary)}, ${conclusion(tree.terms, vocabulary)}.`;
  const reporter = new Reporter(vocabulary);
  reporter.buildRecursive(tree);
  return reporter.lines.join('\n');
}

class Reporter<R> {
  readonly lines: string[] = [];
  private readonly refs = new Map<number, number>();
  private refCount = 0;

  constructor(private readonly vocabulary: ReportVocabulary<R>) {}

  buildRecursive(node: DerivedNode<R>): void {
    this.buildHelper(node);
    if (node.sharedId !== null && !this.refs.has(node.sharedId)) {
      this.addLineRef();
      this.refs.set(node.sharedId, this.refCount);
    }
  }

  private buildHelper(current: DerivedNode<R>): void {
    const { left, right } = current;
    if (left.kind === 'external' && right.kind === 'external') {
      this.lines.push(`Because ${this.bothExternal(left, right)}, ${this.conclude(current)}.`);
    } else if (left.kind === 'derived' && right.kind === 'external') {
      this.oneEach(left, right, current);
    } else if (left.kind === 'external' && right.kind === 'derived') {
      this.oneEach(right, left, current);
    } else {
      const d1 = left as DerivedNode<R>;
      const d2 = right as DerivedNode<R>;
      const r1 = this.refOf(d1);
      const r2 = this.refOf(d2);
      if (r1 !== undefined && r2 !== undefined) {
        this.lines.push(`Because ${this.conclusionOf(d1)} (${r1}) and ${this.conclusionOf(d2)} (${r2}), ${this.conclude(current)}.`);
      } else if (r1 !== undefined) {
        this.buildRecursive(d2);
        this.lines.push(`And because ${this.conclusionOf(d1)} (${r1}), ${this.conclude(current)}.`);
      } else if (r2 !== undefined) {
        this.buildRecursive(d1);
        this.lines.push(`And because ${this.conclusionOf(d2)} (${r2}), ${this.conclude(current)}.`);
      } else {
        this.buildRecursive(d1);
        if (d1.sharedId !== null) {
          this.lines.push('');
          this.buildRecursive(current);
        } else {
          this.addLineRef();
          const ref1 = this.refCount;
          this.lines.push('');
          this.buildRecursive(d2);
          this.lines.push(`And because ${this.conclusionOf(d1)} (${ref1}), ${this.conclude(current)}.`);
        }
      }
    }
  }

  private oneEach(derived: DerivedNode<R>, external: ExternalNode<R>, current: DerivedNode<R>): void {
    const ref = this.refOf(derived);
    if (ref !== undefined) {
      this.lines.push(`Because ${this.conclusionOf(derived)} (${ref}) and ${this.external(external)}, ${this.conclude(current)}.`);
      return;
    }
    const { left, right } = derived;
    const prior =
      left.kind === 'derived' && right.kind === 'external'
        ? ([left, right] as const)
        : left.kind === 'external' && right.kind === 'derived'
          ? ([right, left] as const)
          : null;
    if (prior !== null && this.refOf(prior[0]) === undefined) {
      // Skip stating `derived` itself: it follows from the prior line and one more fact.
      this.buildRecursive(prior[0]);
      this.lines.push(`And because ${this.bothExternal(prior[1], external)}, ${this.conclude(current)}.`);
    } else {
      this.buildRecursive(derived);
      this.lines.push(`And because ${this.external(external)}, ${this.conclude(current)}.`);
    }
  }

  private bothExternal(a: ExternalNode<R>, b: ExternalNode<R>): string {
    const root = this.vocabulary.root;
    if (a.cause.kind === 'dependency' && b.cause.kind === 'dependency' && a.cause.package === root && b.cause.package === root) {
      return `you require ${this.vocabulary.setText(a.cause.dependency, a.cause.dependencySet)} and ${this.vocabulary.setText(b.cause.dependency, b.cause.dependencySet)}`;
    }
    return `${this.external(a)} and ${this.external(b)}`;
  }

  private external(node: ExternalNode<R>): string {
    return externalText(node.cause, this.vocabulary);
  }

  private conclude(node: DerivedNode<R>): string {
    return conclusion(node.terms, this.vocabulary);
  }

  private conclusionOf(node: DerivedNode<R>): string {
    return conclusionStatement(node.terms, this.vocabulary);
  }

  private refOf(node: DerivedNode<R>): number | undefined {
    return node.sharedId === null ? undefined : this.refs.get(node.sharedId);
  }

  private addLineRef(): void {
    this.refCount++;
    const last = this.lines.length - 1;
    if (last >= 0) this.lines[last] = `${this.lines[last]} (${this.refCount})`;
  }
}

/** An external fact in words. */
export function externalText<R>(cause: ExternalCause<R>, vocabulary: ReportVocabulary<R>): string {
  switch (cause.kind) {
    case 'root':
      return 'we are solving your requirements';
    case 'no-versions':
      return vocabulary.noVersionsText(cause.package, cause.set);
    case 'unavailable':
      return vocabulary.unavailableText(cause.package, cause.set, cause.reason);
    case 'dependency': {
      const dependency = vocabulary.setText(cause.dependency, cause.dependencySet);
      if (cause.package === vocabulary.root) return `you require ${dependency}`;
      return `${vocabulary.setText(cause.package, cause.set)} depends on ${dependency}`;
    }
  }
}

/** "we can conclude that …" for a derived incompatibility. */
function conclusion<R>(terms: readonly PackageTerm[], vocabulary: ReportVocabulary<R>): string {
  if (terms.length === 0) return 'version solving failed';
  return `we can conclude that ${conclusionStatement(terms, vocabulary)}`;
}

/** What a derived incompatibility says, as a clause. */
export function conclusionStatement<R>(terms: readonly PackageTerm[], vocabulary: ReportVocabulary<R>): string {
  const root = vocabulary.root;
  if (terms.length === 0) return 'version solving failed';
  const positives = terms.filter((t) => t.term.positive);
  const negatives = terms.filter((t) => !t.term.positive);
  if (positives.length === 1 && negatives.length === 0 && positives[0].package === root) {
    return 'your requirements are unsatisfiable';
  }
  // The root is always selected, so "root and X" is just "X".
  const others = positives.filter((t) => t.package !== root);
  const text = (t: PackageTerm): string => vocabulary.setText(t.package, t.term.set);
  if (others.length === 0) return `${joinWords(negatives.map(text), 'or')} ${negatives.length === 1 ? 'is' : 'are'} required`;
  if (negatives.length === 0) {
    return others.length === 1 ? `${text(others[0])} cannot be used` : `${joinWords(others.map(text), 'and')} are incompatible`;
  }
  const verb = others.length === 1 ? 'depends on' : 'together depend on';
  return `${joinWords(others.map(text), 'and')} ${verb} ${joinWords(negatives.map(text), 'or')}`;
}

function joinWords(items: readonly string[], conjunction: 'and' | 'or'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}
