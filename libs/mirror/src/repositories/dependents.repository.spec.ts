import { createTestDatabase } from '@venvfarm/db/testing';
import { parseProjectName } from '@venvfarm/pep508';
import { dependents, InvalidDependentsOptionError, type Dependents } from './dependents.repository';
import { loadFixture, type Fixture } from '../testing';

const fixture: Fixture = {
  django: { '3.2': {}, '4.1': {}, '4.2': {}, '5.0': { deps: ['app-c'] } },
  'app-a': { '1.0': { deps: ['django>=4,<5'] }, '2.0': { deps: ['Django>=5'] } },
  'app-b': { '1.0': { deps: ['Django (==4.2.*)'], files: ['app_b-1.0-py3-none-any.whl', { filename: 'app_b-1.0.tar.gz', deps: ['django==4.2.1'] }] } },
  'app-c': { '1.0': { deps: ['django<4'] } },
  plugin: { '1.0': { deps: ['app-a>=1'] } },
  tool: { '1.0': { deps: ['plugin'] } },
  loopy: { '1.0': { deps: ['django; extra == "dj"', 'tool'] } },
  junk: { '1.0': { deps: ['django >= >= 1'] } },
};

const summary = (result: Dependents) => result.projects.map((p) => `${p.depth} ${p.name} ${p.versions.join(',')}`);

describe('dependents', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;

  beforeAll(async () => {
    db = await createTestDatabase();
    await loadFixture(db.pool, fixture);
  });
  afterAll(() => db.drop());

  it('lists direct dependents with the requirements that make them so, markers not evaluated, invalid ones ignored', async () => {
    const result = await dependents(db.pool, parseProjectName('Django'));
    expect(summary(result)).toEqual(['1 app-a 2.0,1.0', '1 app-b 1.0', '1 app-c 1.0', '1 loopy 1.0']);
    expect(result.releases.filter((r) => r.project === 'app-b').map((r) => r.requirement)).toEqual(['Django (==4.2.*)', 'django==4.2.1']);
    expect(result.releases.find((r) => r.project === 'loopy')).toMatchObject({ dependency: 'django', marker: expect.stringContaining('extra') });
    expect(result.truncated).toBe(false);
  });

  it('keeps only requirements that admit part of a version range', async () => {
    expect(summary(await dependents(db.pool, parseProjectName('django'), { versionRange: '==4.2.*' }))).toEqual(['1 app-a 1.0', '1 app-b 1.0', '1 loopy 1.0']);
    expect(summary(await dependents(db.pool, parseProjectName('django'), { versionRange: '>=5' }))).toEqual(['1 app-a 2.0', '1 loopy 1.0']);
    const pinned = await dependents(db.pool, parseProjectName('django'), { versionRange: '==4.2.0' });
    expect(pinned.releases.filter((r) => r.project === 'app-b').map((r) => r.requirement)).toEqual(['Django (==4.2.*)']);
  });

  it('walks dependents of dependents breadth first, each project at its first depth, never the root', async () => {
    expect(summary(await dependents(db.pool, parseProjectName('django'), { transitive: true }))).toEqual([
      '1 app-a 2.0,1.0',
      '1 app-b 1.0',
      '1 app-c 1.0',
      '1 loopy 1.0',
      '2 plugin 1.0',
      '3 tool 1.0',
    ]);
    const two = await dependents(db.pool, parseProjectName('django'), { transitive: true, depth: 2 });
    expect(summary(two)).toEqual(['1 app-a 2.0,1.0', '1 app-b 1.0', '1 app-c 1.0', '1 loopy 1.0', '2 plugin 1.0']);
    expect(two.releases.find((r) => r.project === 'plugin')).toMatchObject({ dependency: 'app-a', requirement: 'app-a>=1' });
    // Through the cycle django 5.0 -> app-c -> django the walk must not start again from the root.
    expect(summary(await dependents(db.pool, parseProjectName('django'), { transitive: true, versionRange: '<4' }))).toEqual(['1 app-c 1.0', '1 loopy 1.0']);
  });

  it('answers empty for an unknown project, truncates at the limit, and rejects bad options', async () => {
    expect(await dependents(db.pool, parseProjectName('nobody-uses-this'))).toEqual({ name: 'nobody-uses-this', releases: [], projects: [], truncated: false });
    const cut = await dependents(db.pool, parseProjectName('django'), { limit: 2 });
    expect([cut.releases.length, cut.truncated]).toEqual([2, true]);
    await expect(dependents(db.pool, parseProjectName('django'), { transitive: true, depth: 0 })).rejects.toBeInstanceOf(InvalidDependentsOptionError);
    await expect(dependents(db.pool, parseProjectName('django'), { versionRange: '>=>=1' })).rejects.toBeInstanceOf(InvalidDependentsOptionError);
  });
});
