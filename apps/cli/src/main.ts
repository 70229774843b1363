import 'reflect-metadata';
import { Command } from 'commander';
import { version } from '../../../package.json';
import { mirrorCommand } from './mirror.command';
import { resolveCommand } from './resolve.command';
import { serveCommand } from './serve.command';
import { markersCommand, tagsCommand } from './target.command';

const program = new Command('venvfarm')
  .description('resolve, build and serve Python environments')
  .version(version)
  .addCommand(serveCommand())
  .addCommand(mirrorCommand())
  .addCommand(resolveCommand())
  .addCommand(markersCommand())
  .addCommand(tagsCommand());

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`venvfarm: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
