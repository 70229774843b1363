import { parseRequirement, parseTarget } from '@venvfarm/pep508';
import { InMemoryIndex, InMemoryProvider, resolve, SolveTimeoutError, UnsatisfiableError } from '@venvfarm/resolver';
import fc from 'fast-check';
import { refreshRequiresPythonRanges } from '@venvfarm/mirror';
import { Fixture, loadFixture } from '@venvfarm/mirror/testing';
import { createTestDatabase } from '@venvfarm/db/testing';
import { ProjectNotFoundError, resolveOnMirror, ROOT_LABEL } from './resolve-on-mirror';

const target = parseTarget({ python: '3.11', platform: 'x86_64-manylinux_2_28' });
const reqs = (...texts: string[]) => texts.map((t) => parseRequirement(t));

type Db = Awaited<ReturnType<typeof createTestDatabase>>;

async function reload(db: Db, fixture: Fixture): Promise<void> {
  await db.pool.query('TRUNCATE files, releases, metadata, requirements, projects RESTART IDENTITY CASCADE');
  await loadFixture(db.pool, fixture);
  await refreshRequiresPythonRanges(db.pool);
}

/** The same fixture as an in-memory index (files: the fixture's default py3 wheel). */
function inMemory(fixture: Fixture): InMemoryIndex {
  return Object.fromEntries(
    Object.entries(fixture).map(([name, releases]) => [
      name,
      Object.fromEntries(Object.entries(releases).map(([v, r]) => [v, { requires: r.deps ?? [], requiresPython: r.requiresPython ?? null, yanked: r.yanked ?? false }])),
    ]),
  );
}

