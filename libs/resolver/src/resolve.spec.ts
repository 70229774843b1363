import { InvalidRequirementError, parseTarget } from '@venvfarm/pep508';
import { Version } from '@venvfarm/pep440';
import { InMemoryIndex, InMemoryProvider } from './in-memory-provider';
import type { CandidateList, MetadataUnavailable, Provider, ReleaseMetadata } from './provider';
import { resolve, ResolveOptions, UnsatisfiableError } from './resolve';

const py312 = parseTarget({ python: '3.12' });

async function pins(index: InMemoryIndex, requirements: string[], options: Partial<ResolveOptions> = {}): Promise<Record<string, string> | string> {
  try {
    const resolution = await resolve(requirements, new InMemoryProvider(index), { target: py312, ...options });
    return Object.fromEntries([...resolution.packages].map(([name, p]) => [name, p.version.toString()]));
  } catch (error) {
    if (error instanceof UnsatisfiableError) return `unsat: ${error.explanation}`;
    throw error;
  }
}

describe('resolve', () => {
  describe('basics', () => {
    it.each<[string, InMemoryIndex, string[], Record<string, string>]>([
      ['prefers the newest version', { a: { '1.0': {}, '2.0': {}, '1.5': {} } }, ['a'], { a: '2.0' }],
      [
        // pip's order: a direct requirement before one with fewer candidates that it pins.
        'decides direct requirements in the order given, keeping the first newest (as pip)',
        { app: { '1.0': {}, '2.0': {}, '3.0': { requires: ['lib==1.0'] } }, lib: { '1.0': {}, '2.0': {} } },
        ['app', 'lib'],
        { app: '3.0', lib: '1.0' },
      ],
      [
        'decides shallower packages first, then by name (as pip)',
        {
          root: { '1.0': { requires: ['zeta', 'alpha'] } },
          zeta: { '1.0': {}, '2.0': { requires: ['shared==1.0'] } },
          alpha: { '1.0': {}, '2.0': { requires: ['shared==2.0'] } },
          shared: { '1.0': {}, '2.0': {} },
        },
        ['root'],
        { root: '1.0', alpha: '2.0', shared: '2.0', zeta: '1.0' },
      ],
      ['normalizes names', { 'Foo_Bar': { '1.0': {} } }, ['foo.bar'], { 'foo-bar': '1.0' }],
      ['follows transitive requirements', { a: { '1.0': { requires: ['b>=2'] } }, b: { '1.0': {}, '2.0': {}, '3.0': { requires: ['c'] } } }, ['a'], { a: '1.0', b: '2.0' }],
      [
        'backtracks (solver.md "performing conflict resolution")',
        { foo: { '1.0.0': {}, '2.0.0': { requires: ['bar>=1,<2'] } }, bar: { '1.0.0': { requires: ['foo>=1,<2'] } } },
        ['foo>=1.0.0'],
        { foo: '1.0.0' },
      ],
      [
        'backtracks past a partial satisfier (solver.md)',
        {
          foo: { '1.0.0': {}, '1.1.0': { requires: ['left>=1,<2', 'right>=1,<2'] } },
          left: { '1.0.0': { requires: ['shared>=1.0.0'] } },
          right: { '1.0.0': { requires: ['shared<2.0.0'] } },
          shared: { '1.0.0': { requires: ['target>=1,<2'] }, '2.0.0': {} },
          target: { '1.0.0': {}, '2.0.0': {} },
        },
        ['foo>=1,<2', 'target>=2,<3'],
        { foo: '1.0.0', target: '2.0.0' },
      ],
      ['drops a requirement on the release itself', { a: { '1.0': { requires: ['a>=1'] } } }, ['a'], { a: '1.0' }],
      ['skips a release that requires another version of itself', { a: { '1.0': {}, '2.0': { requires: ['a<2'] } } }, ['a'], { a: '1.0' }],
    ])('%s', async (_name, index, requirements, expected) => {
      expect(await pins(index, requirements)).toEqual(expected);
    });
  });

  describe('markers', () => {
    const index: InMemoryIndex = {
      a: { '1.0': { requires: ['b; python_version < "3.10"', 'c; sys_platform == "linux"', 'd; os_name == "nt"'] } },
      b: { '1.0': {} },
      c: { '1.0': {} },
      d: { '1.0': {} },
      w: { '1.0': {} },
    };
    it.each<[string, string, string[], Record<string, string>]>([
      ['linux 3.12', 'linux', ['a', 'w; sys_platform == "win32"'], { a: '1.0', c: '1.0' }],
      ['windows 3.12', 'x86_64-windows', ['a', 'w; sys_platform == "win32"'], { a: '1.0', d: '1.0', w: '1.0' }],
    ])('evaluates markers for %s', async (_name, platform, requirements, expected) => {
      expect(await pins(index, requirements, { target: parseTarget({ python: '3.12', platform }) })).toEqual(expected);
    });
    it('evaluates markers against the target Python', async () => {
      expect(await pins(index, ['a'], { target: parseTarget({ python: '3.9' }) })).toEqual({ a: '1.0', b: '1.0', c: '1.0' });
    });
  });

  describe('extras', () => {
    const index: InMemoryIndex = {
      a: {
        '1.0': { extras: { x: ['b'], y: ['c; sys_platform == "win32"', 'd; sys_platform == "linux"'], all: ['a[x]', 'a[y]'] } },
        '2.0': { extras: { y: ['c'] } },
      },
      b: { '1.0': {} },
      c: { '1.0': {} },
      d: { '1.0': {} },
    };
    it.each<[string, string[], Record<string, string>]>([
      ['no extra, no extra requirements', ['a'], { a: '2.0' }],
      ['an extra pulls its requirements', ['a[y]'], { a: '2.0', c: '1.0' }],
      ['extra markers are evaluated with the extra', ['a[y]<2'], { a: '1.0', d: '1.0' }],
      ['an extra naming other extras of its project', ['a[all]<2'], { a: '1.0', b: '1.0', d: '1.0' }],
      ['a missing extra is ignored, without backtracking to a release that has it', ['a[x]'], { a: '2.0' }],
    ])('%s', async (_name, requirements, expected) => {
      expect(await pins(index, requirements)).toEqual(expected);
    });

    it('reports activated extras and warns about missing ones', async () => {
      const resolution = await resolve(['a[x,z]<2'], new InMemoryProvider(index), { target: py312 });
      expect(resolution.packages.get('a')?.extras).toEqual(['x', 'z']);
      expect(resolution.warnings).toEqual(["a==1.0 does not provide the extra 'z'"]);
    });
  });

  describe('constraints', () => {
    const index: InMemoryIndex = { a: { '1.0': { requires: ['b'] }, '2.0': { requires: ['b'] } }, b: { '1.0': {}, '2.0': {} }, c: { '1.0': {} } };
    it.each<[string, string[], Record<string, string>]>([
      ['limit a required project', ['b<2'], { a: '2.0', b: '1.0' }],
      ['limit the root requirement', ['a<2'], { a: '1.0', b: '2.0' }],
      ['add nothing by themselves', ['c==1.0'], { a: '2.0', b: '2.0' }],
      ['apply only when their marker holds', ['b<2; sys_platform == "win32"'], { a: '2.0', b: '2.0' }],
    ])('%s', async (_name, constraints, expected) => {
      expect(await pins(index, ['a'], { constraints })).toEqual(expected);
    });

    it('show up in the explanation', async () => {
      expect(await pins(index, ['a>=2'], { constraints: ['a<2'] })).toBe(
        'unsat: Because you require a>=2,<2 and there is no version of a>=2,<2, we can conclude that your requirements are unsatisfiable.',
      );
    });
  });

  describe('pre-releases', () => {
    const index: InMemoryIndex = {
      a: { '1.0': {}, '2.0b1': {} },
      onlypre: { '1.0a1': {}, '2.0a1': {} },
      t: { '1.0': { requires: ['a>=2.0b1'] } },
    };
    it.each<[string, string[], string, Record<string, string> | 'unsat']>([
      ['final preferred', ['a'], 'if-necessary', { a: '1.0' }],
      ['explicit pre-release', ['a>=2.0b1'], 'if-necessary', { a: '2.0b1' }],
      ['explicit with <', ['a<2.0b2,>1.0'], 'if-necessary', { a: '2.0b1' }],
      ['no final in range (PEP 440 literal)', ['a>1.0'], 'if-necessary', { a: '2.0b1' }],
      ['no final in range (uv)', ['a>1.0'], 'if-necessary-or-explicit', 'unsat'],
      ['only pre-releases (PEP 440 literal)', ['onlypre'], 'if-necessary', { onlypre: '2.0a1' }],
      ['only pre-releases (uv)', ['onlypre'], 'if-necessary-or-explicit', { onlypre: '2.0a1' }],
      ['explicit in a dependency (pip)', ['t'], 'if-necessary', { t: '1.0', a: '2.0b1' }],
      ['explicit in a dependency (uv)', ['t'], 'if-necessary-or-explicit', 'unsat'],
      ['explicit first-party (uv) opens every requirement', ['t', 'a>=0.1a1'], 'if-necessary-or-explicit', { t: '1.0', a: '2.0b1' }],
      ['allow', ['a'], 'allow', { a: '2.0b1' }],
      ['disallow', ['a>=2.0b1'], 'disallow', 'unsat'],
      ['disallow with only pre-releases', ['onlypre'], 'disallow', 'unsat'],
    ])('%s', async (_name, requirements, policy, expected) => {
      const got = await pins(index, requirements, { prereleases: policy as ResolveOptions['prereleases'] });
      if (expected === 'unsat') expect(got).toMatch(/^unsat: /);
      else expect(got).toEqual(expected);
    });
  });

  describe('yanked releases', () => {
    const index: InMemoryIndex = {
      a: { '1.0': {}, '2.0': { yanked: 'broken' } },
      only: { '1.0': { yanked: true } },
      t: { '1.0': { requires: ['a==2.0'] } },
    };
    it.each<[string, string[], string[], Record<string, string> | 'unsat']>([
      ['skipped when not pinned', ['a'], [], { a: '1.0' }],
      ['used when pinned exactly', ['a==2.0'], [], { a: '2.0' }],
      ['used when pinned by ===', ['a===2.0'], [], { a: '2.0' }],
      ['not used for a wildcard pin', ['a==2.*'], [], 'unsat'],
      ['used when a constraint pins it', ['a'], ['a==2.0'], { a: '2.0' }],
      ['not used for a transitive pin', ['t'], [], 'unsat'],
      ['not used even when it is the only release', ['only'], [], 'unsat'],
    ])('%s', async (_name, requirements, constraints, expected) => {
      const got = await pins(index, requirements, { constraints });
      if (expected === 'unsat') expect(got).toMatch(/^unsat: /);
      else expect(got).toEqual(expected);
    });
  });

  describe('Requires-Python and files', () => {
    const wheel = (tag: string) => ({ wheels: [`a-1.0-${tag}.whl`], sdist: false });
    const index: InMemoryIndex = {
      a: {
        '1.0': {},
        '2.0': { requiresPython: '>=3.13' },
        '1.5': { requiresPython: '<3.12' },
      },
      w: {
        '1.0': { files: { wheels: ['w-1.0-py3-none-any.whl'], sdist: true } },
        '2.0': { files: { wheels: ['w-2.0-py3-none-any.whl'], sdist: false } },
        '3.0': { files: { wheels: [], sdist: true } },
        '4.0': { files: wheel('cp312-cp312-win_amd64') },
        '5.0': { files: { wheels: [], sdist: false } },
      },
    };
    it.each<[string, string[], Partial<ResolveOptions>, Record<string, string> | 'unsat']>([
      ['Requires-Python, lower and upper bounds', ['a'], {}, { a: '1.0' }],
      ['Requires-Python against the target', ['a'], { target: parseTarget({ python: '3.13' }) }, { a: '2.0' }],
      ['a source distribution will do', ['w'], {}, { w: '3.0' }],
      ['a wheel for the platform', ['w'], { target: parseTarget({ python: '3.12', platform: 'x86_64-windows' }) }, { w: '4.0' }],
      ['no-build for every project', ['w'], { noBuild: true }, { w: '2.0' }],
      ['no-build for listed projects', ['w'], { noBuild: ['W'] }, { w: '2.0' }],
      ['no-binary', ['w'], { noBinary: ['w'] }, { w: '3.0' }],
      ['no-binary and no-build', ['w'], { noBinary: true, noBuild: true }, 'unsat'],
      ['a wheel for another Python', ['w==4.0'], { target: parseTarget({ python: '3.11', platform: 'x86_64-windows' }) }, 'unsat'],
    ])('%s', async (_name, requirements, options, expected) => {
      const got = await pins(index, requirements, options);
      if (expected === 'unsat') expect(got).toMatch(/^unsat: /);
      else expect(got).toEqual(expected);
    });
  });

  describe('unusable metadata', () => {
    it.each<[string, InMemoryIndex]>([
      ['metadata unavailable', { a: { '1.0': {}, '2.0': { metadataUnavailable: 'no METADATA in the wheel' } } }],
      ['an unparsable requirement', { a: { '1.0': {}, '2.0': { requires: ['b >>= 1'] } }, b: { '1.0': {} } }],
      ['a direct URL requirement', { a: { '1.0': {}, '2.0': { requires: ['b @ https://example.com/b-1.0.tar.gz'] } } }],
    ])('falls back to an older release: %s', async (_name, index) => {
      expect(await pins(index, ['a'])).toEqual({ a: '1.0' });
    });
  });

  it('throws on an invalid requirement of the user', async () => {
    await expect(resolve(['a >>= 1'], new InMemoryProvider({}), { target: py312 })).rejects.toBeInstanceOf(InvalidRequirementError);
  });

  it('works with a provider that answers with promises, asking once per project and release', async () => {
    const memory = new InMemoryProvider({
      a: { '1.0': { requires: ['b', 'c'] }, '2.0': { requires: ['b', 'c>=2'] } },
      b: { '1.0': { requires: ['c'] } },
      c: { '1.0': {} },
    });
    const asked: string[] = [];
    const provider: Provider = {
      listCandidates: async (name): Promise<CandidateList> => {
        asked.push(`list ${name}`);
        await new Promise((r) => setTimeout(r, 1));
        return memory.listCandidates(name);
      },
      getMetadata: async (name: string, version: Version): Promise<ReleaseMetadata | MetadataUnavailable> => {
        asked.push(`metadata ${name} ${version.toString()}`);
        return memory.getMetadata(name, version);
      },
    };
    const resolution = await resolve(['a'], provider, { target: py312 });
    expect([...resolution.packages.keys()].sort()).toEqual(['a', 'b', 'c']);
    expect(resolution.packages.get('a')?.version.toString()).toBe('1.0');
    expect(new Set(asked).size).toBe(asked.length);
  });

  it('propagates provider failures', async () => {
    const provider: Provider = {
      listCandidates: () => Promise.reject(new Error('index down')),
      getMetadata: () => ({ requiresDist: [] }),
    };
    await expect(resolve(['a'], provider, { target: py312 })).rejects.toThrow('index down');
  });
});
