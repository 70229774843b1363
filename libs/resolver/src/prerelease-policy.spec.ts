import { SpecifierSet, Version } from '@venvfarm/pep440';
import { applyPrereleasePolicy, PrereleaseFacts, PrereleasePolicy } from './prerelease-policy';
import { VersionSet } from './version-set';

const versions = ['1.0', '2.0a1', '2.0', '3.0b1'].map((v) => Version.parse(v));
const n = versions.length;
const facts = (overrides: Partial<PrereleaseFacts> = {}): PrereleaseFacts => ({
  prereleases: VersionSet.fromPredicate(n, (i) => versions[i].isPrerelease),
  usable: VersionSet.full(n),
  hasFinal: true,
  explicitFirstParty: false,
  ...overrides,
});
const apply = (policy: PrereleasePolicy, spec: string, f: PrereleaseFacts = facts()): string[] => {
  const specifier = SpecifierSet.parse(spec);
  const raw = VersionSet.fromPredicate(n, (i) => specifier.contains(versions[i], { prereleases: true }));
  return [...applyPrereleasePolicy(policy, specifier, raw, f).indexes()].map((i) => versions[i].toString());
};

describe('applyPrereleasePolicy', () => {
  it.each<[PrereleasePolicy, string, Partial<PrereleaseFacts>, string[]]>([
    ['allow', '>=1', {}, ['1.0', '2.0a1', '2.0', '3.0b1']],
    ['disallow', '>=2.0a1', {}, ['2.0']],
    ['if-necessary', '>=1', {}, ['1.0', '2.0']],
    ['if-necessary', '>=2.0a1', {}, ['2.0a1', '2.0', '3.0b1']],
    ['if-necessary', '>2.0', {}, ['3.0b1']],
    ['if-necessary', '<3.0b2', {}, ['1.0', '2.0a1', '2.0', '3.0b1']],
    ['if-necessary', '>=2.0', { usable: VersionSet.of(n, [0, 1, 3]) }, ['2.0', '3.0b1']],
    ['if-necessary-or-explicit', '>2.0', {}, []],
    ['if-necessary-or-explicit', '>=2.0a1', {}, ['2.0']],
    ['if-necessary-or-explicit', '>=1', { explicitFirstParty: true }, ['1.0', '2.0a1', '2.0', '3.0b1']],
    ['if-necessary-or-explicit', '>=1', { hasFinal: false }, ['1.0', '2.0a1', '2.0', '3.0b1']],
  ])('%s %s %j', (policy, spec, overrides, expected) => {
    expect(apply(policy, spec, facts(overrides))).toEqual(expected);
  });
});