describe('resolveOnMirror', () => {
  let db: Db;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('pins the newest compatible set with files, edges for the target, and the serials it touched', async () => {
    await reload(db, {
      web: { '1.0': { deps: ['http>=1'] }, '2.0': { deps: ['http>=2', 'win-only; sys_platform == "win32"', 'extra-dep; extra == "x"'], extras: ['x'] } },
      http: { '1.0': {}, '2.0': {}, '3.0': { requiresPython: '>=3.12' } },
      'win-only': { '1.0': {} },
      'extra-dep': { '1.0': {} },
      app: { '1.0': { deps: ['web[x]'] } },
    });
    const result = await resolveOnMirror(db.pool, { requirements: reqs('app', 'http'), target });
    expect(result.pins.map((p) => `${p.name}==${p.version}`)).toEqual(['app==1.0', 'extra-dep==1.0', 'http==2.0', 'web==2.0']);
    const web = result.pins.find((p) => p.name === 'web')!;
    expect(web).toMatchObject({ extras: ['x'], dependencies: ['extra-dep', 'http'], requiredBy: ['app'] });
    expect(web.files).toEqual([{ filename: 'web-2.0-py3-none-any.whl', kind: 'wheel', sha256: expect.stringMatching(/^[0-9a-f]{64}$/), url: 'https://files.example/web-2.0-py3-none-any.whl', yanked: false }]);
    expect(result.pins.find((p) => p.name === 'http')!.requiredBy).toEqual([ROOT_LABEL, 'web']);
    // Touched is what was listed: the closure does not evaluate markers, so win-only counts too.
    expect([...result.touched.keys()].sort()).toEqual(['app', 'extra-dep', 'http', 'web', 'win-only']);
    expect(result.stats.closureRows).toBeGreaterThan(0);
  });

  it('fetches metadata outside the prefetched window when backtracking needs it', async () => {
    const fixture: Fixture = {
      deep: Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`${i + 1}.0`, { deps: i === 0 ? ['base>=1'] : ['base>=9'] }])),
      base: { '1.0': {}, '2.0': {} },
    };
    await reload(db, fixture);
    const result = await resolveOnMirror(db.pool, { requirements: reqs('deep'), target }, { window: 3 });
    expect(result.pins.map((p) => `${p.name}==${p.version}`)).toEqual(['base==2.0', 'deep==1.0']);
    expect(result.stats.metadataQueries).toBeGreaterThan(0);
    expect(result.stats.metadataQueries).toBeLessThan(10); // older neighbours come in batches
  });

  it('finds metadata and files of releases published with a non-normalized version', async () => {
    await reload(db, { odd: { 'v1.0': { deps: ['base>=1'] }, 'V2.0': { deps: ['base>=9'] } }, base: { '1.0': {} } });
    const result = await resolveOnMirror(db.pool, { requirements: reqs('odd'), target }, { window: 1 });
    expect(result.pins.map((p) => `${p.name}==${p.version}`)).toEqual(['base==1.0', 'odd==1.0']);
    const odd = result.pins.find((p) => p.name === 'odd')!;
    expect(odd.dependencies).toEqual(['base']);
    expect(odd.files.map((f) => f.filename)).toEqual(['odd-v1.0-py3-none-any.whl']);
    expect(result.stats.metadataQueries).toBeGreaterThan(0);
  });

  it('passes over a release whose metadata has an unparsable requirement, as modern pip does', async () => {
    const fixture: Fixture = { lib: { '1.0': { deps: ['dep>=1'] }, '2.0': { deps: ['dep>=1.0<4.0'] }, '3.0': { deps: ['dep (>=1.0<4.0)'] } }, dep: { '1.0': {} } };
    for (const window of [20, 1]) {
      await reload(db, fixture);
      const result = await resolveOnMirror(db.pool, { requirements: reqs('lib'), target }, { window });
      expect(result.pins.map((p) => `${p.name}==${p.version}`)).toEqual(['dep==1.0', 'lib==1.0']);
    }
    await expect(resolveOnMirror(db.pool, { requirements: reqs('lib>=2'), target })).rejects.toThrow(/invalid requirement 'dep/);
  });

  it('asks the lazy fetcher for an unknown root and reports a root no index has', async () => {
    await reload(db, { known: { '1.0': {} } });
    const asked: string[] = [];
    const fetchMissing = async (name: string) => {
      asked.push(name);
      if (name !== 'late') return false;
      await loadFixture(db.pool, { late: { '1.0': {} } });
      return true;
    };
    const found = await resolveOnMirror(db.pool, { requirements: reqs('known', 'late'), target }, { fetchMissing });
    expect(found.pins.map((p) => p.name)).toEqual(['known', 'late']);
    await expect(resolveOnMirror(db.pool, { requirements: reqs('known', 'nowhere'), target }, { fetchMissing })).rejects.toEqual(new ProjectNotFoundError(['nowhere']));
    expect(asked).toEqual(['late', 'nowhere']);
  });

  it('explains an unsatisfiable request and gives up at the deadline', async () => {
    await reload(db, { a: { '1.0': { deps: ['b>=2'] } }, b: { '1.0': {} } });
    const error = await resolveOnMirror(db.pool, { requirements: reqs('a'), target }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsatisfiableError);
    expect((error as UnsatisfiableError).explanation).toContain('a==1.0 depends on b>=2');
    await expect(resolveOnMirror(db.pool, { requirements: reqs('a'), target, deadline: Date.now() - 1 })).rejects.toBeInstanceOf(SolveTimeoutError);
  });

  it('answers exactly what the in-memory provider answers, on generated indexes (small window)', async () => {
    const names = ['p0', 'p1', 'p2', 'p3'];
    const release = fc.record({
      deps: fc.array(fc.tuple(fc.constantFrom(...names), fc.constantFrom('', '>=2', '<3', '==1.*', '!=2', '>=3')).map(([n, s]) => `${n}${s}`), { maxLength: 2 }),
      yanked: fc.constantFrom(undefined, undefined, undefined, 'bad'),
      requiresPython: fc.constantFrom(undefined, undefined, '>=3.12', '>=3.8'),
    });
    const project = fc.dictionary(fc.constantFrom('1.0', '1.5', '2.0', '2.1', '3.0', '3.1'), release, { minKeys: 1, maxKeys: 6 });
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom(...names), project, { minKeys: 1 }), fc.constantFrom(...names), async (raw, root) => {
        const fixture: Fixture = Object.fromEntries(
          Object.entries(raw).map(([name, releases]) => [name, Object.fromEntries(Object.entries(releases).map(([v, r]) => [v, { ...r, deps: r.deps.filter((d) => !d.startsWith(name)) }]))]),
        );
        await reload(db, fixture);
        const expected = await resolve([root], new InMemoryProvider(inMemory(fixture)), { target }).then(
          (r) => [...r.packages.values()].map((p) => `${p.name}==${p.version}`).sort(),
          (e: unknown) => (e instanceof UnsatisfiableError ? 'unsatisfiable' : Promise.reject(e)),
        );
        const actual = await resolveOnMirror(db.pool, { requirements: reqs(root), target }, { window: 1 }).then(
          (r) => r.pins.map((p) => `${p.name}==${p.version}`),
          (e: unknown) => (e instanceof UnsatisfiableError ? 'unsatisfiable' : e instanceof ProjectNotFoundError ? 'unsatisfiable' : Promise.reject(e)),
        );
        expect(actual).toEqual(expected);
      }),
      { numRuns: 40 },
    );
  }, 120_000);
});
