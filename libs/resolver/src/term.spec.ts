import fc from 'fast-check';
import { Term } from './term';
import { VersionSet } from './version-set';

const setArb = (size: number): fc.Arbitrary<boolean[]> => fc.array(fc.boolean(), { minLength: size, maxLength: size });
const of = (bits: boolean[]): VersionSet => VersionSet.fromPredicate(bits.length, (i) => bits[i]);

describe('Term', () => {
  /** Which selections (-1 = none, else an index) satisfy a term. */
  const holds = (t: Term, n: number): boolean[] => [-1, ...Array.from({ length: n }, (_, i) => i)].map((v) => (v < 0 ? !t.positive : t.contains(v)));
  const termArb = (n: number) => fc.tuple(fc.boolean(), setArb(n)).map(([positive, bits]) => new Term(positive, of(bits)));

  it('follows the semantics of selections', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 6 }).chain((n) => fc.tuple(fc.constant(n), termArb(n), termArb(n))),
        ([n, s, t]) => {
          const hs = holds(s, n);
          const ht = holds(t, n);
          expect(holds(s.intersect(t), n)).toEqual(hs.map((h, i) => h && ht[i]));
          expect(holds(s.union(t), n)).toEqual(hs.map((h, i) => h || ht[i]));
          expect(holds(s.negate(), n)).toEqual(hs.map((h) => !h));
          expect(s.isSubsetOf(t)).toBe(hs.every((h, i) => !h || ht[i]));
          expect(s.isDisjointFrom(t)).toBe(hs.every((h, i) => !(h && ht[i])));
        },
      ),
    );
  });

  it.each([
    ['any holds always', Term.any(3), true, false],
    ['positive empty never holds', Term.positive(VersionSet.empty(3)), false, true],
    ['positive full needs a selection', Term.positive(VersionSet.full(3)), false, false],
  ])('%s', (_name, term, isAny, isEmpty) => {
    expect(term.isAny).toBe(isAny);
    expect(term.isEmpty).toBe(isEmpty);
  });

  it.each([
    // accumulated, incompatibility term, relation
    [Term.positive(VersionSet.of(4, [1])), Term.positive(VersionSet.of(4, [1, 2])), 'satisfied'],
    [Term.positive(VersionSet.of(4, [1])), Term.positive(VersionSet.of(4, [2])), 'contradicted'],
    [Term.positive(VersionSet.of(4, [1, 2])), Term.positive(VersionSet.of(4, [2])), 'inconclusive'],
    [Term.negative(VersionSet.of(4, [1])), Term.negative(VersionSet.of(4, [1])), 'satisfied'],
    [Term.negative(VersionSet.of(4, [1])), Term.positive(VersionSet.of(4, [1])), 'contradicted'],
    [Term.negative(VersionSet.of(4, [1])), Term.positive(VersionSet.of(4, [2])), 'inconclusive'],
  ])('relation of %s to %s is %s', (accumulated, term, relation) => {
    expect(term.relationTo(accumulated)).toBe(relation);
  });
});
