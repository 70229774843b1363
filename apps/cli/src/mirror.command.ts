import { Command } from 'commander';
import { mirrorStatusCommand } from './mirror-status.command';

/** `venvfarm mirror ...`: commands that work on the mirror's database directly. */
export function mirrorCommand(): Command {
  return new Command('mirror').description('import, export, sync and inspect the metadata mirror').addCommand(mirrorStatusCommand());
}
