import { keyRangesOf, SpecifierSet, Version, keyToHex } from '@venvfarm/pep440';
import { createTestDatabase } from '@venvfarm/db/testing';
import { IngestWriter, writeProjects } from './ingest-writer';
import type { FileRecord, ProjectRecord } from './records';

const file = (filename: string, requiresDist: string[] | null, more: Partial<FileRecord> = {}): FileRecord => ({
  filename,
  requiresPython: '>=3.8',
  yanked: false,
  requiresDist,
  providesExtras: requiresDist === null ? [] : ['socks'],
  ...more,
});

const demo = (yanked: false | string = false): ProjectRecord => ({
  name: 'demo-pkg',
  serial: 12,
  releases: [
    { version: 'not a version', serial: 9, uploadTime: '2019-01-01T00:00:00Z', files: [file('demo_pkg-not a version.tar.gz', ['requests'])] },
    {
      version: '1.0',
      serial: 10,
      uploadTime: '2020-05-31T06:21:25Z',
      files: [
        file('demo_pkg-1.0-py2.py3-none-any.whl', ['requests[socks] (>=2.7,<3) ; python_version >= "3.8"', '#objectpath>=0.5'], { yanked }),
        file('demo_pkg-1.0.tar.gz', ['requests[socks] (>=2.7,<3) ; python_version >= "3.8"', '#objectpath>=0.5'], { yanked }),
      ],
    },
    { version: '1.1', serial: 12, uploadTime: null, files: [file('demo_pkg-1.1.tar.gz', null)] },
  ],
});

/** Every row's physical identity and writing transaction: unchanged when nothing was rewritten. */
const fingerprint = `
  SELECT (SELECT string_agg(ctid::text || xmin::text, ',' ORDER BY id) FROM projects)
      || (SELECT string_agg(ctid::text || xmin::text, ',' ORDER BY id) FROM releases)
      || (SELECT string_agg(ctid::text || xmin::text, ',' ORDER BY id) FROM files)
      || (SELECT string_agg(ctid::text || xmin::text, ',' ORDER BY id) FROM metadata)
      || (SELECT string_agg(ctid::text || xmin::text, ',' ORDER BY id) FROM requirements) AS f`;

