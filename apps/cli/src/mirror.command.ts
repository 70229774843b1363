import { Command } from 'commander';
import { mirrorExportCommand } from './mirror-export.command';
import { mirrorImportCommand } from './mirror-import.command';
import { mirrorJobsCommand } from './mirror-jobs.command';
import { mirrorStatusCommand } from './mirror-status.command';
import { mirrorSyncCommand } from './mirror-sync.command';

/** `venvfarm mirror ...`: commands that work on the mirror's database directly (`jobs` asks a server). */
export function mirrorCommand(): Command {
  return new Command('mirror')
    .description('import, export, sync and inspect the metadata mirror')
    .addCommand(mirrorImportCommand())
    .addCommand(mirrorExportCommand())
    .addCommand(mirrorSyncCommand())
    .addCommand(mirrorStatusCommand())
    .addCommand(mirrorJobsCommand());
}
