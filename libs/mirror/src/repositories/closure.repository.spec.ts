import { SpecifierSet, Version } from '@venvfarm/pep440';
import { parseProjectName, parseTarget } from '@venvfarm/pep508';
import { createTestDatabase } from '@venvfarm/db/testing';
import { candidateClosure, InvalidClosureOptionError, refreshRequiresPythonRanges, type CandidateClosure } from './closure.repository';
import { loadFixture, spec, type Fixture } from '../testing';

const target = parseTarget({ python: '3.11', platform: 'x86_64-manylinux_2_28' });

/** Versions of one project whose PEP 440 edge cases (pre, post, dev, local, epoch, padding) the ranges must get right. */
const EDGE_VERSIONS = ['1.0', '1.0.post1', '1.1', '2.0.dev1', '2.0a1', '2.0rc1', '2.0', '2.0+local.1', '2.0.0+abc', '2.0.1', '2.1.dev1', '3.0', '1!0.5'];

const fixture: Fixture = {
  edge: Object.fromEntries(EDGE_VERSIONS.map((v) => [v, {}])),
  python: {
    '1.0': { requiresPython: '>=3.12' },
    '0.9': { requiresPython: '>=3.7' },
    '0.8': { requiresPython: '<3' },
    '0.7': { requiresPython: 'not a specifier' },
    '0.6': { requiresPython: '>=3.8', files: ['python-0.6.tar.gz', { filename: 'python-0.6-py3-none-any.whl', requiresPython: '>=3.12' }] },
  },
  tags: {
    '1.0': { files: ['tags-1.0-cp39-cp39-manylinux_2_17_x86_64.whl'] },
    '0.9': { files: ['tags-0.9-cp311-cp311-win_amd64.whl', 'tags-0.9-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl', 'tags-0.9.tar.gz', 'tags-0.9-py3-none-any.whl'] },
    '0.8': { files: ['tags-0.8.tar.gz'] },
    '0.7': { files: ['tags-0.7-cp311-cp311-macosx_11_0_arm64.whl'] },
    '0.6': { files: ['tags-0.6-cp311-cp311-manylinux_2_34_x86_64.whl'] },
  },
  many: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`${i + 1}.0`, {}])),
  old: { '1.0': { deps: ['many<10'] } },
  cycle: { '1.0': { deps: ['loop>=1', 'cycle'] } },
  loop: { '1.0': { deps: ['cycle==1.0'] } },
  junk: {
    '1.0': { deps: ['#objectpath>=0.5', 'bad (>= >= 1)', 'leaf>=1'] },
    'not-a-version': { deps: ['leaf'], files: ['junk-not-a-version.tar.gz'] },
  },
  leaf: { '1.0': {}, '2.0': { yanked: 'broken' } },
  extras: {
    '1.0': {
      extras: ['test', 'docs'],
      deps: ['base', 'tester; extra == "test"', 'doc-tool>=1; extra == \'docs\' and python_version >= "3.8"', 'either; python_version < "3" or extra == "nope"', 'ghost-dep>=2'],
    },
  },
  base: { '1.0': { deps: ['extras2[fast]>=1'] } },
  extras2: { '1.0': { extras: ['fast', 'slow'], deps: ['speedy; extra == "fast"', 'sloth; extra == "slow"'] } },
  tester: { '1.0': {} },
  'doc-tool': { '1.0': {} },
  either: { '1.0': {} },
  speedy: { '1.0': {} },
  sloth: { '1.0': {} },
};

const versionsOf = (closure: CandidateClosure, project: string): string[] => (closure.projects.get(project) ?? []).map((r) => r.version);

