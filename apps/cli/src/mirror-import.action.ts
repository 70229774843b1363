/** What `venvfarm mirror import` runs: loaded when the command runs, with the mirror and the database. */
import 'reflect-metadata';
import { importDump } from '@venvfarm/mirror';
import type { ImportCommandOptions } from './mirror-import.command';
import { DumpTerminal } from './progress/dump-progress';
import { withDatabase } from './with-database';

export async function mirrorImport(dir: string, options: ImportCommandOptions): Promise<void> {
  const terminal = new DumpTerminal('import');
  const summary = await withDatabase(options, (db) =>
    importDump(db.pool, dir, { indexName: options.index, restart: options.restart, onProgress: terminal.progress, onProblem: terminal.problem }),
  ).finally(() => terminal.stop());
  terminal.finishImport(summary);
}
