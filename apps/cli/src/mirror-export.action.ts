/** What `venvfarm mirror export` runs: loaded when the command runs, with the mirror and the database. */
import 'reflect-metadata';
import { exportDump } from '@venvfarm/mirror';
import type { ExportCommandOptions } from './mirror-export.command';
import { DumpTerminal } from './progress/dump-progress';
import { withDatabase } from './with-database';

export async function mirrorExport(dir: string, options: ExportCommandOptions): Promise<void> {
  const terminal = new DumpTerminal('export');
  const summary = await withDatabase(options, (db) => exportDump(db.pool, dir, { indexName: options.index, onProgress: terminal.progress })).finally(() =>
    terminal.stop(),
  );
  terminal.finishExport(summary);
}
