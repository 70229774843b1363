import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase } from './testing';
import { openDatabase } from './database';
import { migrate } from './migrate';
import { sqlDir } from './sql-files';

describe('migrations', () => {
  it('apply once, are recorded, and a second run applies nothing', async () => {
    const db = await createTestDatabase();
    try {
      const tables = await db.pool.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`);
      expect(tables.rows.map((r) => r.table_name)).toEqual(
        expect.arrayContaining(['files', 'indexes', 'metadata', 'projects', 'releases', 'requirements', 'schema_migrations']),
      );
      expect(await migrate(db.pool)).toEqual([]);
    } finally {
      await db.drop();
    }
  });

  it('tolerate concurrent migrators', async () => {
    const db = await createTestDatabase();
    try {
      await db.pool.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
      const results = await Promise.all([migrate(db.pool), migrate(db.pool), migrate(db.pool)]);
      const all = readdirSync(join(sqlDir(), 'migrations')).filter((f) => f.endsWith('.sql')).sort();
      expect(all.length).toBeGreaterThanOrEqual(3);
      // Exactly one migrator applies each file; the others wait on the lock and find nothing to do.
      expect(results.flat().sort()).toEqual(all);
    } finally {
      await db.drop();
    }
  });
});

describe('embedded PostgreSQL (no DATABASE_URL)', () => {
  it('starts in the data directory, migrates, and keeps data across restarts', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'venvfarm-embedded-'));
    try {
      let db = await openDatabase({ databaseUrl: null, dataDir });
      await db.pool.query(`INSERT INTO projects (index_id, name) VALUES (1, 'kept')`);
      await db.close();
      db = await openDatabase({ databaseUrl: null, dataDir });
      const rows = await db.pool.query(`SELECT name FROM projects`);
      expect(rows.rows).toEqual([{ name: 'kept' }]);
      await db.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120000);
});

describe('openDatabase on DATABASE_URL', () => {
  it('answers ping, reports pool usage, and tells the caller of a lost idle connection', async () => {
    const test = await createTestDatabase();
    const lost: Error[] = [];
    const db = await openDatabase({ databaseUrl: test.url, dataDir: '/nonexistent' }, { onConnectionError: (error) => lost.push(error) });
    try {
      await db.ping();
      expect(db.poolUsage()).toEqual({ total: 1, idle: 1, waiting: 0 });
      const held = await db.pool.connect();
      expect(db.poolUsage()).toMatchObject({ total: 1, idle: 0 });
      const pid = (await held.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number;
      held.release();
      // Another session ends the idle connection, as a server restart or an administrator would.
      await test.pool.query('SELECT pg_terminate_backend($1)', [pid]);
      for (let i = 0; i < 100 && lost.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(lost).toHaveLength(1);
      await db.ping();
    } finally {
      await db.close();
      await test.drop();
    }
  });
});
