/**
 * Opening the mirror's database for a server-side command. Loaded only by the commands' actions
 * (the `*.action.ts` modules), never at start-up: it brings in pg and the configuration.
 */
import { loadConfig } from '@venvfarm/config';
import { Database, openDatabase } from '@venvfarm/db';
import type { DatabaseOptions } from './database-options';

/** Opens the database the options and environment name, runs `fn`, and closes it. */
export async function withDatabase<T>(options: DatabaseOptions, fn: (db: Database) => Promise<T>, env: NodeJS.ProcessEnv = process.env): Promise<T> {
  const config = loadConfig(env, { dataDir: options.dataDir });
  const db = await openDatabase(config, { onConnectionError: (error) => process.stderr.write(`venvfarm: database connection lost: ${error.message}\n`) });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}
