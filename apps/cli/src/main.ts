/**
 * The `venvfarm` command. Start-up loads commander and the commands' definitions (names,
 * options, help) and nothing else: each command's action imports its implementation when it
 * runs (`*.action.ts`, the libs, and through them NestJS, pg, Docker...), so `--help`,
 * `--version` and the client commands (`resolve`, `build`, `pull`, `ci restore`) start as fast
 * as Node does. The bundle is still one file: webpack evaluates a module, and requires the
 * packages it uses, only when it is first imported. test/cli-build.e2e-spec.ts checks that
 * `--help` loads no server code. A {@link CommandFailure} chooses its exit code; any other error
 * exits with 1.
 */
import { Command } from 'commander';
import { version } from '../../../package.json';
import { buildCommand } from './build.command';
import { ciCommand } from './ci.command';
import { CommandFailure } from './command-failure';
import { indexCommand, tokenCommand } from './index.command';
import { mirrorCommand } from './mirror.command';
import { pullCommand } from './pull.command';
import { resolveCommand } from './resolve.command';
import { serveCommand } from './serve.command';
import { markersCommand, tagsCommand } from './target.command';

const program = new Command('venvfarm')
  .description('resolve, build and serve Python environments')
  .version(version)
  .addCommand(serveCommand())
  .addCommand(mirrorCommand())
  .addCommand(resolveCommand())
  .addCommand(buildCommand())
  .addCommand(pullCommand())
  .addCommand(ciCommand())
  .addCommand(indexCommand())
  .addCommand(tokenCommand())
  .addCommand(markersCommand())
  .addCommand(tagsCommand());

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`venvfarm: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(error instanceof CommandFailure ? error.exitCode : 1);
});