describe('candidateClosure', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;

  beforeAll(async () => {
    db = await createTestDatabase();
    await loadFixture(db.pool, fixture);
  });
  afterAll(() => db.drop());

  const closure = (roots: { name: string; specifier?: string; extras?: string[] }[], window?: number) =>
    candidateClosure(
      db.pool,
      roots.map((r) => ({ name: parseProjectName(r.name), specifier: spec(r.specifier ?? ''), extras: r.extras })),
      target,
      { window },
    );

  describe('keeps exactly the versions the key ranges admit', () => {
    it.each(['', '>=1.1,<2.0', '==2.0', '==2.0+local.1', '<=2.0', '>2.0', '>=2.0', '<2.0', '<2.0rc1', '~=2.0', '!=2.0', '==2.*', '!=2.0.*', '>=2.1.dev0', '>1.0', '===2.0', '==1!0.5'])(
      'edge%s',
      async (text) => {
        const result = await closure([{ name: 'edge', specifier: text }]);
        // The oracle: the raw PEP 440 match (pre-release policy is the solver's), newest first.
        const set = SpecifierSet.parse(text);
        const expected = EDGE_VERSIONS.map((v) => Version.parse(v))
          .filter((v) => set.contains(v, { prereleases: true }))
          .sort((a, b) => b.compare(a))
          .map((v) => v.toString());
        expect(versionsOf(result, 'edge').map((v) => Version.parse(v).toString())).toEqual(expected);
      },
    );
  });

  it('admits every Requires-Python until texts are parsed, then drops releases with no file for the target Python', async () => {
    expect(versionsOf(await closure([{ name: 'python' }]), 'python')).toEqual(['1.0', '0.9', '0.8', '0.7', '0.6']);
    expect(await refreshRequiresPythonRanges(db.pool)).toBe(5);
    expect(await refreshRequiresPythonRanges(db.pool)).toBe(0);
    const result = await closure([{ name: 'python' }]);
    // 0.7's text does not parse: kept, the exact check is the resolver's.
    expect(versionsOf(result, 'python')).toEqual(['0.9', '0.7', '0.6']);
    expect(result.projects.get('python')![2].files.map((f) => f.filename)).toEqual(['python-0.6.tar.gz']);
  });

  it('keeps releases with a wheel for the target or an sdist, and returns only those files, best first', async () => {
    const result = await closure([{ name: 'tags' }]);
    expect(versionsOf(result, 'tags')).toEqual(['0.9', '0.8']);
    expect(result.projects.get('tags')![0].files.map((f) => f.filename)).toEqual([
      'tags-0.9-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl',
      'tags-0.9-py3-none-any.whl',
      'tags-0.9.tar.gz',
    ]);
    const [wheel, , sdist] = result.projects.get('tags')![0].files;
    expect(wheel).toMatchObject({ kind: 'wheel', url: expect.stringContaining('https://'), sha256: expect.stringMatching(/^[0-9a-f]{64}$/), yanked: false });
    expect(sdist).toMatchObject({ kind: 'sdist', tags: null });
  });

  it('bounds each reach to the newest N candidates within its ranges', async () => {
    expect(versionsOf(await closure([{ name: 'many' }], 5), 'many')).toEqual(['50.0', '49.0', '48.0', '47.0', '46.0']);
    // A second reach with other ranges adds its own newest N: old needs many<10.
    const both = await closure([{ name: 'many' }, { name: 'old' }], 3);
    expect(versionsOf(both, 'many')).toEqual(['50.0', '49.0', '48.0', '9.0', '8.0', '7.0']);
    await expect(closure([{ name: 'many' }], 0)).rejects.toBeInstanceOf(InvalidClosureOptionError);
  });

  it('terminates on cycles and returns each release once', async () => {
    const result = await closure([{ name: 'cycle' }]);
    expect(versionsOf(result, 'cycle')).toEqual(['1.0']);
    expect(versionsOf(result, 'loop')).toEqual(['1.0']);
    expect(result.projects.get('cycle')![0].metadata!.requirements.map((r) => r.text)).toEqual(['loop>=1', 'cycle']);
  });

  it('does not follow invalid requirements, returns them apart, and ignores invalid versions', async () => {
    const result = await closure([{ name: 'junk' }]);
    expect(versionsOf(result, 'junk')).toEqual(['1.0']);
    expect(result.projects.get('junk')![0].metadata!.requirements.map((r) => r.text)).toEqual(['leaf>=1']);
    expect(result.projects.get('junk')![0].metadata!.invalidRequirements).toEqual(['#objectpath>=0.5', 'bad (>= >= 1)']);
    expect(versionsOf(result, 'leaf')).toEqual(['2.0', '1.0']);
    expect(result.projects.get('leaf')![0].yanked).toBe('broken');
    expect(result.missing).toEqual([]);
  });

  it('follows extra-only requirements only for requested extras, and reports names the mirror lacks', async () => {
    const plain = await closure([{ name: 'extras' }]);
    expect([...plain.projects.keys()].sort()).toEqual(['base', 'either', 'extras', 'extras2', 'speedy']);
    expect(plain.missing).toEqual(['ghost-dep']);
    // Every edge is still returned for the solver, markers and all.
    expect(plain.projects.get('extras')![0].metadata).toMatchObject({ providesExtras: ['test', 'docs'] });
    expect(plain.projects.get('extras')![0].metadata!.requirements.map((r) => r.name)).toEqual(['base', 'tester', 'doc-tool', 'either', 'ghost-dep']);

    const withExtras = await closure([{ name: 'extras', extras: ['Test', 'docs'] }]);
    expect([...withExtras.projects.keys()].sort()).toEqual(['base', 'doc-tool', 'either', 'extras', 'extras2', 'speedy', 'tester']);
  });

  it('returns nothing for a project the mirror lacks, or an unsatisfiable specifier', async () => {
    const result = await closure([{ name: 'Not_There' }, { name: 'leaf', specifier: '>3,<2' }]);
    expect(result.projects.size).toBe(0);
    expect(result.missing).toEqual(['not-there']);
  });
});
