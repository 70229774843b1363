/**
 * A fresh, migrated database per test file on the machine's PostgreSQL (graphile-worker's
 * helpers.ts approach): migrations run once into a template, each test clones it and drops it.
 */
import { randomBytes } from 'node:crypto';
import { Client, Pool } from 'pg';
import { migrate } from '../migrate';

const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const TEMPLATE = 'venvfarm_test_template';

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Migrates the template, then clones it into `name`, under one lock so no clone sees a half-migrated template. */
async function cloneTemplate(name: string): Promise<void> {
  await admin(async (client) => {
    await client.query('SELECT pg_advisory_lock(7431)');
    try {
      const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [TEMPLATE]);
      if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${TEMPLATE}`);
      const pool = new Pool({ connectionString: withDatabase(ADMIN_URL, TEMPLATE), max: 1 });
      try {
        await migrate(pool);
      } finally {
        await pool.end();
      }
      await client.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE}`);
    } finally {
      await client.query('SELECT pg_advisory_unlock(7431)');
    }
  });
}

/** A new database cloned from the migrated template; `drop()` removes it. */
export async function createTestDatabase(): Promise<{ url: string; pool: Pool; drop(): Promise<void> }> {
  const name = `venvfarm_test_${randomBytes(6).toString('hex')}`;
  await cloneTemplate(name);
  const url = withDatabase(ADMIN_URL, name);
  const pool = new Pool({ connectionString: url, max: 4 });
  // Idle connections killed by another suite's DROP ... WITH (FORCE) or a restart must not crash Jest.
  pool.on('error', () => undefined);
  return {
    url,
    pool,
    drop: async () => {
      await pool.end();
      await admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
