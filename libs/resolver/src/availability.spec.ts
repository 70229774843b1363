import { SpecifierSet, Version } from '@venvfarm/pep440';
import { parseTarget } from '@venvfarm/pep508';
import { TagPriority } from '@venvfarm/wheel';
import { AvailabilityContext, unavailableGroups, unavailableReason } from './availability';
import type { Candidate } from './provider';

const target = parseTarget({ python: '3.11', platform: 'x86_64-manylinux_2_28' });
const context = (overrides: Partial<AvailabilityContext> = {}): AvailabilityContext => ({
  target,
  tagPriority: new TagPriority(target),
  noBinary: false,
  noBuild: false,
  pinned: new Map(),
  ...overrides,
});
const candidate = (version: string, rest: Partial<Candidate> = {}): Candidate => ({ version: Version.parse(version), ...rest });
const files = (wheels: string[], sdist: boolean) => ({ files: { wheels, sdist } });

describe('unavailableReason', () => {
  it.each<[string, Candidate, Partial<AvailabilityContext>, unknown]>([
    ['no facts: usable', candidate('1.0'), {}, null],
    ['Requires-Python met', candidate('1.0', { requiresPython: SpecifierSet.parse('>=3.8,<4') }), {}, null],
    ['Requires-Python lower bound', candidate('1.0', { requiresPython: SpecifierSet.parse('>=3.12') }), {}, { kind: 'requires-python', specifier: '>=3.12', python: '3.11' }],
    ['Requires-Python upper bound', candidate('1.0', { requiresPython: SpecifierSet.parse('<3.11') }), {}, { kind: 'requires-python', specifier: '<3.11', python: '3.11' }],
    ['a compatible wheel', candidate('1.0', files(['a-1.0-cp311-cp311-manylinux_2_17_x86_64.whl'], false)), {}, null],
    ['an incompatible wheel, no sdist', candidate('1.0', files(['a-1.0-cp312-cp312-manylinux_2_17_x86_64.whl'], false)), {}, { kind: 'files', problem: { wheels: 'incompatible', sdist: 'none', target: target.name } }],
    ['an unreadable wheel name', candidate('1.0', files(['not-a-wheel.whl'], false)), {}, { kind: 'files', problem: { wheels: 'incompatible', sdist: 'none', target: target.name } }],
    ['an incompatible wheel and an sdist', candidate('1.0', files(['a-1.0-cp312-cp312-win_amd64.whl'], true)), {}, null],
    ['only an sdist, no-build', candidate('1.0', files([], true)), { noBuild: true }, { kind: 'files', problem: { wheels: 'none', sdist: 'forbidden', target: target.name } }],
    ['only wheels, no-binary', candidate('1.0', files(['a-1.0-py3-none-any.whl'], false)), { noBinary: new Set(['a']) }, { kind: 'files', problem: { wheels: 'forbidden', sdist: 'none', target: target.name } }],
    ['no-binary for another project', candidate('1.0', files(['a-1.0-py3-none-any.whl'], false)), { noBinary: new Set(['b']) }, null],
    ['no files', candidate('1.0', files([], false)), {}, { kind: 'files', problem: { wheels: 'none', sdist: 'none', target: target.name } }],
    ['yanked', candidate('1.0', { yanked: true }), {}, { kind: 'yanked', reason: null }],
    ['yanked with a reason', candidate('1.0', { yanked: 'CVE' }), {}, { kind: 'yanked', reason: 'CVE' }],
    ['yanked and pinned', candidate('1.0', { yanked: true }), { pinned: new Map([['a', [Version.parse('1.0.0')]]]) }, null],
    ['yanked, another version pinned', candidate('1.0', { yanked: true }), { pinned: new Map([['a', [Version.parse('1.0+local')]]]) }, { kind: 'yanked', reason: null }],
    ['Requires-Python is reported before yanks', candidate('1.0', { yanked: true, requiresPython: SpecifierSet.parse('>=4') }), {}, { kind: 'requires-python', specifier: '>=4', python: '3.11' }],
  ])('%s', (_name, c, overrides, expected) => {
    expect(unavailableReason('a', c, context(overrides))).toEqual(expected);
  });
});

describe('unavailableGroups', () => {
  it('groups releases by reason', () => {
    const candidates = [
      candidate('1.0'),
      candidate('2.0', { requiresPython: SpecifierSet.parse('>=3.12') }),
      candidate('2.1', { requiresPython: SpecifierSet.parse('>=3.12') }),
      candidate('3.0', { requiresPython: SpecifierSet.parse('>=3.13') }),
      candidate('3.1', { yanked: true }),
    ];
    const groups = unavailableGroups('a', candidates, context());
    expect(groups.map((g) => [g.reason.kind, [...g.set.indexes()]])).toEqual([
      ['requires-python', [1, 2]],
      ['requires-python', [3]],
      ['yanked', [4]],
    ]);
  });
});
