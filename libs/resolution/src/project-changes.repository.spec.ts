import { createTestDatabase } from '@venvfarm/db/testing';
import { PROJECT_CHANGES_APPLICATION, ProjectChanges } from './project-changes.repository';

type Db = Awaited<ReturnType<typeof createTestDatabase>>;

/** Resolves at the next new generation (nothing here waits on a clock). */
const nextChange = (changes: ProjectChanges) =>
  new Promise<void>((resolve) => {
    const stop = changes.onChange(() => {
      stop();
      resolve();
    });
  });

describe('ProjectChanges', () => {
  let db: Db;
  let changes: ProjectChanges;

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.pool.query(`INSERT INTO projects (index_id, name, serial) VALUES (1, 'idna', 10), (1, 'six', 20)`);
  });
  afterEach(async () => {
    await changes?.close();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('starts a new generation when a statement changes projects, and only then', async () => {
    changes = await ProjectChanges.listen(db.url);
    const start = changes.current();
    expect(start).not.toBeNull();
    let seen = 0;
    changes.onChange(() => seen++);
    // Statements that change no row notify nothing; the insert after them notifies once.
    await db.pool.query(`UPDATE projects SET serial = 99 WHERE name = 'no-such-project'`);
    await db.pool.query(`INSERT INTO projects (index_id, name, serial) VALUES (1, 'idna', 10) ON CONFLICT (index_id, name) DO UPDATE SET serial = EXCLUDED.serial WHERE projects.serial IS DISTINCT FROM EXCLUDED.serial`);
    const inserted = nextChange(changes);
    await db.pool.query(`INSERT INTO projects (index_id, name, serial) VALUES (1, 'certifi', 5)`);
    await inserted;
    expect(seen).toBe(1);
    const afterInsert = changes.current();
    expect(afterInsert).not.toBe(start);

    const updated = nextChange(changes);
    await db.pool.query(`UPDATE projects SET serial = serial + 1 WHERE name = 'six'`);
    await updated;
    expect(changes.current()).not.toBe(afterInsert);
    expect(seen).toBe(2);
  });

  it('trusts nothing while its connection is lost, and starts a new generation once it listens again', async () => {
    changes = await ProjectChanges.listen(db.url, { retryMs: 10 });
    const before = changes.current();
    const lost = nextChange(changes);
    await db.pool.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()`, [PROJECT_CHANGES_APPLICATION]);
    await lost;
    expect(changes.current()).toBeNull();
    await nextChange(changes);
    const after = changes.current();
    expect(after).not.toBeNull();
    expect(after).not.toBe(before);
    // And it hears changes on the new connection.
    const updated = nextChange(changes);
    await db.pool.query(`UPDATE projects SET serial = serial + 1 WHERE name = 'idna'`);
    await updated;
    expect(changes.current()).not.toBe(after);
  });

  it('hears deletes and truncations too', async () => {
    changes = await ProjectChanges.listen(db.url);
    const start = changes.current();
    let notified = nextChange(changes);
    await db.pool.query(`DELETE FROM projects WHERE name = 'certifi'`);
    await notified;
    const afterDelete = changes.current();
    expect(afterDelete).not.toBe(start);
    notified = nextChange(changes);
    await db.pool.query('TRUNCATE projects CASCADE');
    await notified;
    expect(changes.current()).not.toBe(afterDelete);
  });

  it('trusts nothing once closed', async () => {
    changes = await ProjectChanges.listen(db.url);
    await changes.close();
    expect(changes.current()).toBeNull();
  });
});
