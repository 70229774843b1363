import { Command, InvalidArgumentError, Option } from 'commander';
import { DatabaseOptions, withDatabaseOptions } from './database-options';

export interface SyncCommandOptions extends DatabaseOptions {
  upstream?: string;
  include?: string;
  exclude?: string;
  incremental?: boolean;
  changesFrom: 'auto' | 'xml-rpc' | 'root-index';
  concurrency: number;
}

const positiveInt = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
};

/** `venvfarm mirror sync`: metadata sync from an upstream simple index (full or incremental); settings from `env`. */
export function mirrorSyncCommand(env: NodeJS.ProcessEnv = process.env): Command {
  return withDatabaseOptions(new Command('sync'))
    .description('sync project metadata from an upstream index (PEP 691/503 pages and PEP 658 .metadata files; no artifacts)')
    .option('--upstream <url>', 'upstream simple index (default: VENVFARM_UPSTREAM or https://pypi.org/simple/)')
    .option('--include <file>', 'allow-list in requirements.txt syntax: only these projects, and only the releases their specifiers admit')
    .option('--exclude <file>', 'deny-list in requirements.txt syntax: a bare name drops the project, a name with specifiers drops those releases')
    .option('--incremental', 'only what changed upstream since the last committed serial')
    .addOption(new Option('--changes-from <source>', 'how --incremental finds changes').choices(['auto', 'xml-rpc', 'root-index']).default('auto'))
    .option('--concurrency <n>', 'concurrent HTTP requests', positiveInt, 8)
    .action(async (options: SyncCommandOptions) => (await import('./mirror-sync.action')).mirrorSync(options, env));
}
