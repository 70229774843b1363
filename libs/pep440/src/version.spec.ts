import fc from 'fast-check';
import oracle from '../fixtures/packaging-oracle.json';
import { versionTextArb } from './arbitraries';
import { InvalidVersionError } from './errors';
import { compareVersions, Version } from './version';
import { compareKeys } from './version-key';

const sign = (n: number) => (n < 0 ? -1 : n > 0 ? 1 : 0);

describe('Version.parse', () => {
  it.each(Object.entries(oracle.normalized))('normalizes %j as packaging does', (input, expected) => {
    if (expected === null) {
      expect(() => Version.parse(input)).toThrow(InvalidVersionError);
      expect(Version.tryParse(input)).toBeNull();
    } else {
      expect(Version.parse(input).toString()).toBe(expected);
    }
  });

  it.each([
    ['1.0+', 3],
    ['1..0', 1],
    ['a1.0', 0],
    ['1.0 abc', 3],
    ['', 0],
    ['   ', 3],
    ['1.0-', 3],
  ])('reports where %j goes wrong', (input, position) => {
    try {
      Version.parse(input);
      throw new Error('expected a failure');
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidVersionError);
      const err = e as InvalidVersionError;
      expect(err.input).toBe(input);
      expect(err.position).toBe(position);
      expect(err.message).toContain('^');
    }
  });

  it('exposes components, normalized', () => {
    const v = Version.parse('1!2.0.3-RC.4.post5.dev6+Ubuntu-7');
    expect(v.epoch).toBe(1);
    expect(v.release).toEqual([2, 0, 3]);
    expect(v.pre).toEqual({ kind: 'rc', number: 4 });
    expect(v.post).toBe(5);
    expect(v.dev).toBe(6);
    expect(v.local).toEqual(['ubuntu', 7]);
    expect(v.isPrerelease && v.isPostrelease && v.isDevrelease).toBe(true);
    expect(v.public.toString()).toBe('1!2.0.3rc4.post5.dev6');
    expect(v.baseVersion.toString()).toBe('1!2.0.3');
  });

  it('keeps numbers beyond 2^53 exact', () => {
    const a = Version.parse('1.90071992547409930');
    const b = Version.parse('1.90071992547409931');
    expect(a.toString()).toBe('1.90071992547409930');
    expect(compareVersions(a, b)).toBe(-1);
    expect(compareKeys(a.key(), b.key())).toBeLessThan(0);
  });
});

describe('ordering', () => {
  it('sorts the oracle versions exactly as packaging does', () => {
    const parsed = oracle.versions.map((v) => Version.parse(v));
    for (let i = 1; i < parsed.length; i++) {
      expect(compareVersions(parsed[i - 1], parsed[i])).toBeLessThanOrEqual(0);
      expect(compareKeys(parsed[i - 1].key(), parsed[i].key())).toBeLessThanOrEqual(0);
    }
  });

  it.each([
    ['1.0.dev0', '1.0a0'],
    ['1.0a0', '1.0a1.dev0'],
    ['1.0rc1', '1.0'],
    ['1.0', '1.0+local'],
    ['1.0+abc', '1.0+1'],
    ['1.0+abc', '1.0+abc.1'],
    ['1.0', '1.0.post0.dev0'],
    ['1.0.post1.dev1', '1.0.post1'],
    ['1.0.post1', '1.0.1'],
    ['9.9', '1!0.1'],
  ])('%s < %s', (a, b) => {
    expect(compareVersions(Version.parse(a), Version.parse(b))).toBe(-1);
    expect(compareKeys(Version.parse(a).key(), Version.parse(b).key())).toBeLessThan(0);
  });

  it('treats trailing zeros as equal and gives equal keys', () => {
    const a = Version.parse('1.0');
    const b = Version.parse('1.0.0.0');
    expect(a.equals(b)).toBe(true);
    expect(compareKeys(a.key(), b.key())).toBe(0);
  });

  it('property: key byte order equals the comparator on generated versions', () => {
    fc.assert(
      fc.property(versionTextArb, versionTextArb, (x, y) => {
        const a = Version.parse(x);
        const b = Version.parse(y);
        expect(sign(compareKeys(a.key(), b.key()))).toBe(compareVersions(a, b));
      }),
      { numRuns: 10000 },
    );
  });

  it('property: normalized text parses back to an equal version with the same text', () => {
    fc.assert(
      fc.property(versionTextArb, (x) => {
        const v = Version.parse(x);
        const again = Version.parse(v.toString());
        expect(again.toString()).toBe(v.toString());
        expect(compareVersions(again, v)).toBe(0);
      }),
      { numRuns: 5000 },
    );
  });
});

describe('fuzzing the version parser', () => {
  const mutated = fc
    .tuple(versionTextArb, fc.nat(), fc.string({ maxLength: 3 }))
    .map(([v, at, insert]) => v.slice(0, at % (v.length + 1)) + insert + v.slice(at % (v.length + 1)));

  it('property: any string parses or raises InvalidVersionError with a position inside it', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 40 }), mutated, fc.string({ unit: 'binary', maxLength: 20 })), (text) => {
        try {
          Version.parse(text);
        } catch (e) {
          expect(e).toBeInstanceOf(InvalidVersionError);
          const err = e as InvalidVersionError;
          expect(err.position).toBeGreaterThanOrEqual(0);
          expect(err.position).toBeLessThanOrEqual(text.length);
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('rejects long adversarial input with the typed error', () => {
    // A regex blow-up would hang here until Jest's timeout; how fast parsing is belongs to bench:core.
    const hostile = ['1' + '.1'.repeat(50000) + 'x', '1.0' + '-'.repeat(100000), '1.0+' + 'a.'.repeat(50000) + '!'];
    for (const text of hostile) expect(() => Version.parse(text)).toThrow(InvalidVersionError);
  });
});
