import { Command } from 'commander';
import { DatabaseOptions, withDatabaseOptions } from './database-options';

export interface ImportCommandOptions extends DatabaseOptions {
  index: string;
  restart?: boolean;
}

/** `venvfarm mirror import DIR`: seeds the mirror from a dump (the format of ../shared/data/pypi-2023-09). */
export function mirrorImportCommand(): Command {
  return withDatabaseOptions(new Command('import'))
    .description('import a dump folder (projects/NN.jsonl.gz, names.tsv.gz); an interrupted import resumes where it stopped')
    .argument('<dir>', 'the dump folder')
    .option('--index <name>', 'the index to import into', 'pypi')
    .option('--restart', 'start over instead of resuming an interrupted import of the same folder')
    .action(async (dir: string, options: ImportCommandOptions) => (await import('./mirror-import.action')).mirrorImport(dir, options));
}
