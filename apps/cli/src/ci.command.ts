import { Command } from 'commander';
import { ciRestoreCommand } from './ci-restore.command';

/** `venvfarm ci ...`: the client commands shaped for CI pipelines (plain log lines, exit codes to branch on). */
export function ciCommand(): Command {
  return new Command('ci').description('commands for CI pipelines').addCommand(ciRestoreCommand());
}
