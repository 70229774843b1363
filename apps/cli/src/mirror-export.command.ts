import { Command } from 'commander';
import { exportDump } from '@venvfarm/mirror';
import { DumpTerminal } from './progress/dump-progress';
import { DatabaseOptions, withDatabase, withDatabaseOptions } from './database-options';

interface ExportCommandOptions extends DatabaseOptions {
  index: string;
}

/** `venvfarm mirror export DIR`: writes the mirror as a dump that `mirror import` reads back (a mirror of a mirror). */
export function mirrorExportCommand(): Command {
  return withDatabaseOptions(new Command('export'))
    .description('export the mirror as a dump folder (projects/NN.jsonl.gz, names.tsv.gz) that `mirror import` reads')
    .argument('<dir>', 'the folder to write')
    .option('--index <name>', 'the index to export', 'pypi')
    .action(async (dir: string, options: ExportCommandOptions) => {
      const terminal = new DumpTerminal('export');
      const summary = await withDatabase(options, (db) => exportDump(db.pool, dir, { indexName: options.index, onProgress: terminal.progress })).finally(() =>
        terminal.stop(),
      );
      terminal.finishExport(summary);
    });
}
