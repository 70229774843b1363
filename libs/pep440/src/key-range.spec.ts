import fc from 'fast-check';
import oracle from '../fixtures/packaging-oracle.json';
import { specifierTextArb, versionTextArb } from './arbitraries';
import { complementRanges, intersectRanges, keyInRanges, keyRangesOfSet, keyRangesOfSpecifier } from './key-range';
import { Specifier } from './specifier';
import { SpecifierSet } from './specifier-set';
import { Version } from './version';

/** The documented refinement: `===V` ranges also hold versions equal to V but spelled otherwise. */
function refinementAllows(spec: Specifier, v: Version): boolean {
  return spec.operator === '===' && spec.parsed !== null && spec.parsed.equals(v);
}

describe('key ranges', () => {
  it('property: a specifier’s ranges hold exactly the versions it matches', () => {
    fc.assert(
      fc.property(specifierTextArb, fc.array(versionTextArb, { minLength: 1, maxLength: 8 }), (text, versions) => {
        const spec = Specifier.parse(text);
        const { ranges, exact } = keyRangesOfSpecifier(spec);
        for (const x of versions) {
          const v = Version.parse(x);
          const matches = spec.contains(v, { prereleases: true });
          const inside = keyInRanges(v.key(), ranges);
          if (matches) expect(inside).toBe(true);
          else if (inside) {
            expect(exact).toBe(false);
            expect(refinementAllows(spec, v)).toBe(true);
          }
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('agrees with packaging on every oracle specifier and version', () => {
    const versions = oracle.versions.map((x) => Version.parse(x));
    const wrong: string[] = [];
    oracle.specifiers.forEach((text, i) => {
      const spec = Specifier.parse(text);
      const { ranges } = keyRangesOfSpecifier(spec);
      versions.forEach((v, j) => {
        const inside = keyInRanges(v.key(), ranges);
        const expected = oracle.matches[i][j] === '1' || (inside && refinementAllows(spec, v));
        if (inside !== expected) wrong.push(`${text} ${v}`);
      });
    });
    expect(wrong).toEqual([]);
  });

  it('property: a set’s ranges are the intersection of its clauses’ ranges', () => {
    fc.assert(
      fc.property(fc.array(specifierTextArb, { minLength: 1, maxLength: 4 }), versionTextArb, (clauses, x) => {
        const set = SpecifierSet.parse(clauses.join(','));
        const v = Version.parse(x);
        const { ranges, exact } = keyRangesOfSet(set);
        const matches = set.contains(v, { prereleases: true });
        if (matches || exact) expect(keyInRanges(v.key(), ranges)).toBe(matches);
      }),
      { numRuns: 10000 },
    );
  });

  it('returns sorted disjoint ranges, empty for contradictions', () => {
    expect(keyRangesOfSet(SpecifierSet.parse('>=2,<1')).ranges).toEqual([]);
    const r = keyRangesOfSet(SpecifierSet.parse('!=1.5,!=1.7')).ranges;
    expect(r).toHaveLength(3);
    expect(r[0].lo).toBeNull();
    expect(r[2].hi).toBeNull();
  });

  it('complement of complement is the identity on membership', () => {
    const base = keyRangesOfSet(SpecifierSet.parse('>=1,<2,!=1.5.*')).ranges;
    const twice = complementRanges(complementRanges(base));
    for (const x of ['0.9', '1.0', '1.5.2', '1.6', '2.0', '1.5', '1.4.99']) {
      const k = Version.parse(x).key();
      expect(keyInRanges(k, twice)).toBe(keyInRanges(k, base));
    }
    expect(intersectRanges(base, complementRanges(base))).toEqual([]);
  });
});
