import fc from 'fast-check';
import oracle from '../fixtures/packaging-oracle.json';
import { specifierTextArb, versionTextArb } from './arbitraries';
import { InvalidSpecifierError } from './errors';
import { Specifier } from './specifier';
import { SpecifierSet } from './specifier-set';
import { Version } from './version';

const v = (text: string) => Version.parse(text);

describe('Specifier.contains against packaging (raw match, pre-releases allowed)', () => {
  const versions = oracle.versions.map(v);
  it.each(oracle.specifiers.map((s, i) => [s, oracle.matches[i]] as const))('%s', (text, expected) => {
    const spec = Specifier.parse(text);
    const got = versions.map((x) => (spec.contains(x, { prereleases: true }) ? '1' : '0')).join('');
    if (got !== expected) {
      const wrong = versions.filter((_, i) => got[i] !== expected[i]).map(String);
      throw new Error(`${text} disagrees with packaging on ${wrong.join(', ')}`);
    }
  });
});

describe('Specifier semantics', () => {
  it.each([
    ['<1.0', '1.0a1', false],
    ['<1.0', '0.9+local', true],
    ['<1.0.post1', '1.0.dev0', true],
    ['<1.0.post1', '1.0.post1.dev0', false],
    ['<1.0', '1.0.dev0', false],
    ['<1.0.post1', '1.0', true],
    ['<1.0a2', '1.0a1', true],
    ['>1.0', '1.0.post1', false],
    ['>1.0', '1.0+local', false],
    ['>1.0', '1.0.1', true],
    ['>1.0.post1', '1.0.post2', true],
    ['>1.0.post1', '1.0.post2+local', true],
    ['>1.0.post1', '1.0.post1+local', false],
    ['>1.0a1', '1.0.post1', true],
    ['>1.0a1', '1.0a1.post1', false],
    ['>1.0.dev1', '1.0.dev1+local', false],
    ['==1.0', '1.0+anything', true],
    ['==1.0+abc', '1.0+abd', false],
    ['==1.0.*', '1', true],
    ['==1.0.*', '1.0.7rc1', true],
    ['==1.0.*', '1.1', false],
    ['!=1.0.*', '1.1', true],
    ['~=2.2', '2.9', true],
    ['~=2.2', '3.0', false],
    ['~=1.4.5a4', '1.4.5', true],
    ['~=1.4.5a4', '1.5', false],
    ['<=1.0', '1.0+local', true],
    ['===1.0', '1.0', true],
    ['===1.0', '1.0.0', false],
    ['===foobar', '1.0', false],
  ])('%s contains %s: %s', (spec, version, expected) => {
    expect(Specifier.parse(spec).contains(v(version), { prereleases: true })).toBe(expected);
  });

  it('admits pre-releases only when asked or named', () => {
    expect(Specifier.parse('>=1.0').contains(v('2.0a1'))).toBe(false);
    expect(Specifier.parse('>=1.0a1').contains(v('2.0a1'))).toBe(true);
    expect(Specifier.parse('>1.0a1').contains(v('2.0a1'))).toBe(true); // packaging 26: any op but != opts in
    expect(Specifier.parse('!=1.0a1').contains(v('2.0a1'))).toBe(false);
    expect(Specifier.parse('>=1.0').contains(v('2.0a1'), { prereleases: true })).toBe(true);
  });

  it('normalizes its text', () => {
    expect(Specifier.parse(' >=  v1.0-ALPHA ').toString()).toBe('>=1.0a0');
    expect(Specifier.parse('==1.0.*').toString()).toBe('==1.0.*');
    expect(Specifier.parse('===Foo').toString()).toBe('===Foo');
  });

  it.each([
    ['1.0', 0],
    ['=>1.0', 0],
    ['>=', 2],
    ['>=1.0+local', 5],
    ['<1.0.*', 4],
    ['==1.0a1.*', 5],
    ['~=1', 2],
    ['>=1.0 abc', 5],
    ['===a b', 4],
  ])('rejects %j at %d', (text, position) => {
    try {
      Specifier.parse(text);
      throw new Error('expected a failure');
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidSpecifierError);
      expect((e as InvalidSpecifierError).position).toBe(position);
    }
  });
});

describe('SpecifierSet', () => {
  it('is the conjunction of its clauses, ignoring blanks', () => {
    const set = SpecifierSet.parse('>=1.0, !=1.3.*, ,<2');
    expect(set.specifiers).toHaveLength(3);
    expect(set.contains(v('1.2'))).toBe(true);
    expect(set.contains(v('1.3.1'))).toBe(false);
    expect(set.contains(v('2.0'))).toBe(false);
    expect(set.toString()).toBe('>=1.0,!=1.3.*,<2');
  });

  it('empty set admits everything final', () => {
    expect(SpecifierSet.parse('').contains(v('0.0.1'))).toBe(true);
    expect(SpecifierSet.parse('').contains(v('1a1'))).toBe(false);
  });

  it('filters pre-releases in only when nothing final matches (PEP 440)', () => {
    const all = ['1.0', '1.1a1', '2.0b1'].map(v);
    expect(SpecifierSet.parse('>=1.0').filter(all).map(String)).toEqual(['1.0']);
    expect(SpecifierSet.parse('>=1.1').filter(all).map(String)).toEqual(['2.0b1']);
    expect(SpecifierSet.parse('>=1.1').filter(all, { prereleases: false }).map(String)).toEqual([]);
    expect(SpecifierSet.parse('>=1.0a1').filter(all).map(String)).toEqual(['1.0', '1.1a1', '2.0b1']);
  });

  it('reports errors at positions in the whole input', () => {
    try {
      SpecifierSet.parse('>=1.0, <2.0+x');
      throw new Error('expected a failure');
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidSpecifierError);
      expect((e as InvalidSpecifierError).position).toBe(11);
    }
  });

  it('intersects', () => {
    const both = SpecifierSet.parse('>=1').intersect(SpecifierSet.parse('<2'));
    expect(both.toString()).toBe('>=1,<2');
  });
});

describe('fuzzing the specifier parser', () => {
  it('property: valid clauses parse and their text round-trips to the same matches', () => {
    fc.assert(
      fc.property(specifierTextArb, versionTextArb, (text, version) => {
        const spec = Specifier.parse(text);
        const again = Specifier.parse(spec.toString());
        const x = v(version);
        expect(again.contains(x, { prereleases: true })).toBe(spec.contains(x, { prereleases: true }));
      }),
      { numRuns: 5000 },
    );
  });

  it('property: any string parses or raises InvalidSpecifierError with a position inside it', () => {
    const mutated = fc
      .tuple(specifierTextArb, fc.nat(), fc.string({ maxLength: 3 }))
      .map(([s, at, insert]) => s.slice(0, at % (s.length + 1)) + insert + s.slice(at % (s.length + 1)));
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 30 }), mutated), (text) => {
        try {
          SpecifierSet.parse(text);
        } catch (e) {
          expect(e).toBeInstanceOf(InvalidSpecifierError);
          const pos = (e as InvalidSpecifierError).position;
          expect(pos).toBeGreaterThanOrEqual(0);
          expect(pos).toBeLessThanOrEqual(text.length);
        }
      }),
      { numRuns: 5000 },
    );
  });
});