describe('IngestWriter on a real database', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => (db = await createTestDatabase()));
  afterAll(() => db.drop());
  beforeEach(() => db.pool.query('TRUNCATE projects, releases, files, metadata, requirements RESTART IDENTITY CASCADE'));

  const count = async (table: string) => Number((await db.pool.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);

  it('writes projects, releases with keys, files with tags, shared metadata and parsed requirements', async () => {
    const result = await writeProjects(db.pool, 1, [demo()]);
    expect(result.counts).toEqual({ projects: 1, releases: 3, files: 4 });
    expect(result.files).toEqual({ inserted: 4, updated: 0 });

    const releases = (await db.pool.query('SELECT version, key, invalid, requires_python, upload_time, serial FROM releases ORDER BY id')).rows;
    expect(releases.map((r) => [r.version, r.invalid, r.serial])).toEqual([
      ['not a version', true, '9'],
      ['1.0', false, '10'],
      ['1.1', false, '12'],
    ]);
    expect(releases[0].key).toBeNull();
    expect(releases[1].key).toEqual(Buffer.from(Version.parse('1.0').key()));
    expect(releases[1].requires_python).toBe('>=3.8');
    expect(releases[1].upload_time.toISOString()).toBe('2020-05-31T06:21:25.000Z');

    const files = (await db.pool.query('SELECT filename, kind, tags, metadata_id FROM files ORDER BY id')).rows;
    expect(files.map((f) => f.kind)).toEqual(['sdist', 'wheel', 'sdist', 'sdist']);
    expect(files[1].tags).toEqual(['py2-none-any', 'py3-none-any']);
    expect(files[2].tags).toBeNull();
    // The wheel and the sdist of 1.0 declare the same metadata: one row.
    expect(files[1].metadata_id).toBe(files[2].metadata_id);
    expect(files[3].metadata_id).toBeNull();
    expect(await count('metadata')).toBe(2);

    const requirements = (await db.pool.query('SELECT * FROM requirements ORDER BY text')).rows;
    expect(requirements.map((r) => r.text)).toEqual(['#objectpath>=0.5', 'requests', 'requests[socks] (>=2.7,<3) ; python_version >= "3.8"']);
    const [junk, any, socks] = requirements;
    expect(socks).toMatchObject({ target: 'requests', extras: ['socks'], specifier: '>=2.7,<3', marker: 'python_version >= "3.8"', url: null, invalid: null });
    const ranges = keyRangesOf(SpecifierSet.parse('>=2.7,<3'));
    expect(socks.ranges.map((b: Buffer) => b.toString('hex'))).toEqual(ranges.flatMap((r) => [r.lo === null ? '' : keyToHex(r.lo), r.hi === null ? '' : keyToHex(r.hi)]));
    expect(any.ranges.map((b: Buffer) => b.length)).toEqual([0, 0]); // any version: one unbounded range
    // Junk is kept and flagged with the reason, never dropped.
    expect(junk.target).toBeNull();
    expect(junk.invalid).toEqual(expect.stringContaining('at position'));

    const metadata = (await db.pool.query('SELECT requires_python, provides_extras, requirement_ids FROM metadata WHERE id = $1', [files[1].metadata_id])).rows[0];
    expect(metadata.provides_extras).toEqual(['socks']);
    expect(metadata.requirement_ids).toEqual([socks.id, junk.id]);
  });

  it('changes nothing and duplicates nothing when the same data is written again, even by a new writer', async () => {
    const writer = new IngestWriter(db.pool, 1);
    await writer.write([demo()]);
    const before = (await db.pool.query(fingerprint)).rows[0].f;
    const again = await writer.write([demo()]);
    expect([again.projects, again.releases, again.files]).toEqual([
      { inserted: 0, updated: 0 },
      { inserted: 0, updated: 0 },
      { inserted: 0, updated: 0 },
    ]);
    expect(again.requirementsStaged + again.metadataStaged).toBe(0); // the caches knew them
    const fresh = await new IngestWriter(db.pool, 1).write([demo()]);
    expect(fresh.files).toEqual({ inserted: 0, updated: 0 });
    expect((await db.pool.query(fingerprint)).rows[0].f).toBe(before);
    expect([await count('projects'), await count('releases'), await count('files'), await count('metadata'), await count('requirements')]).toEqual([1, 3, 4, 2, 3]);
  });

  it('turns an upstream yank into a mirror yank, and back', async () => {
    const writer = new IngestWriter(db.pool, 1);
    await writer.write([demo()]);
    const yanked = await writer.write([demo('broken build')]);
    expect(yanked.releases).toEqual({ inserted: 0, updated: 1 });
    expect(yanked.files).toEqual({ inserted: 0, updated: 2 });
    const row = async () => (await db.pool.query("SELECT yanked, yanked_reason FROM releases WHERE version = '1.0'")).rows[0];
    expect(await row()).toEqual({ yanked: true, yanked_reason: 'broken build' });
    expect((await db.pool.query("SELECT count(*) AS n FROM files WHERE yanked AND yanked_reason = 'broken build'")).rows[0].n).toBe('2');
    await writer.write([demo()]);
    expect(await row()).toEqual({ yanked: false, yanked_reason: null });
  });

  it('keeps hashes, sizes and metadata it learnt when a later source does not know them', async () => {
    const writer = new IngestWriter(db.pool, 1);
    const sha = 'ab'.repeat(32);
    const known: ProjectRecord = {
      name: 'Demo_Pkg',
      serial: 13,
      releases: [{ version: '1.1', serial: 13, uploadTime: null, files: [file('demo_pkg-1.1.tar.gz', ['six'], { sha256: sha, size: 1234, url: 'http://127.0.0.1/f' })] }],
    };
    await writer.write([demo()]);
    expect((await writer.write([known])).files).toEqual({ inserted: 0, updated: 1 });
    await writer.write([demo()]);
    const f = (await db.pool.query("SELECT encode(sha256, 'hex') AS sha256, size, url, metadata_id FROM files WHERE filename = 'demo_pkg-1.1.tar.gz'")).rows[0];
    expect(f).toMatchObject({ sha256: sha, size: '1234', url: 'http://127.0.0.1/f' });
    expect(f.metadata_id).not.toBeNull();
    expect((await db.pool.query("SELECT serial FROM projects WHERE name = 'demo-pkg'")).rows[0].serial).toBe('12');
  });

  it('merges duplicates within a batch and survives junk input', async () => {
    const junk: ProjectRecord = {
      name: 'junk',
      serial: Number.NaN,
      releases: [
        { version: '1.0', serial: 1, uploadTime: 'yesterday', files: [file('junk-1.0-bad.whl', ['nul\0here', '#objectpath>=0.5', ''], { sha256: 'zz', size: -1 })] },
        { version: '1.0', serial: 2, uploadTime: null, files: [file('junk-1.0-bad.whl', ['ok\tpkg']), file('junk-1.0.exe', [])] },
      ],
    };
    const result = await writeProjects(db.pool, 1, [junk, junk]);
    expect(result.counts).toEqual({ projects: 1, releases: 1, files: 2 });
    const files = (await db.pool.query('SELECT filename, kind, tags, sha256, size FROM files ORDER BY id')).rows;
    expect(files).toEqual([
      { filename: 'junk-1.0-bad.whl', kind: 'wheel', tags: null, sha256: null, size: null },
      { filename: 'junk-1.0.exe', kind: 'other', tags: null, sha256: null, size: null },
    ]);
    expect((await db.pool.query("SELECT invalid FROM requirements WHERE text = 'ok\tpkg'")).rows[0].invalid).not.toBeNull();
    const again = await writeProjects(db.pool, 1, [
      { ...junk, releases: [{ ...junk.releases[0], files: [file('junk-1.0-bad.whl', ['nul\0here', '#objectpath>=0.5', ''])] }] },
    ]);
    expect(again.releases.inserted + again.files.inserted).toBe(0);
    const texts = (await db.pool.query('SELECT text, invalid IS NOT NULL AS invalid FROM requirements ORDER BY text')).rows;
    expect(texts).toEqual([
      { text: '', invalid: true },
      { text: '#objectpath>=0.5', invalid: true },
      { text: 'nul\uFFFDhere', invalid: true },
      { text: 'ok\tpkg', invalid: true },
    ]);
  });

  it('commits state passed to inTransaction with the rows, and forgets ids of a rolled-back batch', async () => {
    const writer = new IngestWriter(db.pool, 1);
    await expect(
      writer.write([demo()], {
        inTransaction: async () => {
          throw new Error('stop');
        },
      }),
    ).rejects.toThrow('stop');
    expect(await count('projects')).toBe(0);
    expect(writer.requirementIds.size + writer.metadataIds.size).toBe(0);
    await writer.write([demo()], { inTransaction: (client) => client.query("UPDATE indexes SET serial = 12 WHERE name = 'pypi'").then(() => undefined) });
    expect(writer.requirementIds.size).toBe(3);
    expect(writer.metadataIds.size).toBe(2);
    expect((await db.pool.query("SELECT serial FROM indexes WHERE name = 'pypi'")).rows[0].serial).toBe('12');
  });
});
