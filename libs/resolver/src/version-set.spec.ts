import fc from 'fast-check';
import { VersionSet } from './version-set';

/** A set and its model (a plain array of booleans) over the same universe. */
const setArb = (size: number): fc.Arbitrary<boolean[]> => fc.array(fc.boolean(), { minLength: size, maxLength: size });
const of = (bits: boolean[]): VersionSet => VersionSet.fromPredicate(bits.length, (i) => bits[i]);
const sizeArb = fc.integer({ min: 0, max: 100 });

describe('VersionSet', () => {
  it.each([
    ['empty', VersionSet.empty(5), [], 0, -1, -1],
    ['full', VersionSet.full(5), [0, 1, 2, 3, 4], 5, 4, 0],
    ['singleton', VersionSet.singleton(40, 33), [33], 1, 33, 33],
    ['across words', VersionSet.of(70, [0, 31, 32, 69]), [0, 31, 32, 69], 4, 69, 0],
    ['full of 32', VersionSet.full(32), Array.from({ length: 32 }, (_, i) => i), 32, 31, 0],
  ])('%s', (_name, set, indexes, count, highest, lowest) => {
    expect([...set.indexes()]).toEqual(indexes);
    expect(set.count).toBe(count);
    expect(set.highest).toBe(highest);
    expect(set.lowest).toBe(lowest);
  });

  it('keeps the complement within the universe', () => {
    expect([...VersionSet.of(35, [1, 34]).complement().indexes()]).toHaveLength(33);
    expect(VersionSet.full(33).complement().isEmpty).toBe(true);
    expect(VersionSet.empty(0).isFull).toBe(true);
  });

  it('returns an operand, label included, when an operation does not change it', () => {
    const a = VersionSet.of(4, [1, 2]).withLabel('>=1');
    expect(a.intersect(VersionSet.full(4))).toBe(a);
    expect(a.union(VersionSet.empty(4))).toBe(a);
    expect(a.minus(VersionSet.of(4, [0])).label).toBe('>=1');
    expect(a.intersect(VersionSet.of(4, [1])).label).toBeUndefined();
  });

  it('refuses sets over different candidate lists', () => {
    expect(() => VersionSet.full(3).union(VersionSet.full(4))).toThrow(RangeError);
    expect(() => VersionSet.of(3, [3])).toThrow(RangeError);
  });

  it('matches a boolean-array model', () => {
    fc.assert(
      fc.property(
        sizeArb.chain((n) => fc.tuple(setArb(n), setArb(n))),
        ([x, y]) => {
          const a = of(x);
          const b = of(y);
          const model = (f: (p: boolean, q: boolean) => boolean) => x.map((p, i) => f(p, y[i]));
          const bits = (s: VersionSet) => x.map((_, i) => s.has(i));
          expect(bits(a.union(b))).toEqual(model((p, q) => p || q));
          expect(bits(a.intersect(b))).toEqual(model((p, q) => p && q));
          expect(bits(a.minus(b))).toEqual(model((p, q) => p && !q));
          expect(bits(a.complement())).toEqual(x.map((p) => !p));
          expect(a.count).toBe(x.filter(Boolean).length);
          expect(a.isSubsetOf(b)).toBe(x.every((p, i) => !p || y[i]));
          expect(a.isDisjointFrom(b)).toBe(x.every((p, i) => !(p && y[i])));
          expect(a.equals(b)).toBe(x.every((p, i) => p === y[i]));
          expect(a.highest).toBe(x.lastIndexOf(true));
          expect(a.lowest).toBe(x.indexOf(true));
        },
      ),
    );
  });
});

