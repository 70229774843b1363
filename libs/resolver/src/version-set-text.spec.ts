import { Version } from '@venvfarm/pep440';
import { VersionSet } from './version-set';
import { describeVersionSet } from './version-set-text';

const versions = ['1.0', '1.1', '1.2', '2.0', '2.1', '3.0'].map((v) => Version.parse(v));
const set = (...indexes: number[]) => VersionSet.of(versions.length, indexes);

describe('describeVersionSet', () => {
  it.each<[string, VersionSet, string]>([
    ['a label wins', set(3, 4, 5).withLabel('>=2'), 'a>=2'],
    ['an empty label is the bare name', VersionSet.full(6).withLabel(''), 'a'],
    ['every version', VersionSet.full(6), 'a'],
    ['one version', set(2), 'a==1.2'],
    ['a prefix', set(0, 1, 2), 'a<2.0'],
    ['a suffix', set(3, 4, 5), 'a>=2.0'],
    ['a middle run', set(1, 2, 3), 'a>=1.1,<2.1'],
    ['all but one', set(0, 1, 3, 4, 5), 'a!=1.2'],
    ['all but a few', set(0, 2, 4), 'a!=1.1,!=2.0,!=3.0'],
    ['several runs', set(0, 1, 4), 'a<1.2 | ==2.1'],
    ['nothing', set(), 'a (no version)'],
  ])('%s', (_name, s, text) => {
    expect(describeVersionSet('a', versions, s)).toBe(text);
  });

  it('names the single release of a project', () => {
    expect(describeVersionSet('b', [Version.parse('1.0.0')], VersionSet.full(1))).toBe('b==1.0.0');
  });
});
