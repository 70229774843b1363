import { Command } from 'commander';
import { mirrorStatus } from '@venvfarm/mirror';
import { DatabaseOptions, withDatabase, withDatabaseOptions } from './database-options';

/** `venvfarm mirror status`: serial, counts and last sync of the mirror, as JSON. */
export function mirrorStatusCommand(): Command {
  return withDatabaseOptions(new Command('status'))
    .description('print the mirror serial, counts and last sync as JSON')
    .action(async (options: DatabaseOptions) => {
      const status = await withDatabase(options, (db) => mirrorStatus(db.pool));
      process.stdout.write(JSON.stringify(status, null, 2) + '\n');
    });
}
