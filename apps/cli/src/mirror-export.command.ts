import { Command } from 'commander';
import { DatabaseOptions, withDatabaseOptions } from './database-options';

export interface ExportCommandOptions extends DatabaseOptions {
  index: string;
}

/** `venvfarm mirror export DIR`: writes the mirror as a dump that `mirror import` reads back (a mirror of a mirror). */
export function mirrorExportCommand(): Command {
  return withDatabaseOptions(new Command('export'))
    .description('export the mirror as a dump folder (projects/NN.jsonl.gz, names.tsv.gz) that `mirror import` reads')
    .argument('<dir>', 'the folder to write')
    .option('--index <name>', 'the index to export', 'pypi')
    .action(async (dir: string, options: ExportCommandOptions) => (await import('./mirror-export.action')).mirrorExport(dir, options));
}
