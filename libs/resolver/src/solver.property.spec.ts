/**
 * The solver core cross-checked against brute force on small random universes: satisfiable iff an
 * assignment exists; every solution satisfies every dependency; when taking the newest version of
 * everything reachable works, that is the answer; and every step of a failure's derivation tree
 * is sound (external facts are true of the universe, derived facts follow from their causes).
 */
import fc from 'fast-check';
import { DerivationTree } from './derivation-tree';
import { PackageTerm } from './incompatibility';
import { renderReport } from './report';
import { DependenciesResult, NoSolutionError, solve, SolverSource } from './solver';
import { VersionSet } from './version-set';

/** Package 0 is the root (one version); `deps[p][v]` maps a dependency to its allowed versions. */
interface Universe {
  sizes: number[];
  deps: Array<Array<Map<number, number[]>>>;
  unavailable: Array<Set<number>>;
  /** Versions reported unavailable lazily, by getDependencies, rather than up front. */
  lazyUnavailable: Array<Set<number>>;
}

/** Up to `maxPackages` packages (besides the root) of up to `maxVersions` versions. */
const universeArb = (maxPackages: number, maxVersions: number): fc.Arbitrary<Universe> =>
  fc
    .record({
      k: fc.integer({ min: 1, max: maxPackages }),
      seed: fc.array(fc.integer({ min: 0, max: 1 << 30 }), { minLength: 400, maxLength: 400 }),
    })
    .map(({ k, seed }) => {
      let i = 0;
      const next = (m: number): number => seed[i++ % seed.length] % m;
      const sizes = [1, ...Array.from({ length: k }, () => 1 + next(maxVersions))];
      const deps = sizes.map((size, p) =>
        Array.from({ length: size }, () => {
          const map = new Map<number, number[]>();
          for (let q = 1; q < sizes.length; q++) {
            if (q === p || next(p === 0 ? 2 : 3) !== 0) continue;
            const allowed: number[] = [];
            for (let v = 0; v < sizes[q]; v++) if (next(3) !== 0) allowed.push(v);
            map.set(q, allowed);
          }
          return map;
        }),
      );
      const unavailable = sizes.map((size, p) => new Set(p === 0 ? [] : Array.from({ length: size }, (_, v) => v).filter(() => next(6) === 0)));
      const lazyUnavailable = sizes.map((size, p) => new Set(p === 0 ? [] : Array.from({ length: size }, (_, v) => v).filter(() => next(8) === 0)));
      return { sizes, deps, unavailable, lazyUnavailable };
    });

function sourceOf(u: Universe): SolverSource<string> {
  return {
    root: 0,
    candidateCount: (p) => u.sizes[p],
    unavailableCandidates: (p) => (u.unavailable[p].size === 0 ? [] : [{ set: VersionSet.of(u.sizes[p], u.unavailable[p]), reason: 'broken' }]),
    getDependencies: (p, v): DependenciesResult<string> => {
      if (u.lazyUnavailable[p].has(v)) return { kind: 'unavailable', reason: 'lazy' };
      return { kind: 'available', dependencies: [...u.deps[p][v]].map(([q, allowed]) => ({ package: q, set: VersionSet.of(u.sizes[q], allowed) })) };
    },
  };
}

/** -1 = not selected. */
type Assignment = number[];

function* assignments(u: Universe): Generator<Assignment> {
  const current = u.sizes.map(() => -1);
  current[0] = 0;
  function* rec(p: number): Generator<Assignment> {
    if (p === u.sizes.length) {
      yield [...current];
      return;
    }
    for (let v = -1; v < u.sizes[p]; v++) {
      current[p] = v;
      yield* rec(p + 1);
    }
  }
  yield* rec(1);
}

function valid(u: Universe, a: Assignment): boolean {
  for (let p = 0; p < a.length; p++) {
    const v = a[p];
    if (v < 0) continue;
    if (u.unavailable[p].has(v) || u.lazyUnavailable[p].has(v)) return false;
    for (const [q, allowed] of u.deps[p][v]) if (!allowed.includes(a[q])) return false;
  }
  return true;
}

function violated(terms: readonly PackageTerm[], a: Assignment): boolean {
  return terms.every(({ package: p, term }) => (a[p] >= 0 && term.set.has(a[p])) === term.positive);
}

/** Checks every node of the tree; returns a description of the first unsound one. */
function unsoundNode(tree: DerivationTree<string>, u: Universe, all: Assignment[]): string | null {
  if (tree.kind === 'external') {
    const c = tree.cause;
    if (c.kind === 'dependency') {
      for (const v of c.set.indexes()) {
        const allowed = u.deps[c.package][v].get(c.dependency);
        if (allowed === undefined || !VersionSet.of(u.sizes[c.dependency], allowed).equals(c.dependencySet)) return `dependency ${c.package}@${v}`;
      }
    } else if (c.kind === 'unavailable') {
      for (const v of c.set.indexes()) if (!u.unavailable[c.package].has(v) && !u.lazyUnavailable[c.package].has(v)) return `unavailable ${c.package}@${v}`;
    } else if (c.kind === 'no-versions') {
      if (!c.set.isEmpty) return 'no-versions with versions';
    }
    return null;
  }
  for (const a of all) {
    if (violated(tree.terms, a) && !violated(tree.left.terms, a) && !violated(tree.right.terms, a)) return `derived ${JSON.stringify(a)}`;
  }
  return unsoundNode(tree.left, u, all) ?? unsoundNode(tree.right, u, all);
}

/** Newest version of every package reachable from the root through newest versions. */
function allNewest(u: Universe): Assignment {
  const a = u.sizes.map(() => -1);
  a[0] = 0;
  const queue = [0];
  while (queue.length > 0) {
    const p = queue.shift() as number;
    for (const q of u.deps[p][a[p]].keys()) {
      if (a[q] < 0) {
        a[q] = u.sizes[q] - 1;
        queue.push(q);
      }
    }
  }
  return a;
}

const vocabulary = {
  root: 0,
  setText: (p: number, s: VersionSet) => `p${p}${s.toString()}`,
  noVersionsText: (p: number, s: VersionSet) => `no p${p} in ${s.toString()}`,
  unavailableText: (p: number, s: VersionSet, r: string) => `p${p}${s.toString()} is ${r}`,
};

describe('solver against brute force', () => {
  it.each([
    ['many small universes', 4, 4, 1500],
    ['fewer larger universes', 5, 5, 500],
  ])('%s: agrees on satisfiability, returns valid solutions and sound proofs', async (_name, maxPackages, maxVersions, numRuns) => {
    await fc.assert(
      fc.asyncProperty(universeArb(maxPackages, maxVersions), async (u) => {
        const all = [...assignments(u)];
        const solvable = all.some((a) => valid(u, a));
        try {
          const { selection } = await solve(sourceOf(u));
          const a = u.sizes.map((_, p) => selection.get(p) ?? -1);
          expect(solvable).toBe(true);
          expect(valid(u, a)).toBe(true);
          const newest = allNewest(u);
          if (valid(u, newest)) expect(a).toEqual(newest);
        } catch (error) {
          if (!(error instanceof NoSolutionError)) throw error;
          expect(solvable).toBe(false);
          const tree = (error as NoSolutionError<string>).tree;
          expect(unsoundNode(tree, u, all)).toBeNull();
          expect(renderReport(tree, vocabulary).length).toBeGreaterThan(0);
        }
      }),
      { numRuns },
    );
  });
});
