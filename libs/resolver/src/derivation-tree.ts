/**
 * The derivation tree of a failed resolution: the terminal incompatibility at the top, external
 * facts (dependencies, unavailable versions, the root) at the leaves, and every inner node learned
 * from its two children by the resolution rule. This is the proof; `report.ts` words it.
 *
 * As pubgrub-rs `src/report.rs`, nodes reached along more than one path get a `sharedId`, so the
 * wording can state them once and refer back to them ("(1)").
 */
import { Incompatibility, IncompatibilityCause, PackageTerm } from './incompatibility';

/** An external fact: every cause but `derived`. */
export type ExternalCause<R> = Exclude<IncompatibilityCause<R>, { kind: 'derived' }>;

/** A leaf: an incompatibility taken from the problem. */
export interface ExternalNode<R> {
  readonly kind: 'external';
  readonly terms: readonly PackageTerm[];
  readonly cause: ExternalCause<R>;
}

/** An inner node: an incompatibility learned from two others. */
export interface DerivedNode<R> {
  readonly kind: 'derived';
  readonly terms: readonly PackageTerm[];
  /** Set when several parents share this node (the id of its incompatibility). */
  readonly sharedId: number | null;
  readonly left: DerivationTree<R>;
  readonly right: DerivationTree<R>;
}

/** The proof that the requirements cannot be satisfied. */
export type DerivationTree<R> = ExternalNode<R> | DerivedNode<R>;

/** Builds the tree below incompatibility `rootId` of `store`. */
export function buildDerivationTree<R>(rootId: number, store: readonly Incompatibility<R>[]): DerivationTree<R> {
  const shared = sharedIds(rootId, store);
  const built = new Map<number, DerivationTree<R>>();
  const build = (id: number): DerivationTree<R> => {
    const done = built.get(id);
    if (done !== undefined) return done;
    const incompat = store[id];
    const cause = incompat.cause;
    const node: DerivationTree<R> =
      cause.kind === 'derived'
        ? {
            kind: 'derived',
            terms: incompat.terms,
            sharedId: shared.has(id) ? id : null,
            left: build(cause.left),
            right: build(cause.right),
          }
        : { kind: 'external', terms: incompat.terms, cause };
    built.set(id, node);
    return node;
  };
  return build(rootId);
}

/** Derived incompatibilities reached more than once from the root. */
function sharedIds<R>(rootId: number, store: readonly Incompatibility<R>[]): Set<number> {
  const seen = new Set<number>();
  const shared = new Set<number>();
  const stack = [rootId];
  while (stack.length > 0) {
    const id = stack.pop() as number;
    const cause = store[id].cause;
    if (cause.kind !== 'derived') continue;
    if (seen.has(id)) {
      shared.add(id);
      continue;
    }
    seen.add(id);
    stack.push(cause.left, cause.right);
  }
  return shared;
}
