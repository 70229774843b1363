import { Version } from '@venvfarm/pep440';
import { guardWithExtra, InMemoryProvider } from './in-memory-provider';

describe('guardWithExtra', () => {
  it.each([
    ['b', 'x', 'b; extra == "x"'],
    ['b>=1; python_version < "3.12"', 'x', 'b>=1; (python_version < "3.12") and extra == "x"'],
    ['b ; os_name == "nt" or sys_platform == "linux"', 'y', 'b; (os_name == "nt" or sys_platform == "linux") and extra == "y"'],
  ])('%s for %s', (requirement, extra, expected) => {
    expect(guardWithExtra(requirement, extra)).toBe(expected);
  });
});

describe('InMemoryProvider', () => {
  const provider = new InMemoryProvider({
    My_Pkg: { '1.0': { requires: ['b'], extras: { fast: ['c'] }, yanked: 'bad', requiresPython: '>=3.8' }, '1.0.0.post1': {} },
  });

  it('lists normalized projects with their facts', () => {
    const list = provider.listCandidates('my-pkg');
    expect(list?.map((c) => [c.version.toString(), c.yanked, c.requiresPython?.toString() ?? null])).toEqual([
      ['1.0', 'bad', '>=3.8'],
      ['1.0.0.post1', false, null],
    ]);
    expect(provider.listCandidates('nope')).toBeNull();
  });

  it('serves metadata with extras as guarded Requires-Dist', () => {
    expect(provider.getMetadata('my.pkg', Version.parse('1.0'))).toEqual({
      requiresDist: ['b', 'c; extra == "fast"'],
      providesExtra: ['fast'],
    });
    expect(provider.getMetadata('my-pkg', Version.parse('9'))).toEqual({ unavailable: 'my-pkg==9 is not in the index' });
    expect(provider.calls).toEqual({ listCandidates: 2, getMetadata: 2 });
  });
});
