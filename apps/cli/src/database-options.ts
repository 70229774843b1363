import { Command } from 'commander';
import { loadConfig } from '@venvfarm/config';
import { Database, openDatabase } from '@venvfarm/db';

/** Options every `mirror` command shares. */
export interface DatabaseOptions {
  dataDir?: string;
}

/** Adds `--data-dir` (the embedded database's home when DATABASE_URL is unset). */
export function withDatabaseOptions(command: Command): Command {
  return command.option('--data-dir <dir>', 'where the embedded PostgreSQL keeps its data when DATABASE_URL is unset', './.venvfarm');
}

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
