/**
 * Applies `sql/migrations/NNNN_name.sql` in order, each in its own transaction, recording what
 * ran in `schema_migrations`. A session advisory lock serialises concurrent migrators
 * (two processes starting at once), as graphile-worker's migrate.ts does. Never synchronize.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pool } from 'pg';
import { sqlDir } from './sql-files';

const LOCK = 0x76656e76; // 'venv'

/** Applies every migration not applied yet; returns the names it applied. */
export async function migrate(pool: Pool): Promise<string[]> {
  const dir = join(sqlDir(), 'migrations');
  const files = readdirSync(dir).filter((f) => /^\d{4}_.+\.sql$/.test(f)).sort();
  const applied: string[] = [];
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (id int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
    for (const file of files) {
      const id = Number(file.slice(0, 4));
      await client.query('BEGIN');
      try {
        const done = await client.query('SELECT 1 FROM schema_migrations WHERE id = $1', [id]);
        if (done.rowCount === 0) {
          await client.query(readFileSync(join(dir, file), 'utf8'));
          await client.query('INSERT INTO schema_migrations (id, name) VALUES ($1, $2)', [id, file]);
          applied.push(file);
        }
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${file} failed: ${(error as Error).message}`, { cause: error });
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK]).catch(() => undefined);
    client.release();
  }
  return applied;
}
