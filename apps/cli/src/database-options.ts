import { Command } from 'commander';

/** Options every `mirror` command shares. */
export interface DatabaseOptions {
  dataDir?: string;
}

/** Adds `--data-dir` (the embedded database's home when DATABASE_URL is unset). */
export function withDatabaseOptions(command: Command): Command {
  return command.option('--data-dir <dir>', 'where the embedded PostgreSQL keeps its data when DATABASE_URL is unset', './.venvfarm');
}
