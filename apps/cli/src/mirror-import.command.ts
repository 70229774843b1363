import { Command } from 'commander';
import { importDump } from '@venvfarm/mirror';
import { DumpTerminal } from './progress/dump-progress';
import { DatabaseOptions, withDatabase, withDatabaseOptions } from './database-options';

interface ImportCommandOptions extends DatabaseOptions {
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
    .action(async (dir: string, options: ImportCommandOptions) => {
      const terminal = new DumpTerminal('import');
      const summary = await withDatabase(options, (db) =>
        importDump(db.pool, dir, { indexName: options.index, restart: options.restart, onProgress: terminal.progress, onProblem: terminal.problem }),
      ).finally(() => terminal.stop());
      terminal.finishImport(summary);
    });
}
