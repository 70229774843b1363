import { Command } from 'commander';
import { DatabaseOptions, withDatabaseOptions } from './database-options';

/** `venvfarm mirror status`: serial, counts and last sync of the mirror, as JSON. */
export function mirrorStatusCommand(): Command {
  return withDatabaseOptions(new Command('status'))
    .description('print the mirror serial, counts and last sync as JSON')
    .action(async (options: DatabaseOptions) => (await import('./mirror-status.action')).mirrorStatus(options));
}
